"""A channel's digest as Block Kit, and its chart, in the reader's language and time zone.

Each part shows only when it has something to say; durations are counted to the digest's end,
so the renderer needs no clock. Names from AIHC are escaped (`msg`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from bot import charts
from bot.domain.digest import CauseCount, Digest, IdleEpisode, RunningJob, WaitingJob
from bot.insight.digest_parts import wait_report
from bot.insight.progress import Progress
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, fields_section, header, section
from bot.slack.render.charts import MAX_ALT_TEXT, MAX_NAME, ChartFile
from bot.slack.render.fmt import duration, msg
from bot.slack.render.limits import Block
from bot.slack.render.progress import SEPARATOR, step_line
from bot.slack.render.text import escape
from bot.slack.render.waiting import why_lines

LISTED = 8
"""Queues or owners listed by GPU-hours; the rest are counted."""
REASONS = 2
"""Reasons shown under each waiting job."""


def digest_blocks(digest: Digest, *, lang: Lang, tz: tzinfo) -> list[Block]:
    """Render the digest: its heading, then each part that has something to say."""
    start = digest.start.astimezone(tz).strftime("%Y-%m-%d")
    end = digest.end.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    blocks = [header(t(lang, f"digest.title_{digest.period.value}", start=start, end=end))]
    blocks.append(context(_scope(digest, lang=lang)))
    parts = [
        _section(_finished(digest, lang=lang)),
        _section(_causes(digest.causes, lang=lang)),
        _hours(digest, lang=lang),
        _section(_waiting(digest.waiting, end=digest.end, lang=lang)),
        _section(_running(digest.running, end=digest.end, lang=lang)),
        _section(_idle(digest.idle, lang=lang)),
    ]
    blocks += [part for part in parts if part is not None]
    if len(blocks) == 2:
        blocks.append(section(msg(lang, "digest.nothing")))
    return blocks


def _section(mrkdwn: str) -> Block | None:
    return section(mrkdwn) if mrkdwn else None


def _scope(digest: Digest, *, lang: Lang) -> str:
    parts = []
    if digest.pools:
        parts.append(msg(lang, "digest.pools", names=", ".join(digest.pools)))
    if digest.queues:
        parts.append(msg(lang, "digest.queues", names=", ".join(digest.queues)))
    parts.append(msg(lang, "digest.jobs_read", count=digest.jobs_read))
    if not digest.complete:
        parts.append(msg(lang, "digest.partial"))
    return SEPARATOR.join(parts)


def _finished(digest: Digest, *, lang: Lang) -> str:
    counts = [
        msg(lang, "digest.outcome", count=part.count, status=status_name(part.status, lang=lang))
        for part in digest.outcomes
    ]
    # The counts are escaped already; the template holds no outside text.
    return t(lang, "digest.finished", counts=SEPARATOR.join(counts)) if counts else ""


def status_name(status: str, *, lang: Lang) -> str:
    """Name a job status in `lang`; one the catalogue lacks is shown as AIHC wrote it."""
    key = f"status.{status}"
    return t(lang, key) if key in _STATUS_KEYS else status


_STATUS_KEYS = frozenset(
    f"status.{s}"
    for s in (
        "Succeeded",
        "Failed",
        "Stopped",
        "ManualTermination",
        "Cancelled",
    )
)


def cause_name(cause: CauseCount, *, lang: Lang) -> str:
    """Name a likely cause briefly: the catalogue's words, or a user rule's own text."""
    if cause.key == "custom" and cause.text:
        return cause.text
    key = f"digest.cause.{cause.key}"
    return t(lang, key) if key in _CAUSE_KEYS else t(lang, "digest.cause.unknown")


_CAUSE_KEYS = frozenset(
    f"digest.cause.{k}"
    for k in ("cuda_oom", "nccl", "gpu_xid", "image_pull", "eviction", "python", "unknown")
)


def _causes(causes: Sequence[CauseCount], *, lang: Lang) -> str:
    if not causes:
        return ""
    lines = [msg(lang, "digest.causes")]
    for cause in causes:
        jobs = ", ".join(cause.jobs)
        name = cause_name(cause, lang=lang)
        line = msg(lang, "digest.cause_line", cause=name, count=cause.count, jobs=jobs)
        lines.append("• " + line)
    return "\n".join(lines)


def _hours(digest: Digest, *, lang: Lang) -> Block | None:
    queues = [part for part in digest.queue_hours if part.gpu_hours > 0]
    if not queues:
        return None
    several_pools = len({part.pool for part in queues}) > 1
    by_queue = [
        (f"{part.pool} · {part.queue}" if several_pools else part.queue, part.gpu_hours)
        for part in queues
    ]
    by_owner = [
        (part.owner or t(lang, "digest.owner_unknown"), part.gpu_hours) for part in digest.owners
    ]
    total = hours_text(digest.gpu_hours)
    fields = [msg(lang, "digest.hours_queue", total=total) + _hour_lines(by_queue, lang=lang)]
    if by_owner:
        fields.append(msg(lang, "digest.hours_owner") + _hour_lines(by_owner, lang=lang))
    return fields_section(fields)


def _hour_lines(rows: Sequence[tuple[str, float]], *, lang: Lang) -> str:
    lines = [
        "\n• " + msg(lang, "digest.hours_line", name=name, hours=hours_text(hours))
        for name, hours in rows[:LISTED]
    ]
    if len(rows) > LISTED:
        lines.append("\n" + msg(lang, "digest.more", count=len(rows) - LISTED))
    return "".join(lines)


def hours_text(hours: float) -> str:
    """Write GPU-hours to one decimal (whole above a thousand): `12.5`, `1,250`."""
    return f"{hours:,.0f}" if hours >= 1000 else f"{hours:,.1f}"


def _waiting(jobs: Sequence[WaitingJob], *, end: datetime, lang: Lang) -> str:
    if not jobs:
        return ""
    lines = [msg(lang, "digest.waiting")]
    for waiting in jobs:
        name, queue = waiting.job.name or waiting.job.id, waiting.job.queue
        if waiting.since is not None:
            waited = duration((end - waiting.since).total_seconds(), lang=lang)
            line = msg(lang, "digest.waiting_line", job=name, queue=queue, duration=waited)
        else:
            line = msg(lang, "digest.waiting_line_unknown", job=name, queue=queue)
        lines.append("• " + line)
        report = wait_report(waiting.report)
        if report is not None and report.reasons:
            lines += [f"    ↳ {why}" for why in why_lines(report, lang=lang)[:REASONS]]
    return "\n".join(lines)


def _running(jobs: Sequence[RunningJob], *, end: datetime, lang: Lang) -> str:
    if not jobs:
        return ""
    lines = [msg(lang, "digest.running")]
    for running in jobs:
        name, queue = running.job.name or running.job.id, running.job.queue
        if running.since is not None and running.gpus is not None:
            spent = duration((end - running.since).total_seconds(), lang=lang)
            line = msg(
                lang,
                "digest.running_line",
                job=name,
                queue=queue,
                gpus=running.gpus,
                duration=spent,
            )
        else:
            line = msg(lang, "digest.running_line_short", job=name, queue=queue)
        progress = Progress.from_dict(running.progress) if running.progress else None
        step = step_line(progress, lang=lang) if progress is not None else None
        lines.append("• " + (line + SEPARATOR + step if step else line))
    return "\n".join(lines)


def _idle(episodes: Sequence[IdleEpisode], *, lang: Lang) -> str:
    if not episodes:
        return ""
    lines = [msg(lang, "digest.idle")]
    for episode in episodes:
        idle = duration((episode.until - episode.since).total_seconds(), lang=lang)
        line = msg(
            lang,
            "digest.idle_line",
            job=episode.job.name or episode.job.id,
            gpus=episode.gpus,
            duration=idle,
            hours=hours_text(episode.gpu_hours),
        )
        lines.append("• " + line)
    return "\n".join(lines)


def digest_chart(digest: Digest, *, lang: Lang, tz: tzinfo = UTC) -> ChartFile | None:
    """Draw GPU-hours per day per queue and outcomes per day (None when there is nothing to
    draw); CPU-bound, run it in a thread. Days are labelled in `tz`."""
    if digest.gpu_hours <= 0 and not digest.outcomes:
        return None
    # Imported here: matplotlib loads on the first chart, not when the bot starts.
    from bot.charts.bars import DigestChartText, digest_bars_png

    # Chinese labels only when a CJK font can draw them; English never needs one.
    lang = lang if charts.chart_fonts().has_cjk else "en"
    start = digest.start.astimezone(tz).strftime("%Y-%m-%d")
    end = digest.end.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    period = t(lang, f"digest.period_{digest.period.value}")
    title = t(lang, "digest.chart_title", period=period, start=start, end=end)
    text = DigestChartText(
        title=title,
        hours_title=t(lang, "digest.chart_hours"),
        hours_y=t(lang, "digest.chart_hours_y"),
        outcomes_title=t(lang, "digest.chart_outcomes"),
        outcomes_y=t(lang, "digest.chart_outcomes_y"),
        other=t(lang, "digest.chart_other"),
        no_data=t(lang, "digest.chart_none"),
        outcomes={part.status: status_name(part.status, lang=lang) for part in digest.outcomes},
    )
    labels = [day.start.astimezone(tz).strftime("%m-%d") for day in digest.days]
    png = digest_bars_png(digest, text=text, day_labels=labels)
    outcomes = digest.outcomes
    counts = ", ".join(
        t(lang, "digest.outcome", count=part.count, status=status_name(part.status, lang=lang))
        for part in outcomes
    )
    alt = t(
        lang,
        "digest.chart_alt",
        period=period,
        start=start,
        end=end,
        hours=hours_text(digest.gpu_hours),
        queues=len([part for part in digest.queue_hours if part.gpu_hours > 0]),
        finished=sum(part.count for part in outcomes),
        counts=counts or "0",
    )
    filename = f"digest-{digest.period.value}-{digest.end.astimezone(tz):%Y%m%d-%H%M}.png"
    return ChartFile(
        filename=filename[:MAX_NAME],
        title=title[:MAX_NAME],
        png=png,
        alt_text=alt[:MAX_ALT_TEXT],
        comment=escape(title),
    )
