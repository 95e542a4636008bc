"""Resource pools, their nodes, and the nodes a job runs on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain import JobNodes, Node, Pool
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, fields_section, header, preformatted_chunks, section
from bot.slack.render.fmt import human_bytes, msg, stamp_ago
from bot.slack.render.limits import MAX_BLOCKS, Block
from bot.slack.render.text import code, escape, table

_TABLE_BLOCKS = MAX_BLOCKS - 5
"""Room for the table once a title, a summary and a "… more" line are in."""


def phase_emoji(phase: str) -> str:
    """Return an emoji for a pool or node phase: green when running, red when failed."""
    lowered = phase.strip().lower()
    if lowered in ("running", "ready"):
        return ":large_green_circle:"
    if "fail" in lowered:
        return ":red_circle:"
    return ":large_yellow_circle:"


def _usage(used: int, total: int) -> str:
    return f"{used}/{total}"


def _capacity(used: int | None, total: int | None, show: Callable[[int], str]) -> str:
    if total is None:
        return "—"
    return f"{show(used or 0)}/{show(total)}"


def node_memory(value: int) -> str:
    """Write a node's memory: bytes when it is at least 2**20, else GiB (the unit is unstated).

    bce-sdk-go reads `memoryTotal` as an int64 without a unit (resourcePool.go:121). No node has
    a million GiB, and none has under a MiB, so the two readings cannot be confused.
    """
    return human_bytes(value) if value >= 1 << 20 else f"{value} GiB"


def pools_blocks(pools: Sequence[Pool], *, now: datetime, lang: Lang) -> list[Block]:
    """Render the resource pools as an aligned table."""
    blocks = [section(msg(lang, "pools.title", count=len(pools)))]
    if not pools:
        return [*blocks, section(msg(lang, "pools.none"))]
    heading = tuple(
        t(lang, key)
        for key in ("table.name", "table.id", "table.phase", "table.gpus", "table.nodes")
    )
    rows = [
        (
            pool.name or "—",
            pool.id,
            pool.phase or "—",
            _usage(pool.gpu_used, pool.gpu_total),
            _usage(pool.node_used, pool.node_total),
        )
        for pool in pools
    ]
    return blocks + _table_blocks([heading, *rows], (32, 20, 14, 9, 9), lang=lang)


def _table_blocks(
    rows: list[tuple[str, ...]], widths: tuple[int, ...], *, lang: Lang
) -> list[Block]:
    chunks, used = preformatted_chunks(table(rows, widths), max_blocks=_TABLE_BLOCKS)
    if used < len(rows):
        chunks.append(context(msg(lang, "list.rows_hidden", count=len(rows) - used)))
    return chunks


def pool_blocks(pool: Pool, *, now: datetime, lang: Lang) -> list[Block]:
    """Render one resource pool: phase, capacity, version, owner and age."""
    percent = f" ({pool.gpu_used * 100 // pool.gpu_total}%)" if pool.gpu_total else ""
    fields = [
        _field(lang, "field.id", code(pool.id)),
        _field(lang, "field.phase", f"{phase_emoji(pool.phase)} {escape(pool.phase or '—')}"),
        _field(lang, "field.gpus", f"{_usage(pool.gpu_used, pool.gpu_total)}{percent}"),
        _field(lang, "field.nodes", _usage(pool.node_used, pool.node_total)),
        _field(lang, "field.region", escape(pool.region or "—")),
        _field(lang, "field.k8s", escape(pool.k8s_version or "—")),
        _field(lang, "field.creator", escape(pool.created_by or "—")),
        _field(lang, "field.created", escape(stamp_ago(pool.created_at, now=now, lang=lang))),
    ]
    blocks = [header(pool.name or pool.id), fields_section(fields)]
    if pool.description.strip():
        blocks.append(section(escape(pool.description)))
    blocks.append(context(msg(lang, "pool.id_line", id=pool.id)))
    return blocks


def _field(lang: Lang, key: str, value: str) -> str:
    return f"*{escape(t(lang, key))}*\n{value}"


def nodes_blocks(pool: Pool, nodes: Sequence[Node], *, lang: Lang) -> list[Block]:
    """Render a pool's nodes, cordoned and failed ones first and flagged."""
    blocks = [section(msg(lang, "nodes.title", pool=pool.name or pool.id, count=len(nodes)))]
    if not nodes:
        return [*blocks, section(msg(lang, "nodes.none"))]
    cordoned = sum(1 for node in nodes if node.is_cordoned)
    failed = sum(1 for node in nodes if node.is_failed)
    if cordoned or failed:
        blocks.append(context(msg(lang, "nodes.summary", cordoned=cordoned, failed=failed)))
    ordered = sorted(nodes, key=lambda node: not (node.is_failed or node.is_cordoned))
    keys = ("table.node", "table.gpu_type", "table.gpus", "table.cpu", "table.memory")
    heading = tuple(t(lang, key) for key in (*keys, "table.phase", "table.flags"))
    rows = [_node_row(node, lang=lang) for node in ordered]
    widths = (30, 14, 7, 9, 16, 26, 16)
    blocks += _table_blocks([heading, *rows], widths, lang=lang)
    # The descriptor is the resource name jobs and quotas use (resourcePool.go:118).
    names = sorted({node.gpu_descriptor for node in nodes if node.gpu_descriptor})[:10]
    if names:
        shown = ", ".join(code(name, 100) for name in names)
        blocks.append(context(t(lang, "nodes.gpu_resources", names=shown)))
    return blocks


def _node_row(node: Node, *, lang: Lang) -> tuple[str, ...]:
    flags = []
    if node.is_failed:
        flags.append("✖ " + t(lang, "flag.failed"))
    if node.is_cordoned:
        flags.append("⚠ " + t(lang, "flag.cordoned"))
    return (
        node.name or node.instance_name or node.instance_id or "—",
        node.gpu_type or "—",
        _usage(node.gpu_allocated, node.gpu_total),
        _capacity(node.cpu_allocated, node.cpu_total, str),
        _capacity(node.memory_allocated, node.memory_total, node_memory),
        node.status_phase or "—",
        ", ".join(flags),
    )


def job_nodes_blocks(nodes: JobNodes, *, lang: Lang) -> list[Block]:
    """Render the nodes a job's pods run on."""
    count = len(nodes.node_names)
    blocks = [section(msg(lang, "job_nodes.title", job=nodes.job_id or "—", count=count))]
    if not count:
        return [*blocks, section(msg(lang, "job_nodes.none"))]
    chunks, used = preformatted_chunks(list(nodes.node_names), max_blocks=_TABLE_BLOCKS)
    blocks.extend(chunks)
    if used < count:
        blocks.append(context(msg(lang, "list.rows_hidden", count=count - used)))
    return blocks
