"""The read commands, declared once."""

from __future__ import annotations

from bot.slack.commands import converters
from bot.slack.commands.grammar import Command, Converter, Param, ParamKind
from bot.slack.commands.params import JOB_QUEUE, POOL
from bot.slack.ids import ActionId


def _ref(name: str, *, required: bool = True) -> Param:
    return Param(name, required=required, convert=converters.name)


def _option(name: str, convert: Converter = converters.name, metavar: str = "") -> Param:
    return Param(name, ParamKind.OPTION, convert=convert, metavar=metavar)


READ_COMMANDS = (
    Command("pool.list", ("pool", "list"), aliases=(("pools",),)),
    Command("pool.show", ("pool", "show"), (_ref("pool"),)),
    Command("pool.nodes", ("pool", "nodes"), (_ref("pool", required=False),), (("nodes",),)),
    Command("queue.list", ("queue", "list"), (POOL,), (("queues",),)),
    Command("queue.show", ("queue", "show"), (_ref("queue"), POOL)),
    Command(
        "job.list",
        ("job", "list"),
        (
            POOL,
            _option("queue"),
            _option("status", converters.job_status),
            Param("mine", ParamKind.FLAG),
        ),
        (("jobs",),),
    ),
    Command(
        "job.show",
        ("job", "show"),
        (_ref("job"), JOB_QUEUE, POOL),
        (("job",),),
        button=ActionId.REFRESH,
    ),
    Command(
        "job.events",
        ("job", "events"),
        (_ref("job"), _option("pod"), JOB_QUEUE, POOL),
        (("events",),),
        button=ActionId.SHOW_EVENTS,
    ),
    Command(
        "job.logs",
        ("job", "logs"),
        (
            _ref("job"),
            _option("pod"),
            _option("tail", converters.line_count, "N"),
            _option("since", converters.duration, "10m"),
            JOB_QUEUE,
            POOL,
        ),
        (("logs",),),
        button=ActionId.SHOW_LOGS,
    ),
    Command(
        "job.metrics",
        ("job", "metrics"),
        (
            _ref("job"),
            _option("type", converters.metric_type, "GpuUsage"),
            _option("since", converters.duration, "1h"),
            Param("chart", ParamKind.FLAG),
            JOB_QUEUE,
            POOL,
        ),
        (("metrics",),),
        button=ActionId.SHOW_CHART,
        button_flags=("chart",),
    ),
    Command("job.nodes", ("job", "nodes"), (_ref("job"), JOB_QUEUE, POOL)),
    Command("job.why", ("job", "why"), (_ref("job"), JOB_QUEUE, POOL), (("why",),)),
    Command("help", ("help",), (Param("command", metavar="command"),), rest=True),
)
