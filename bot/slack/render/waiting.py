"""Why a queued job waits, in words: one line per reason `bot.insight.waiting` found."""

from __future__ import annotations

from bot.domain import Job, JobStatus
from bot.insight.waiting import (
    Borrowing,
    JobsAhead,
    NodeShortage,
    QuotaShortfall,
    Reclaim,
    WaitReason,
    WaitReport,
)
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import Block


def _join(lang: Lang, *parts: str) -> str:
    # Chinese sentences follow one another without a space.
    return ("" if lang == "zh" else " ").join(part for part in parts if part)


def _status(lang: Lang, status: JobStatus) -> str:
    return t(lang, f"status.{status.value}")


def why_lines(report: WaitReport, *, lang: Lang) -> list[str]:
    """Say each reason the job waits as one escaped mrkdwn line; one line when none explains it."""
    if not report.reasons:
        return [msg(lang, "why.nothing")]
    return [_reason(report, reason, lang=lang) for reason in report.reasons]


def _reason(report: WaitReport, reason: WaitReason, *, lang: Lang) -> str:
    match reason:
        case QuotaShortfall(never_fits=True):
            key = f"why.{reason.limit_kind}_never"
            return msg(lang, key, need=reason.need, limit=reason.limit, queue=report.queue)
        case QuotaShortfall():
            return msg(
                lang,
                f"why.{reason.limit_kind}",
                need=reason.need,
                limit=reason.limit,
                allocated="?" if reason.allocated is None else reason.allocated,
                queue=report.queue,
            )
        case Borrowing():
            line = msg(
                lang,
                "why.borrow",
                need=reason.need,
                allocated=reason.allocated,
                deserved=reason.deserved,
                queue=report.queue,
            )
            extra = msg(lang, "why.borrow_reclaimable") if reason.reclaimable else ""
            return _join(lang, line, extra)
        case NodeShortage():
            return _nodes(reason, lang=lang)
        case Reclaim():
            return msg(lang, "why.reclaim", gpus=reason.gpus, queues=", ".join(reason.queues))
        case JobsAhead():
            return _ahead(report, reason, lang=lang)


def _nodes(reason: NodeShortage, *, lang: Lang) -> str:
    parts = []
    if reason.need is not None:
        parts.append(msg(lang, "why.nodes_free", free=reason.free, need=reason.need))
    if reason.largest_free < reason.per_replica:
        parts.append(
            msg(lang, "why.nodes_replica", per=reason.per_replica, largest=reason.largest_free)
        )
    elif reason.replicas is not None and reason.placeable < reason.replicas:
        parts.append(
            msg(
                lang,
                "why.nodes_spread",
                placeable=reason.placeable,
                replicas=reason.replicas,
                per=reason.per_replica,
            )
        )
    if reason.cordoned or reason.failed:
        parts.append(
            msg(lang, "why.nodes_excluded", cordoned=reason.cordoned, failed=reason.failed)
        )
    return _join(lang, *parts)


def _ahead(report: WaitReport, reason: JobsAhead, *, lang: Lang) -> str:
    key = "why.ahead_at_least" if reason.at_least else "why.ahead"
    names = ", ".join(reason.first)
    more = reason.count - len(reason.first)
    return _join(
        lang,
        msg(lang, key, count=reason.count, queue=report.queue, names=names),
        msg(lang, "why.ahead_more", count=more) if more > 0 else "",
        msg(lang, "why.strict_fifo") if reason.strategy == "StrictFIFO" else "",
    )


def why_blocks(report: WaitReport, *, lang: Lang) -> list[Block]:
    """Render why a queued job waits: a title, what it asks for, then each reason."""
    blocks = [
        section(
            msg(lang, "why.title", job=report.job, status=_status(lang, report.status))
            + "\n"
            + "\n".join(f"• {line}" for line in why_lines(report, lang=lang))
        )
    ]
    if report.resource is not None and report.per_replica is not None:
        replicas = "?" if report.replicas is None else report.replicas
        blocks.append(
            context(
                msg(
                    lang,
                    "why.asks",
                    replicas=replicas,
                    per=report.per_replica,
                    resource=report.resource,
                    queue=report.queue,
                )
            )
        )
    return blocks


def not_waiting_blocks(job: Job, *, lang: Lang) -> list[Block]:
    """Say in one line that the job is not queued, with its status."""
    status = _status(lang, job.status)
    return [section(msg(lang, "why.not_waiting", job=job.name or job.id, status=status))]
