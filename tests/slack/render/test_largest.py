"""The largest realistic inputs, and arbitrary text, always make a message Slack accepts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import (
    Event,
    Job,
    JobMetrics,
    JobNodes,
    JobStatus,
    MetricPoint,
    MetricType,
    Node,
    Pod,
    PodMetrics,
    Pool,
    Queue,
)
from bot.slack.commands.table import GRAMMAR
from bot.slack.i18n import Lang
from bot.slack.render import (
    aihc_error_blocks,
    choice_blocks,
    events_blocks,
    fallback_text,
    help_blocks,
    job_card_blocks,
    job_nodes_blocks,
    jobs_blocks,
    logs_blocks,
    metrics_blocks,
    nodes_blocks,
    not_found_blocks,
    notice_blocks,
    pool_blocks,
    pools_blocks,
    queue_blocks,
    queues_blocks,
    unknown_command_blocks,
    usage_blocks,
)
from tests.slack.render.visible import NOW, assert_safe, make_job

LANGS: tuple[Lang, ...] = ("en", "zh")
LONG_NAME = "大模型预训练-llama-70b-🚀-" * 20
POOL = Pool(id="cce-" + "x" * 300, name=LONG_NAME, description=LONG_NAME * 20)


def long_job(i: int, *, pods: int = 8) -> Job:
    return make_job(name=f"{LONG_NAME}{i}", job_id=f"pytorchjob-{i}", pods=pods)


@pytest.mark.parametrize("lang", LANGS)
def test_hundreds_of_jobs(lang: Lang) -> None:
    jobs = [long_job(i, pods=0) for i in range(500)]
    blocks = jobs_blocks(
        jobs, now=NOW, lang=lang, title=LONG_NAME, start=0, total=50_000, more_value="m" * 1000
    )
    assert_safe(blocks)


@pytest.mark.parametrize("lang", LANGS)
def test_a_job_with_512_pods_and_long_unicode_names(lang: Lang) -> None:
    job = long_job(1, pods=512).model_copy(
        update={"image": LONG_NAME * 10, "status": JobStatus.FAILED, "queue": LONG_NAME}
    )
    blocks = job_card_blocks(job, now=NOW, lang=lang)
    assert_safe(blocks)
    assert len(blocks) <= 45


@pytest.mark.parametrize("lang", LANGS)
def test_a_thousand_long_events(lang: Lang) -> None:
    events = [
        Event(reason=LONG_NAME, message=LONG_NAME * 30, type="Warning", count=i, last_timestamp=NOW)
        for i in range(1000)
    ]
    assert_safe(events_blocks(LONG_NAME, events, now=NOW, lang=lang))


@pytest.mark.parametrize("lang", LANGS)
def test_ten_thousand_long_log_lines(lang: Lang) -> None:
    lines = [f"{i} " + LONG_NAME * (i % 20) for i in range(10_000)]
    assert_safe(logs_blocks(LONG_NAME, lines, lang=lang))


@pytest.mark.parametrize("lang", LANGS)
def test_metrics_of_a_hundred_pods(lang: Lang) -> None:
    points = tuple(
        MetricPoint(time=NOW - timedelta(minutes=i), value=None if i % 9 == 0 else float(i % 100))
        for i in range(2000)
    )
    metrics = JobMetrics(
        job_id=LONG_NAME,
        metric_type=MetricType.NVLINK_RECV_DATA_RATE,
        pods=tuple(PodMetrics(pod_name=f"{LONG_NAME}-{i}", points=points) for i in range(100)),
    )
    assert_safe(metrics_blocks(metrics, lang=lang))


@pytest.mark.parametrize("lang", LANGS)
def test_two_hundred_nodes_and_pools_and_queues(lang: Lang) -> None:
    nodes = [
        Node(name=f"{LONG_NAME}{i}", status_phase="create_failed" if i % 10 else "running")
        for i in range(200)
    ]
    assert_safe(nodes_blocks(POOL, nodes, lang=lang))
    assert_safe(pools_blocks([POOL] * 200, now=NOW, lang=lang))
    assert_safe(pool_blocks(POOL, now=NOW, lang=lang))
    quotas = {f"{LONG_NAME}{i}": str(i * 10**12) for i in range(50)}
    queues = [Queue(name=f"{LONG_NAME}{i}", deserved=quotas, allocated=quotas) for i in range(300)]
    assert_safe(queues_blocks(POOL, queues, lang=lang))
    assert_safe(queue_blocks(queues[0], now=NOW, lang=lang))
    names = tuple(node.name for node in nodes)
    assert_safe(job_nodes_blocks(JobNodes(job_id=LONG_NAME, node_names=names * 20), lang=lang))


TEXT = st.text(max_size=400)
LINES = st.lists(st.text(max_size=300), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, other=TEXT, lines=LINES, lang=st.sampled_from(LANGS))
def test_arbitrary_text_never_breaks_a_message_or_pings(
    name: str, other: str, lines: list[str], lang: Lang
) -> None:
    job = make_job(name=name, pods=3, status_text=other).model_copy(
        update={
            "image": other,
            "queue": other,
            "pool_id": name,
            "pods": (Pod(name=other, phase=name, node_name=other),),
        }
    )
    event = Event(reason=name, message=other, type="Warning", last_timestamp=NOW)
    metrics = JobMetrics(
        job_id=name,
        metric_type=MetricType.GPU_USAGE,
        pods=(PodMetrics(pod_name=other, points=(MetricPoint(value=1.0),)),),
    )
    messages = [
        job_card_blocks(job, now=NOW, lang=lang),
        jobs_blocks([job], now=NOW, lang=lang, title=name, start=0, total=1, more_value=other),
        events_blocks(name, [event], now=NOW, lang=lang),
        logs_blocks(name, lines, lang=lang),
        metrics_blocks(metrics, lang=lang),
        nodes_blocks(Pool(id=name), [Node(name=other, status_phase=name)], lang=lang),
        queues_blocks(Pool(id=other), [Queue(name=name, deserved={other: name})], lang=lang),
        queue_blocks(
            Queue(name=name, description=other, allocated={name: other}), now=NOW, lang=lang
        ),
        job_nodes_blocks(JobNodes(job_id=name, node_names=(other,)), lang=lang),
        help_blocks(GRAMMAR.commands, lang=lang),
        usage_blocks(GRAMMAR.get("job.logs"), other, lang=lang),
        unknown_command_blocks(name, GRAMMAR.get("job.list"), lang=lang),
        choice_blocks(name, [(other, "v", None), (name, "w", None)], lang=lang),
        aihc_error_blocks(name, other, name, lang=lang),
        not_found_blocks("job", name, lang=lang),
        notice_blocks(name),
    ]
    for blocks in messages:
        assert_safe(blocks)
        assert "<" not in fallback_text(blocks)
