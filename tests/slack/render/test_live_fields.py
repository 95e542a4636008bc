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
