"""What the fields the live service sends show people: why a pod stopped, queue wait, run time."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Pod
from bot.slack.render import job_card_blocks
from bot.slack.render.notify import failure_blocks
from bot.watch.payloads import FailurePayload, JobRef, PodEndLine
from tests.slack.render.visible import NOW, assert_safe, make_job, shown


def test_card_of_a_failed_job_says_which_pod_stopped_why_and_when() -> None:
    job = make_job(pods=2)
    dead = Pod(
        name="llama-70b-sft-worker-1",
        phase="Failed",
        reason="OOMKilled <!channel>",
        finished_at=NOW - timedelta(minutes=5),
    )
    clean = Pod(name="llama-70b-sft-master-0", phase="Succeeded", reason="Completed")
    job = job.model_copy(update={"pods": (clean, dead)})
    blocks = job_card_blocks(job, now=NOW, lang="en")
    assert_safe(blocks)
    text = shown(blocks)
    assert (
        "`llama-70b-sft-worker-1` stopped: *OOMKilled <!channel>* at 2026-11-26 22:55 UTC" in text
    )
    assert "Completed" not in text


def test_card_splits_queue_wait_from_run_time() -> None:
    job = make_job(age=timedelta(hours=3))
    running = job.model_copy(update={"running_at": NOW - timedelta(hours=1)})
    text = shown(job_card_blocks(running, now=NOW, lang="en"))
    assert "*Queued for*\n2h" in text
    assert "*Running for*\n1h" in text


def test_card_of_a_finished_job_shows_run_time_and_total() -> None:
    job = make_job(age=timedelta(hours=3), finished_after=timedelta(hours=2, minutes=30))
    done = job.model_copy(update={"running_at": NOW - timedelta(hours=2, minutes=45)})
    text = shown(job_card_blocks(done, now=NOW, lang="zh"))
    assert "*排队*\n15分" in text
    assert "*运行*\n2小时 15分" in text


def test_failure_notice_names_the_stopped_pod_and_its_reason() -> None:
    payload = FailurePayload(
        job=JobRef(id="pytorchjob-1", name="train"),
        old="Running",
        new="Failed",
        ended=[PodEndLine(pod="train-master-0", reason="Error")],
    )
    text = shown(failure_blocks(payload, lang="en"))
    assert "`train-master-0` stopped: *Error*" in text


def test_queue_list_shows_nested_queues_under_their_parent_with_job_counts() -> None:
    from bot.domain import ROOT_QUEUE_NAME, Pool, Queue
    from bot.slack.render import queues_blocks

    dev = Queue(name="team-a-dev", queue_type="Elastic", running=1, inqueue=0, pending=2)
    team = Queue(name="team-a", queue_type="Elastic", running=3, children=(dev,))
    root = Queue(name=ROOT_QUEUE_NAME, children=(team, Queue(name="team-b")))
    text = shown(queues_blocks(Pool(id="cce-1"), [root, dev], lang="en"))
    lines = text.splitlines()
    team_at = next(i for i, line in enumerate(lines) if line.startswith("team-a "))
    assert lines[team_at + 1].startswith("└ team-a-dev ")
    assert "1/0/2" in lines[team_at + 1]
    assert "3/—/—" in lines[team_at]
    assert any(line.startswith("team-b ") for line in lines)
    assert ROOT_QUEUE_NAME not in text
    assert text.count("team-a-dev") == 1
    assert "(3)" in text


def test_nodes_show_cpu_memory_and_the_gpu_resource_name() -> None:
    from bot.domain import Node, Pool
    from bot.slack.render import nodes_blocks

    node = Node(
        name="10.0.0.1",
        gpu_type="A800",
        gpu_total=8,
        gpu_allocated=4,
        gpu_descriptor="baidu.com/a800_80g_cgpu",
        cpu_total=128,
        cpu_allocated=64,
        memory_total=1024 << 30,
        memory_allocated=256 << 30,
    )
    small = Node(name="10.0.0.2", cpu_total=16, memory_total=64)
    text = shown(nodes_blocks(Pool(id="cce-1"), [node, small], lang="en"))
    assert "64/128" in text
    assert "256 GiB/1 TiB" in text
    assert "0 GiB/64 GiB" in text
    assert "GPU resource names: `baidu.com/a800_80g_cgpu`" in text
