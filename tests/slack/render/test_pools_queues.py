"""Pools, nodes, queues and job nodes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain import ROOT_QUEUE_NAME, JobNodes, Node, Pool, Queue
from bot.slack.i18n import Lang
from bot.slack.render import (
    job_nodes_blocks,
    nodes_blocks,
    pool_blocks,
    pools_blocks,
    queue_blocks,
    queues_blocks,
)
from tests.slack.render.visible import HOSTILE, NOW, assert_safe, shown

LANGS: tuple[Lang, ...] = ("en", "zh")
POOL = Pool(
    id="cce-6zwnp4zf",
    name="a800-pool",
    region="bj",
    phase="running",
    k8s_version="1.26.9",
    created_by="ops",
    created_at=NOW - timedelta(days=40),
    gpu_total=64,
    gpu_used=48,
    node_total=8,
    node_used=6,
)


def node(name: str, *, phase: str = "running", intervention: str = "unintervened") -> Node:
    return Node(
        name=name,
        gpu_type="A800-80G",
        gpu_total=8,
        gpu_allocated=8,
        status_phase=phase,
        intervention=intervention,
    )


def queue(name: str, **quotas: dict[str, str]) -> Queue:
    return Queue(name=name, pool_id=POOL.id, queue_type="Elastic", state="Open", **quotas)


@pytest.mark.parametrize("lang", LANGS)
def test_pools_table_shows_each_pools_capacity(lang: Lang) -> None:
    blocks = pools_blocks(
        [POOL, POOL.model_copy(update={"id": "cce-2", "name": "h800"})], now=NOW, lang=lang
    )
    assert_safe(blocks)
    text = shown(blocks)
    assert "a800-pool" in text
    assert "cce-2" in text
    assert "48/64" in text


def test_no_pools_says_so() -> None:
    assert "No resource pools found." in shown(pools_blocks([], now=NOW, lang="en"))


@pytest.mark.parametrize("lang", LANGS)
def test_pool_detail(lang: Lang) -> None:
    blocks = pool_blocks(POOL, now=NOW, lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    assert ":large_green_circle: running" in text
    assert "48/64 (75%)" in text
    assert "1.26.9" in text
    assert ("40d ago" if lang == "en" else "40天前") in text


def test_nodes_flag_cordoned_and_failed_ones_first() -> None:
    nodes = [
        node("ok-1"),
        node("cordoned-1", intervention="cordoned"),
        node("ok-2"),
        node("broken-1", phase="create_failed"),
        node("disabled-1", phase="ready_scheduling_disabled"),
    ]
    blocks = nodes_blocks(POOL, nodes, lang="en")
    assert_safe(blocks)
    text = shown(blocks)
    assert "2 cordoned · 1 failed" in text
    rows = [line for line in text.splitlines() if line.split(" ")[0] in {n.name for n in nodes}]
    assert [row.split(" ")[0] for row in rows][-2:] == ["ok-1", "ok-2"]
    assert "⚠ cordoned" in rows[0] or "⚠ cordoned" in rows[1]
    assert any("✖ failed" in row for row in rows)


def test_nodes_in_chinese_and_without_nodes() -> None:
    assert "已封锁" in shown(nodes_blocks(POOL, [node("n", intervention="cordoned")], lang="zh"))
    assert "该资源池没有节点" in shown(nodes_blocks(POOL, [], lang="zh"))


@pytest.mark.parametrize("lang", LANGS)
def test_queue_list_hides_the_root_queue(lang: Lang) -> None:
    queues = [
        queue(ROOT_QUEUE_NAME),
        queue(
            "team-a",
            allocated={"baidu.com/a800_80g_cgpu": "16"},
            deserved={"baidu.com/a800_80g_cgpu": "32"},
        ),
    ]
    blocks = queues_blocks(POOL, queues, lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    assert ROOT_QUEUE_NAME not in text
    assert "team-a" in text
    assert "16/32" in text
    assert "(1)" in text or "（1）" in text


def test_queue_list_with_only_the_root_queue_says_so() -> None:
    text = shown(queues_blocks(POOL, [queue(ROOT_QUEUE_NAME)], lang="en"))
    assert "no queues besides the root queue" in text


@pytest.mark.parametrize("lang", LANGS)
def test_queue_detail_shows_quotas_side_by_side_with_memory_in_human_units(lang: Lang) -> None:
    q = queue(
        "team-a",
        deserved={"cpu": "5", "memory": "573173870592", "baidu.com/a800_80g_cgpu": "8"},
        guarantee={"cpu": "2"},
        capability={"memory": "1099511627776"},
        allocated={"cpu": "3.5"},
    ).model_copy(update={"parent": ROOT_QUEUE_NAME, "reclaimable": True})
    blocks = queue_blocks(q, now=NOW, lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    assert "534 GiB" in text
    assert "1 TiB" in text
    assert "3.5" in text
    assert ROOT_QUEUE_NAME not in text
    header = next(line for line in text.splitlines() if "cpu" in line)
    assert header.split() == ["cpu", "5", "2", "—", "3.5"]


def test_queue_without_quotas_says_so() -> None:
    assert "No quotas set." in shown(queue_blocks(queue("q"), now=NOW, lang="en"))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_pool_node_and_queue_names_are_escaped(hostile: str) -> None:
    pool = POOL.model_copy(update={"name": hostile, "description": hostile, "phase": hostile})
    assert_safe(pool_blocks(pool, now=NOW, lang="en"))
    assert_safe(pools_blocks([pool], now=NOW, lang="en"))
    assert_safe(nodes_blocks(pool, [node(hostile)], lang="en"))
    assert_safe(queues_blocks(pool, [queue(hostile)], lang="en"))
    q = queue(hostile).model_copy(update={"description": hostile, "parent": hostile})
    assert_safe(queue_blocks(q, now=NOW, lang="en"))
    assert_safe(job_nodes_blocks(JobNodes(job_id=hostile, node_names=(hostile,)), lang="en"))


@pytest.mark.parametrize("lang", LANGS)
def test_job_nodes(lang: Lang) -> None:
    blocks = job_nodes_blocks(
        JobNodes(job_id="pytorchjob-1", node_names=("10.0.0.1", "10.0.0.2")), lang=lang
    )
    assert_safe(blocks)
    assert "10.0.0.2" in shown(blocks)
    empty = shown(job_nodes_blocks(JobNodes(job_id="j"), lang=lang))
    assert ("not on any node" if lang == "en" else "还没有运行") in empty
