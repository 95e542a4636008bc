"""Job cards and job lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain import Job, JobStatus, Pod
from bot.insight.progress import Progress
from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.render.actions import card_controls
from bot.slack.render.blocks import (
    actions,
    button,
    context,
    fields_section,
    header,
    preformatted_chunks,
    section,
)
from bot.slack.render.fmt import between, msg, stamp, stamp_ago
from bot.slack.render.limits import BUTTON_VALUE_MAX, MAX_BLOCKS, Block, text_len
from bot.slack.render.progress import progress_lines
from bot.slack.render.text import bold, code, escape, table, truncate
from bot.watch.payloads import PodEndLine

CARD_PODS = 20
"""Pods listed on a card; a 512-pod job lists these and counts the rest."""
ENDED_ROWS = 5
"""Stopped pods a card names with their reason."""

STATUS_EMOJI: dict[JobStatus, str] = {
    JobStatus.CREATED: ":new:",
    JobStatus.PENDING: ":hourglass_flowing_sand:",
    JobStatus.SCHEDULED: ":calendar:",
    JobStatus.STARTING: ":rocket:",
    JobStatus.RUNNING: ":large_green_circle:",
    JobStatus.RESTARTING: ":repeat:",
    JobStatus.ABNORMAL: ":warning:",
    JobStatus.SUCCEEDED: ":white_check_mark:",
    JobStatus.FAILED: ":x:",
    JobStatus.STOPPED: ":black_square_for_stop:",
    JobStatus.MANUAL_TERMINATION: ":octagonal_sign:",
    JobStatus.CANCELLED: ":no_entry_sign:",
    JobStatus.UNKNOWN: ":grey_question:",
}


_WAITING = frozenset({JobStatus.CREATED, JobStatus.PENDING, JobStatus.SCHEDULED})


def status_label(job: Job, *, lang: Lang) -> str:
    """Return the job's status as raw text; an unrecognised one exactly as AIHC sent it."""
    if job.status is JobStatus.UNKNOWN and job.status_text.strip():
        return job.status_text.strip()
    return t(lang, f"status.{job.status.value}")


def job_card_blocks(
    job: Job,
    *,
    now: datetime,
    lang: Lang,
    controls: bool = True,
    progress: Progress | None = None,
) -> list[Block]:
    """Render a job's card: status, placement, resources, times, progress, pods, id, buttons."""
    blocks = [
        header(job.name or job.id),
        fields_section(_card_fields(job, lang=lang)),
        fields_section(_time_fields(job, now=now, lang=lang)),
    ]
    lines = progress_lines(progress, lang=lang)
    if lines:
        blocks.append(context("\n".join(lines)))
    if job.image:
        blocks.append(section(f"*{escape(t(lang, 'field.image'))}*\n{code(job.image, 500)}"))
    blocks.extend(_pod_blocks(job, lang=lang))
    blocks.append(context(msg(lang, "job.id_line", id=job.id, pool=job.pool_id or "—")))
    if controls:
        blocks.extend(card_controls(job, lang=lang))
    return blocks


def _field(lang: Lang, key: str, value: str) -> str:
    return f"*{escape(t(lang, key))}*\n{value}"


def _card_fields(job: Job, *, lang: Lang) -> list[str]:
    status = f"{STATUS_EMOJI[job.status]} {escape(status_label(job, lang=lang))}"
    fields = [
        _field(lang, "field.status", status),
        _field(lang, "field.queue", code(job.queue) if job.queue else "—"),
        _field(lang, "field.priority", escape(_priority(job, lang=lang))),
        _field(lang, "field.framework", escape(job.framework.value if job.framework else "—")),
        _field(lang, "field.replicas", str(job.replicas) if job.replicas is not None else "—"),
        _field(lang, "field.gpus", escape(_gpus(job, lang=lang))),
        _field(lang, "field.creator", escape(job.creator or "—")),
    ]
    bccl = _bccl(job, lang=lang)
    if bccl:
        fields.append(_field(lang, "field.bccl", escape(bccl)))
    return fields


# BCCL injection states: success, failed, or unknown "not injected yet" (the Java SDK's
# com.baidubce.aihc.models.JobItem.enableBcclStatus); the Go CLI's manual shows `unknown` on a
# job that never asked for BCCL, so `unknown` says nothing and is not shown.
_BCCL_KNOWN = {"success": "bccl.success", "failed": "bccl.failed"}


def _bccl(job: Job, *, lang: Lang) -> str:
    status = job.bccl_status.strip()
    reason = truncate(" ".join(job.bccl_error.split()), 300)
    if status.lower() in ("", "unknown") and not reason:
        return ""
    key = _BCCL_KNOWN.get(status.lower())
    label = t(lang, key) if key else status or t(lang, "bccl.failed")
    return t(lang, "bccl.because", status=label, reason=reason) if reason else label


def _priority(job: Job, *, lang: Lang) -> str:
    if job.priority is not None:
        return t(lang, f"priority.{job.priority.value}")
    return job.priority_text or "—"


def _gpus(job: Job, *, lang: Lang) -> str:
    per = job.gpu_count
    if per <= 0:
        return "—"
    if job.replicas:
        return t(lang, "job.gpus_total", total=per * job.replicas, per=per, replicas=job.replicas)
    return t(lang, "job.gpus_per_replica", per=per)


