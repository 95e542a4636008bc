"""Queues: a pool's list (root hidden) and one queue with its quotas side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.domain import ROOT_QUEUE_NAME, Pool, Queue
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, fields_section, header, preformatted_chunks, section
from bot.slack.render.fmt import msg, number, quantity, stamp_ago
from bot.slack.render.limits import MAX_BLOCKS, Block
from bot.slack.render.text import code, escape, table

_QUOTAS = ("deserved", "guarantee", "capability", "allocated")


def gpu_quota(quotas: Mapping[str, str]) -> str:
    """Sum the GPU entries of a quota map; a dash when it names none."""
    total = 0.0
    found = False
    for name, raw in quotas.items():
        if "gpu" in name.lower():
            try:
                total += float(raw)
            except ValueError:
                continue
            found = True
    return number(total) if found else "—"


def queues_blocks(pool: Pool, queues: Sequence[Queue], *, lang: Lang) -> list[Block]:
    """Render a pool's queues as an indented tree; the root queue stays hidden."""
    shown = _tree(queues)
    title = msg(lang, "queues.title", pool=pool.name or pool.id, count=len(shown))
    blocks = [section(title)]
    if not shown:
        return [*blocks, section(msg(lang, "queues.none"))]
    keys = ("table.name", "table.type", "table.state", "table.gpus_used", "table.jobs_rqp")
    rows = [
        (
            "  " * (depth - 1) + "└ " + queue.name if depth else queue.name,
            queue.queue_type or "—",
            queue.state or "—",
            f"{gpu_quota(queue.allocated)}/{gpu_quota(queue.deserved)}",
            _counts(queue),
        )
        for depth, queue in shown
    ]
    lines = table([tuple(t(lang, key) for key in keys), *rows], (36, 10, 8, 12, 10))
    chunks, used = preformatted_chunks(lines, max_blocks=MAX_BLOCKS - 3)
    blocks.extend(chunks)
    if used < len(lines):
        blocks.append(context(msg(lang, "list.rows_hidden", count=len(lines) - used)))
    return blocks


def _tree(queues: Sequence[Queue]) -> list[tuple[int, Queue]]:
    """Flatten queues depth first, children under their parent, each name shown once.

    The live service nests queues in `children` (bce-sdk-go services/aihc/api/v1/queue.go:40); a
    queue also listed at the top level is shown where it nests. The root's children are the tops.
    """
    nested = {child.name for queue in queues for _, child in _walk(queue.children, 1)}
    out: list[tuple[int, Queue]] = []
    seen: set[str] = set()
    for queue in queues:
        if queue.name in nested:
            continue
        walked = _walk(queue.children, 0) if queue.is_root else _walk((queue,), 0)
        for depth, item in walked:
            if item.name not in seen and not item.is_root:
                seen.add(item.name)
                out.append((depth, item))
    return out


def _walk(queues: Sequence[Queue], depth: int) -> list[tuple[int, Queue]]:
    out: list[tuple[int, Queue]] = []
    for queue in queues:
        out.append((depth, queue))
        out.extend(_walk(queue.children, depth + 1))
    return out


def _counts(queue: Queue) -> str:
    # Running, in-queue and pending jobs (queue.go:60-62); older answers carry none of them.
    counts = (queue.running, queue.inqueue, queue.pending)
    if all(count is None for count in counts):
        return "—"
    return "/".join("—" if count is None else str(count) for count in counts)


def queue_blocks(queue: Queue, *, now: datetime, lang: Lang) -> list[Block]:
    """Render one queue: type, state, parent, policy flags and its quotas side by side."""
    parent = t(lang, "value.root") if queue.parent in ("", ROOT_QUEUE_NAME) else queue.parent
    fields = [
        _field(lang, "field.type", escape(queue.queue_type or "—")),
        _field(lang, "field.state", escape(queue.state or "—")),
        _field(lang, "field.parent", code(parent)),
        _field(lang, "field.strategy", escape(queue.queueing_strategy or "—")),
        _field(lang, "field.reclaimable", _yes_no(queue.reclaimable, lang=lang)),
        _field(lang, "field.oversell", _yes_no(_negate(queue.disable_oversell), lang=lang)),
        _field(lang, "field.created", escape(stamp_ago(queue.created_at, now=now, lang=lang))),
    ]
    blocks = [header(queue.name), fields_section(fields)]
    if queue.description.strip():
        blocks.append(section(escape(queue.description)))
    blocks.extend(_quota_blocks(queue, lang=lang))
    if queue.pool_id:
        blocks.append(context(msg(lang, "queue.id_line", pool=queue.pool_id)))
    return blocks


def _field(lang: Lang, key: str, value: str) -> str:
    return f"*{escape(t(lang, key))}*\n{value}"


def _negate(flag: bool | None) -> bool | None:
    return None if flag is None else not flag


def _yes_no(flag: bool | None, *, lang: Lang) -> str:
    if flag is None:
        return "—"
    return escape(t(lang, "value.yes" if flag else "value.no"))


def _quota_blocks(queue: Queue, *, lang: Lang) -> list[Block]:
    maps = [queue.deserved, queue.guarantee, queue.capability, queue.allocated]
    resources = sorted({name for quotas in maps for name in quotas})
    if not resources:
        return [section(msg(lang, "queue.no_quotas"))]
    heading = (t(lang, "table.resource"), *(t(lang, f"table.{name}") for name in _QUOTAS))
    rows = [
        (name, *(quantity(name, quotas[name]) if name in quotas else "—" for quotas in maps))
        for name in resources
    ]
    chunks, _ = preformatted_chunks(table([heading, *rows], (32, 12, 12, 12, 12)), max_blocks=3)
    return [section(msg(lang, "queue.quotas_title")), *chunks]
