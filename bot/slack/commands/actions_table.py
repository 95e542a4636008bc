"""The commands that change jobs and queues, declared once."""

from __future__ import annotations

from bot.slack.commands import converters
from bot.slack.commands.converters import priority, quota, strategy, yes_no
from bot.slack.commands.grammar import Command, Param, ParamKind
from bot.slack.commands.params import JOB_QUEUE, POOL
from bot.slack.ids import ActionId, CallbackId


def _ref(name: str) -> Param:
    return Param(name, required=True, convert=converters.name)


def _quota(name: str) -> Param:
    return Param(name, ParamKind.OPTION, convert=quota, metavar="gpu=8,cpu=64,memory=512")


def _flag(name: str) -> Param:
    return Param(name, ParamKind.OPTION, convert=yes_no, metavar="yes|no")


QUEUE_FLAGS = (
    _quota("deserved"),
    _quota("guarantee"),
    _quota("capability"),
    _flag("oversell"),
    _flag("reclaimable"),
    Param("strategy", ParamKind.OPTION, convert=strategy, metavar="StrictFIFO|BestEffortFIFO"),
    Param("parent", ParamKind.OPTION, convert=converters.name),
    Param("description", ParamKind.OPTION, convert=str),
    POOL,
)
"""Flags of `queue create` and `queue update`; none at all opens the form instead."""

ACTION_COMMANDS = (
    Command(
        "job.stop",
        ("job", "stop"),
        (_ref("job"), JOB_QUEUE, POOL),
        (("stop",),),
        confirm="stop",
        button=ActionId.STOP_JOB,
    ),
    Command("job.delete", ("job", "delete"), (_ref("job"), JOB_QUEUE, POOL), confirm="delete"),
    Command(
        "job.priority",
        ("job", "priority"),
        (
            _ref("job"),
            Param("priority", required=True, convert=priority, metavar="high|normal|low"),
            JOB_QUEUE,
            POOL,
        ),
        (("priority",),),
        confirm="priority",
        button=ActionId.SET_PRIORITY,
    ),
    Command(
        "job.terminal",
        ("job", "terminal"),
        (_ref("job"), Param("pod", ParamKind.OPTION, convert=converters.name), JOB_QUEUE, POOL),
        private=True,
    ),
    Command(
        "job.create",
        ("job", "create"),
        (Param("spec", metavar="JSON spec"), POOL),
        rest=True,
        verbatim=True,
        form=CallbackId.JOB_CREATE,
    ),
    Command(
        "queue.create",
        ("queue", "create"),
        (_ref("queue"), *QUEUE_FLAGS),
        form=CallbackId.QUEUE_CREATE,
    ),
    Command(
        "queue.update",
        ("queue", "update"),
        (_ref("queue"), *QUEUE_FLAGS),
        form=CallbackId.QUEUE_UPDATE,
    ),
    Command("queue.delete", ("queue", "delete"), (_ref("queue"), POOL)),
)
