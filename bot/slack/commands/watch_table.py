"""The watching commands, declared once: subscribe, unsubscribe, subscriptions, mute, unmute."""

from __future__ import annotations

import re

from bot.domain import NOTICE_KINDS, JobStatus
from bot.slack.commands import converters
from bot.slack.commands.grammar import Command, Param, ParamKind
from bot.slack.commands.params import JOB_QUEUE, POOL

WHAT = NOTICE_KINDS
_USER = re.compile(r"^<@([UW][A-Z0-9]{2,20})>$")


def what(text: str) -> frozenset[str]:
    """Read `status,events,logs,progress,hang,idle,pending` (any subset, any order)."""
    parts = {part.strip().lower() for part in text.split(",") if part.strip()}
    if not parts or not parts <= set(WHAT):
        raise ValueError("problem.bad_what")
    return frozenset(parts)


def statuses(text: str) -> tuple[str, ...]:
    """Read `Failed,Succeeded,…`: job statuses in any case."""
    found = []
    for part in (p.strip() for p in text.split(",")):
        status = JobStatus.parse(part)
        if not part or (status is JobStatus.UNKNOWN and part.lower() != "unknown"):
            raise ValueError("problem.bad_status")
        found.append(status.value)
    return tuple(dict.fromkeys(found))


def mention(text: str) -> str:
    """Read `owner` or a user mention `@someone` (Slack sends it as `<@U…>`)."""
    if text.strip().lower() == "owner":
        return "owner"
    match = _USER.match(text.strip())
    if match is None:
        raise ValueError("problem.bad_mention")
    return match.group(1)


_OPTIONS = (
    Param("what", convert=what, metavar="status,events,logs,progress,hang,idle,pending"),
    Param("on", ParamKind.OPTION, convert=statuses, metavar="Failed,Succeeded"),
    Param("mention", ParamKind.OPTION, convert=mention, metavar="owner|@user"),
)
_DURATION = Param("duration", required=True, convert=converters.duration, metavar="2h")


def _ref(name: str) -> Param:
    return Param(name, required=True, convert=converters.name)


WATCH_COMMANDS = (
    Command("watch.subscribe", ("subscribe",), (_ref("job"), *_OPTIONS, JOB_QUEUE, POOL)),
    Command("watch.subscribe_queue", ("subscribe", "queue"), (_ref("queue"), *_OPTIONS, POOL)),
    Command("watch.subscribe_pool", ("subscribe", "pool"), (_ref("pool"), *_OPTIONS)),
    Command("watch.unsubscribe", ("unsubscribe",), (_ref("job"), JOB_QUEUE, POOL)),
    Command("watch.unsubscribe_queue", ("unsubscribe", "queue"), (_ref("queue"), POOL)),
    Command("watch.unsubscribe_pool", ("unsubscribe", "pool"), (_ref("pool"),)),
    Command("watch.list", ("subscriptions",), aliases=(("subscription", "list"),)),
    Command("watch.mute", ("mute",), (_ref("job"), _DURATION, JOB_QUEUE, POOL)),
    Command("watch.mute_queue", ("mute", "queue"), (_ref("queue"), _DURATION, POOL)),
    Command("watch.mute_pool", ("mute", "pool"), (_ref("pool"), _DURATION)),
    Command("watch.unmute", ("unmute",), (_ref("job"), JOB_QUEUE, POOL)),
    Command("watch.unmute_queue", ("unmute", "queue"), (_ref("queue"), POOL)),
    Command("watch.unmute_pool", ("unmute", "pool"), (_ref("pool"),)),
)