def _time_fields(job: Job, *, now: datetime, lang: Lang) -> list[str]:
    created = stamp_ago(job.created_at, now=now, lang=lang)
    fields = [_field(lang, "field.created", escape(created))]
    # AIHC's runningAt splits a job's life into queue wait and run time (bce-sdk-go
    # services/aihc/api/v1/aiJob.go:20-21); without it, pod creation stands in for the start.
    if job.created_at is not None and job.running_at is not None:
        fields.append(_span(lang, "field.queued", job.created_at, job.running_at))
    if job.status.is_terminal or job.finished_at is not None:
        if job.running_at is not None and job.finished_at is not None:
            fields.append(_span(lang, "field.ran", job.running_at, job.finished_at))
        if job.created_at is not None and job.finished_at is not None:
            fields.append(_span(lang, "field.took", job.created_at, job.finished_at))
        finished = stamp_ago(job.finished_at, now=now, lang=lang)
        return [*fields, _field(lang, "field.finished", escape(finished))]
    if job.status is JobStatus.RUNNING:
        starts = [pod.created_at for pod in job.pods if pod.created_at is not None]
        start = job.running_at or (min(starts) if starts else job.created_at)
        if start is not None:
            fields.append(_span(lang, "field.running_for", start, now))
    elif job.created_at is not None:
        key = "field.waiting" if job.status in _WAITING else "field.age"
        fields.append(_span(lang, key, job.created_at, now))
    return fields


def _span(lang: Lang, key: str, start: datetime, end: datetime) -> str:
    return _field(lang, key, escape(between(start, end, lang=lang)))


def _pod_blocks(job: Job, *, lang: Lang) -> list[Block]:
    if not job.pods:
        return [section(msg(lang, "job.no_pods"))]
    heading = (
        t(lang, "table.pod"),
        t(lang, "table.phase"),
        t(lang, "table.restarts"),
        t(lang, "table.node"),
    )
    rows = [
        (pod.name, pod.phase or pod.status_text or "—", str(pod.restart_count), pod.node_name)
        for pod in job.pods[:CARD_PODS]
    ]
    lines = table([heading, *rows], (48, 12, 8, 24))
    chunks, _ = preformatted_chunks(lines, max_blocks=2)
    blocks = [section(msg(lang, "job.pods_title", count=len(job.pods))), *chunks]
    hidden = len(job.pods) - min(len(job.pods), CARD_PODS)
    if hidden:
        blocks.append(context(msg(lang, "job.pods_more", count=hidden)))
    ended = [ended_line(pod, lang=lang) for pod in job.ended_pods[:ENDED_ROWS]]
    if ended:
        blocks.append(section("\n".join(ended)))
    return blocks


def ended_line(pod: Pod | PodEndLine, *, lang: Lang) -> str:
    """Say which pod stopped, why (AIHC's reason) and, when known, at what time."""
    name = pod.name if isinstance(pod, Pod) else pod.pod
    reason = truncate(pod.reason.strip(), 200)
    if pod.finished_at is None:
        return msg(lang, "job.pod_ended", pod=name, reason=reason)
    return msg(lang, "job.pod_ended_at", pod=name, reason=reason, when=stamp(pod.finished_at))


def jobs_blocks(
    jobs: Sequence[Job],
    *,
    now: datetime,
    lang: Lang,
    title: str,
    start: int,
    total: int | None,
    more_value: str | None,
    searched: tuple[int, int] | None = None,
) -> list[Block]:
    """Render one page of jobs as an aligned table, with a More button when more follow.

    `searched` is the positions (from, to) of the jobs a filtered page read, named in its
    footer: "3 matching among jobs 1–500", or, with no match, "none among jobs 1–500".
    """
    blocks: list[Block] = [section(bold(title, 300))]
    if jobs:
        blocks.extend(
            _job_table(jobs, now=now, lang=lang, start=start, total=total, searched=searched)
        )
    elif searched is not None and searched[1] > searched[0]:
        first, last = searched[0] + 1, searched[1]
        blocks.append(section(msg(lang, "jobs.none_among", first=first, last=last)))
    else:
        blocks.append(section(msg(lang, "jobs.no_more" if start else "jobs.none")))
    if more_value is not None and text_len(more_value) <= BUTTON_VALUE_MAX:
        if searched is not None and not jobs:
            blocks.append(context(msg(lang, "jobs.more_older", count=searched[1] - searched[0])))
        more = button(t(lang, "list.more"), action_id=ActionId.LIST_MORE, value=more_value)
        blocks.append(actions([more]))
    return blocks


def _job_table(
    jobs: Sequence[Job],
    *,
    now: datetime,
    lang: Lang,
    start: int,
    total: int | None,
    searched: tuple[int, int] | None,
) -> list[Block]:
    lines = table(
        [_job_heading(lang), *(_job_row(job, now=now, lang=lang) for job in jobs)],
        (36, 17, 20, 6, 12),
    )
    blocks, used = preformatted_chunks(lines, max_blocks=MAX_BLOCKS - 5)
    shown = max(0, used - 1)
    if shown < len(jobs):
        blocks.append(context(msg(lang, "list.rows_hidden", count=len(jobs) - shown)))
    if searched is not None:
        first, last = searched[0] + 1, searched[1]
        blocks.append(context(msg(lang, "jobs.matched", count=len(jobs), first=first, last=last)))
        return blocks
    first, last = start + 1, start + shown
    if total is not None and total >= last:
        blocks.append(context(msg(lang, "list.showing", first=first, last=last, total=total)))
    else:
        blocks.append(context(msg(lang, "list.showing_from", first=first, last=last)))
    return blocks


def _job_heading(lang: Lang) -> tuple[str, ...]:
    keys = ("table.name", "table.status", "table.queue", "table.gpus", "table.age")
    return tuple(t(lang, key) for key in keys)


def _job_row(job: Job, *, now: datetime, lang: Lang) -> tuple[str, ...]:
    gpus = job.gpu_count * (job.replicas or 1)
    age = between(job.created_at, now, lang=lang) if job.created_at else "—"
    return (
        job.name or job.id,
        status_label(job, lang=lang),
        job.queue or "—",
        str(gpus) if gpus else "—",
        age,
    )
