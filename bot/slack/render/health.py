"""What looks at a running job found, on its card and in its thread: progress, GPUs, hangs, idling.

The card shows the progress lines (`bot.slack.render.progress`), the GPU utilisation with a
sparkline of the recent looks, and whether the job looks hung or idle. The thread gets one reply
when a hang begins (with a Stop button, which asks to confirm and checks who may stop), one when
it ends, and one when GPUs have stayed idle long enough.
"""

from __future__ import annotations

from datetime import datetime

from bot.insight.health import Health
from bot.insight.waiting import WaitReport
from bot.slack.i18n import Lang
from bot.slack.render.actions import job_key, stop_button
from bot.slack.render.blocks import actions, context, preformatted, section
from bot.slack.render.fmt import duration, msg, number, stamp
from bot.slack.render.limits import Block
from bot.slack.render.metrics import sparkline
from bot.slack.render.progress import progress_lines
from bot.slack.render.waiting import why_lines
from bot.watch.payloads import HangPayload, IdlePayload, JobRef, PendingPayload, ResumedPayload


def health_lines(health: Health | None, *, now: datetime, lang: Lang) -> list[str]:
    """Return the card's lines about a job's training (mrkdwn): its restarts, and what looks
    found (none before a look)."""
    if health is None:
        return []
    lines = []
    if health.restarts:
        span = duration((now - health.restarts[0]).total_seconds(), lang=lang)
        lines.append(msg(lang, "health.restarts", count=len(health.restarts), span=span))
    if health.looked_at is None:
        return lines
    lines += progress_lines(health.progress, lang=lang)
    if health.gpu_percent is not None:
        spark = sparkline(list(health.gpu), low=0, high=100)
        lines.append(msg(lang, "health.gpu", percent=number(health.gpu_percent), spark=spark))
    if health.hung_since is not None:
        lines.append(msg(lang, "health.hung", since=stamp(health.hung_since)))
    elif health.idle_since is not None:
        lines.append(msg(lang, "health.idle", since=stamp(health.idle_since)))
    return lines


def health_blocks(
    health: Health | None, waiting: WaitReport | None = None, *, now: datetime, lang: Lang
) -> list[Block]:
    """Return the card's block about the training (or about why it waits), or none."""
    lines = health_lines(health, now=now, lang=lang)
    if waiting is not None:
        lines += [f"• {line}" for line in why_lines(waiting, lang=lang)]
    return [context("\n".join(lines))] if lines else []


def _name(job: JobRef) -> str:
    return job.name or job.id or "?"


def hang_blocks(payload: HangPayload, ping: str, *, lang: Lang) -> list[Block]:
    """Render "looks hung": for how long, the GPUs, the last log line, who to tell, Stop."""
    silent = duration((payload.at - payload.since).total_seconds(), lang=lang)
    name, gpu = _name(payload.job), payload.gpu_percent
    if gpu is None:
        head = msg(lang, "health.hang_notice", name=name, silent=silent)
    else:
        head = msg(lang, "health.hang_notice_gpu", name=name, silent=silent, percent=number(gpu))
    blocks = [section(f":hourglass: {head}" + (f"\n{ping}" if ping else ""))]
    if payload.last_line:
        blocks.append(context(msg(lang, "health.last_line")))
        blocks.append(preformatted(payload.last_line))
    key = job_key(payload.job.pool, payload.job.id, payload.job.queue)
    if key is not None:
        blocks.append(actions([stop_button(key, _name(payload.job), lang=lang)]))
    return blocks


def resumed_blocks(payload: ResumedPayload, *, lang: Lang) -> list[Block]:
    """Render the end of a hang."""
    stood = duration((payload.at - payload.since).total_seconds(), lang=lang)
    line = msg(lang, "health.resumed_notice", name=_name(payload.job), stood=stood)
    return [section(f":arrow_forward: {line}")]


def idle_blocks(payload: IdlePayload, ping: str, *, lang: Lang) -> list[Block]:
    """Render idle GPUs: how many, for how long, the GPU-hours spent idle, who to tell."""
    line = msg(
        lang,
        "health.idle_notice",
        name=_name(payload.job),
        gpus=str(payload.gpus),
        idle=duration((payload.at - payload.since).total_seconds(), lang=lang),
        gpu_hours=number(round(payload.gpu_hours, 1)),
        percent=number(payload.gpu_percent or 0.0),
    )
    return [section(f":zzz: {line}" + (f"\n{ping}" if ping else ""))]


def pending_blocks(payload: PendingPayload, *, lang: Lang) -> list[Block]:
    """Render why a job waits in its queue: for how long, then each reason AIHC's answers give."""
    waited = duration((payload.at - payload.since).total_seconds(), lang=lang)
    head = msg(
        lang, "health.pending_notice", name=_name(payload.job), waited=waited,
        queue=payload.job.queue or "—",
    )  # fmt: skip
    reasons = "\n".join(f"• {line}" for line in why_lines(payload.report, lang=lang))
    return [section(f":hourglass_flowing_sand: {head}\n{reasons}")]
