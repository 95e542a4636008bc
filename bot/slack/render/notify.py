"""Notification messages of the watcher: cards, transitions, failures, events, logs, summaries.

Each takes the typed payload of its notice kind (`bot/watch/payloads.py`, read back from the
outbox) and the bot's language, and returns Block Kit blocks. Mentions are the only `<…>` syntax
emitted, and only for Slack user ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import assert_never
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import JobStatus
from bot.slack.i18n import CATALOGUES, Lang, t
from bot.slack.render.blocks import context, preformatted, section
from bot.slack.render.digest import digest_blocks
from bot.slack.render.fmt import msg
from bot.slack.render.health import (
    hang_blocks,
    health_blocks,
    idle_blocks,
    pending_blocks,
    resumed_blocks,
)
from bot.slack.render.jobs import STATUS_EMOJI, ended_line, job_card_blocks
from bot.slack.render.limits import Block
from bot.slack.render.logs import fit_tail
from bot.slack.render.text import truncate
from bot.watch.payloads import (
    CardPayload,
    CauseLine,
    DigestPayload,
    EventLine,
    EventsPayload,
    FailurePayload,
    GonePayload,
    HangPayload,
    IdlePayload,
    JobRef,
    LogsPayload,
    NoticePayload,
    PendingPayload,
    RestartPayload,
    ResumedPayload,
    SummaryPayload,
    TransitionPayload,
)

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
SUMMARY_ROWS = 20
EVENT_ROWS = 8


def status_word(status: object, *, lang: Lang) -> str:
    """Return a status as people read it; an unknown one as AIHC spelled it."""
    text = str(status or "—")
    key = f"status.{text}"
    return t(lang, key) if key in CATALOGUES[lang] else text


def _emoji(status: object) -> str:
    return STATUS_EMOJI.get(JobStatus.parse(str(status or "")), ":grey_question:")


def _name(job: JobRef) -> str:
    return job.name or job.id or "?"


def transition_blocks(payload: TransitionPayload, *, lang: Lang) -> list[Block]:
    """Render a thread reply for a status change."""
    line = msg(
        lang,
        "notify.transition",
        name=_name(payload.job),
        old=status_word(payload.old, lang=lang),
        new=status_word(payload.new, lang=lang),
    )
    return [section(f"{_emoji(payload.new)} {line}")]


def mentions(users: Sequence[object]) -> str:
    """Return `<@U…>` mentions of valid Slack user ids; anything else is dropped."""
    return " ".join(f"<@{u}>" for u in users if isinstance(u, str) and _USER_ID.match(u))


def cause_text(cause: CauseLine, *, lang: Lang) -> str:
    """Return the likely cause: a catalogue sentence, or a user rule's own text."""
    if cause.key == "custom" and cause.text:
        return cause.text
    return t(lang, f"cause.{cause.key or 'unknown'}")


def failure_blocks(payload: FailurePayload, *, lang: Lang) -> list[Block]:
    """Render the broadcast of a failure: cause, who to ping, warning events and the log tail."""
    head = msg(
        lang, "notify.failed", name=_name(payload.job), old=status_word(payload.old, lang=lang)
    )
    cause = msg(lang, "notify.cause", cause=cause_text(payload.cause, lang=lang))
    ping = mentions(payload.mentions)
    blocks = [section(f":rotating_light: {head}\n{cause}" + (f"\n{ping}" if ping else ""))]
    if payload.ended:
        blocks.append(section("\n".join(ended_line(pod, lang=lang) for pod in payload.ended)))
    return blocks + _evidence(payload.events, payload.lines, payload.pod, lang=lang)


def restart_blocks(payload: RestartPayload, *, lang: Lang) -> list[Block]:
    """Render a fault-tolerance restart: how often, the likely cause, warnings, the log tail."""
    head = msg(
        lang, "notify.restarted", name=_name(payload.job), count=payload.count,
        total=payload.total, status=status_word(payload.status, lang=lang),
    )  # fmt: skip
    cause = msg(lang, "notify.cause", cause=cause_text(payload.cause, lang=lang))
    blocks = [section(f":repeat: {head}\n{cause}")]
    return blocks + _evidence(payload.events, payload.lines, payload.pod, lang=lang)


