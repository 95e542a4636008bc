"""Notification messages of the watcher: transitions, failures, events, logs, summaries.

Each takes the payload the watcher stored in the outbox (plain JSON) and the bot's language, and
returns Block Kit blocks. Mentions are the only `<…>` syntax emitted, and only for Slack user ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.domain import Job, JobStatus
from bot.slack.i18n import CATALOGUES, Lang, t
from bot.slack.render.blocks import context, preformatted, section
from bot.slack.render.fmt import msg
from bot.slack.render.jobs import STATUS_EMOJI, job_card_blocks
from bot.slack.render.limits import Block
from bot.slack.render.logs import fit_tail
from bot.slack.render.text import truncate

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


def _name(job: Mapping[str, Any]) -> str:
    return str(job.get("name") or job.get("id") or "?")


def card_blocks(payload: Mapping[str, Any], *, now: datetime, lang: Lang) -> list[Block]:
    """Render a status card from the job the watcher saw last."""
    job = Job.model_validate(payload["job"])
    return job_card_blocks(job, now=now, lang=lang)


def transition_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render a thread reply for a status change."""
    job = payload["job"]
    line = msg(
        lang,
        "notify.transition",
        name=_name(job),
        old=status_word(payload.get("old"), lang=lang),
        new=status_word(payload.get("new"), lang=lang),
    )
    return [section(f"{_emoji(payload.get('new'))} {line}")]


def mentions(users: Sequence[object]) -> str:
    """Return `<@U…>` mentions of valid Slack user ids; anything else is dropped."""
    return " ".join(f"<@{u}>" for u in users if isinstance(u, str) and _USER_ID.match(u))


def cause_text(cause: Mapping[str, Any], *, lang: Lang) -> str:
    """Return the likely cause: a catalogue sentence, or a user rule's own text."""
    if cause.get("key") == "custom" and cause.get("text"):
        return str(cause["text"])
    return t(lang, f"cause.{cause.get('key') or 'unknown'}")


def failure_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render the broadcast of a failure: cause, who to ping, warning events and the log tail."""
    job = payload["job"]
    head = msg(
        lang,
        "notify.failed",
        name=_name(job),
        old=status_word(payload.get("old"), lang=lang),
    )
    cause = msg(lang, "notify.cause", cause=cause_text(payload.get("cause") or {}, lang=lang))
    ping = mentions(payload.get("mentions") or [])
    blocks = [section(f":rotating_light: {head}\n{cause}" + (f"\n{ping}" if ping else ""))]
    events = list(payload.get("events") or [])
    if events:
        blocks.append(section(_event_lines(events, lang=lang)))
    lines = fit_tail([str(line) for line in payload.get("lines") or []])
    if lines:
        pod = str(payload.get("pod") or "")
        blocks.append(context(msg(lang, "notify.log_title", count=len(lines), pod=pod)))
        blocks.append(preformatted("\n".join(lines)))
    return blocks


def _event_lines(events: Sequence[Mapping[str, Any]], *, lang: Lang) -> str:
    rows = [
        msg(
            lang,
            "notify.event_line",
            reason=str(e.get("reason") or "?"),
            count=int(e.get("count") or 1),
            message=truncate(str(e.get("message") or ""), 300),
        )
        for e in events[-EVENT_ROWS:]
    ]
    return "\n".join([msg(lang, "notify.events_title"), *rows])


def events_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render a thread reply with new warning events, one line per series."""
    head = msg(lang, "notify.events_head", name=_name(payload["job"]))
    return [section(f":warning: {head}"), section(_event_lines(payload["events"], lang=lang))]


def logs_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render a thread reply with the new lines of a followed log."""
    pod = str(payload.get("pod") or "")
    blocks = [section(":page_facing_up: " + msg(lang, "notify.logs_head", pod=pod))]
    given = [str(line) for line in payload.get("lines") or []]
    lines = fit_tail(given)
    # The newest lines are the news: older ones that do not fit one block count as skipped.
    skipped = int(payload.get("skipped") or 0) + len(given) - len(lines)
    if skipped:
        blocks.append(context(msg(lang, "notify.logs_skipped", count=skipped)))
    blocks.append(preformatted("\n".join(lines)))
    return blocks


def gone_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render the reply saying the job was deleted."""
    old = status_word(payload.get("old"), lang=lang)
    return [
        section(":wastebasket: " + msg(lang, "notify.gone", name=_name(payload["job"]), old=old))
    ]


def summary_blocks(payload: Mapping[str, Any], *, lang: Lang) -> list[Block]:
    """Render one channel message for many jobs that changed at once."""
    jobs = list(payload.get("jobs") or [])
    rows = [
        f"{_emoji(j.get('new'))} "
        + msg(
            lang,
            "notify.summary_line",
            name=_name(j),
            old=status_word(j.get("old"), lang=lang),
            new=status_word(j.get("new"), lang=lang),
        )
        for j in jobs[:SUMMARY_ROWS]
    ]
    if len(jobs) > SUMMARY_ROWS:
        rows.append(msg(lang, "notify.summary_more", count=len(jobs) - SUMMARY_ROWS))
    head = ":bar_chart: " + msg(lang, "notify.summary_head", count=len(jobs))
    return [section(head), section("\n".join(rows))]


def notice_blocks(
    kind: str, payload: Mapping[str, Any], *, now: datetime, lang: Lang
) -> list[Block]:
    """Render any outbox message by its kind."""
    if kind in ("card", "card_update"):
        return card_blocks(payload, now=now, lang=lang)
    renderers = {
        "transition": transition_blocks,
        "failure": failure_blocks,
        "events": events_blocks,
        "logs": logs_blocks,
        "gone": gone_blocks,
        "summary": summary_blocks,
    }
    return renderers[kind](payload, lang=lang)