def _evidence(
    events: Sequence[EventLine], lines: Sequence[str], pod: str, *, lang: Lang
) -> list[Block]:
    """Return what a failure or a restart shows under its cause: warnings, then the log tail."""
    blocks = [section(_event_lines(events, lang=lang))] if events else []
    tail = fit_tail(list(lines))
    if tail:
        blocks.append(context(msg(lang, "notify.log_title", count=len(tail), pod=pod)))
        blocks.append(preformatted("\n".join(tail)))
    return blocks


def _event_lines(events: Sequence[EventLine], *, lang: Lang) -> str:
    rows = [
        msg(
            lang,
            "notify.event_line",
            reason=e.reason or "?",
            count=max(e.count, 1),
            message=truncate(e.message, 300),
        )
        for e in events[-EVENT_ROWS:]
    ]
    return "\n".join([msg(lang, "notify.events_title"), *rows])


def events_blocks(payload: EventsPayload, *, lang: Lang) -> list[Block]:
    """Render a thread reply with new warning events, one line per series."""
    head = msg(lang, "notify.events_head", name=_name(payload.job))
    return [section(f":warning: {head}"), section(_event_lines(payload.events, lang=lang))]


def logs_blocks(payload: LogsPayload, *, lang: Lang) -> list[Block]:
    """Render a thread reply with the new lines of a followed log."""
    blocks = [section(":page_facing_up: " + msg(lang, "notify.logs_head", pod=payload.pod))]
    lines = fit_tail(list(payload.lines))
    # The newest lines are the news: older ones that do not fit one block count as skipped.
    skipped = payload.skipped + len(payload.lines) - len(lines)
    if skipped:
        blocks.append(context(msg(lang, "notify.logs_skipped", count=skipped)))
    blocks.append(preformatted("\n".join(lines)))
    return blocks


def gone_blocks(payload: GonePayload, *, lang: Lang) -> list[Block]:
    """Render the reply saying the job was deleted."""
    old = status_word(payload.old, lang=lang)
    return [section(":wastebasket: " + msg(lang, "notify.gone", name=_name(payload.job), old=old))]


def summary_blocks(payload: SummaryPayload, *, lang: Lang) -> list[Block]:
    """Render one channel message for many jobs that changed at once."""
    jobs = payload.jobs
    rows = [
        f"{_emoji(j.new)} "
        + msg(
            lang,
            "notify.summary_line",
            name=_name(j),
            old=status_word(j.old, lang=lang),
            new=status_word(j.new, lang=lang),
        )
        for j in jobs[:SUMMARY_ROWS]
    ]
    if len(jobs) > SUMMARY_ROWS:
        rows.append(msg(lang, "notify.summary_more", count=len(jobs) - SUMMARY_ROWS))
    head = ":bar_chart: " + msg(lang, "notify.summary_head", count=len(jobs))
    return [section(head), section("\n".join(rows))]


def zone_of(name: str) -> tzinfo:
    """Return the IANA zone a digest's schedule names; UTC if this host does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def outbox_blocks(payload: NoticePayload, *, now: datetime, lang: Lang) -> list[Block]:
    """Render any notice by the model of what it says."""
    match payload:
        case CardPayload():
            blocks = job_card_blocks(payload.job, now=now, lang=lang)
            # After the header and the two field sections: what the training is doing.
            blocks[3:3] = health_blocks(payload.health, payload.waiting, now=now, lang=lang)
            return blocks
        case FailurePayload():
            return failure_blocks(payload, lang=lang)
        case TransitionPayload():
            return transition_blocks(payload, lang=lang)
        case EventsPayload():
            return events_blocks(payload, lang=lang)
        case LogsPayload():
            return logs_blocks(payload, lang=lang)
        case GonePayload():
            return gone_blocks(payload, lang=lang)
        case SummaryPayload():
            return summary_blocks(payload, lang=lang)
        case HangPayload():
            return hang_blocks(payload, mentions(payload.mentions), lang=lang)
        case ResumedPayload():
            return resumed_blocks(payload, lang=lang)
        case IdlePayload():
            return idle_blocks(payload, mentions(payload.mentions), lang=lang)
        case PendingPayload():
            return pending_blocks(payload, lang=lang)
        case RestartPayload():
            return restart_blocks(payload, lang=lang)
        case DigestPayload():
            return digest_blocks(payload.digest, lang=lang, tz=zone_of(payload.zone))
        case _:
            assert_never(payload)
