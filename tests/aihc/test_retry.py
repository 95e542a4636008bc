"""Retries follow AIHC-NOTES §6: which failures, how often, how long, and with what request."""

from __future__ import annotations

import json
import random

import httpx
import pytest

from bot.aihc.errors import (
    AihcBadRequest,
    AihcNotFound,
    AihcServerError,
    AihcThrottled,
    AihcTransportError,
)
from bot.aihc.once import REQUEST_LABEL
from bot.aihc.retry import RetryPolicy
from bot.domain import JobSpec, QueueSpec
from tests.aihc.fake import FakeAihc, bce_error, ok

POOL = "cce-1"
JOB_PATH = "/api/v1/aijobs/pytorchjob-x"
GOOD_JOB = ok({"requestId": "r", "result": {"jobId": "pytorchjob-x", "status": "Running"}})


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed"),
        bce_error(429, "", "slow down"),
        bce_error(500, "InternalError", "oops"),
        bce_error(502, "", "bad gateway"),
        bce_error(503, "ServiceUnavailable", "busy"),
        bce_error(504, "", "gateway timeout"),
        bce_error(400, "RequestExpired", "Request has expired."),
    ],
)
async def test_reads_retry_transient_failures(
    fake: FakeAihc, failure: httpx.Response | Exception
) -> None:
    fake.on("GET", JOB_PATH, failure, failure, GOOD_JOB)
    async with fake.client() as client:
        job = await client.get_job(POOL, "pytorchjob-x")
    assert job.id == "pytorchjob-x"
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "MalformedJSON"), (403, "AccessDenied"), (404, "NotFound"), (409, ""), (501, "")],
)
async def test_other_errors_are_never_retried(fake: FakeAihc, status: int, code: str) -> None:
    fake.on("GET", JOB_PATH, bce_error(status, code, "no"), GOOD_JOB)
    async with fake.client() as client:
        with pytest.raises((AihcBadRequest, AihcServerError)):
            await client.get_job(POOL, "pytorchjob-x")
    assert len(fake.requests) == 1


async def test_gives_up_after_the_last_attempt(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, bce_error(503, "", "busy"))
    async with fake.client(retry=RetryPolicy(attempts=3)) as client:
        with pytest.raises(AihcServerError) as caught:
            await client.get_job(POOL, "pytorchjob-x")
    assert caught.value.attempts == 3
    assert len(fake.requests) == 3


async def test_every_attempt_is_signed_afresh(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, bce_error(400, "RequestExpired", "expired"), GOOD_JOB)
    async with fake.client() as client:
        await client.get_job(POOL, "pytorchjob-x")
    first, second = fake.requests
    assert first.headers["x-bce-date"] != second.headers["x-bce-date"]
    assert first.headers["authorization"] != second.headers["authorization"]
    assert second.headers["x-bce-date"] in second.headers["authorization"]


async def test_backoff_grows_exponentially_with_jitter(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, bce_error(503, "", "busy"))
    policy = RetryPolicy(attempts=6, base_delay=0.5, max_delay=3.0)
    async with fake.client(retry=policy, rng=random.Random(7)) as client:
        with pytest.raises(AihcServerError):
            await client.get_job(POOL, "pytorchjob-x")
    ceilings = [0.5, 1.0, 2.0, 3.0, 3.0]
    assert len(fake.sleeps) == 5
    for slept, ceiling in zip(fake.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= slept <= ceiling
    assert len(set(fake.sleeps)) > 1  # jittered, not fixed


async def test_retry_after_is_honoured_and_capped(fake: FakeAihc) -> None:
    slow = httpx.Response(429, json={"code": "Throttling"}, headers={"Retry-After": "4"})
    very_slow = httpx.Response(429, headers={"Retry-After": "3600"})
    fake.on("GET", JOB_PATH, slow, very_slow, GOOD_JOB)
    async with fake.client(retry=RetryPolicy(attempts=4, max_retry_after=20)) as client:
        await client.get_job(POOL, "pytorchjob-x")
    assert fake.sleeps == [4.0, 20.0]


async def test_throttling_that_outlasts_the_attempts_surfaces(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, httpx.Response(429, headers={"Retry-After": "1"}))
    async with fake.client(retry=RetryPolicy(attempts=2)) as client:
        with pytest.raises(AihcThrottled) as caught:
            await client.get_job(POOL, "pytorchjob-x")
    assert caught.value.retry_after == 1.0


NO_JOBS = ok({"requestId": "l", "result": {"total": 0, "jobs": []}})


def _labelled_job(token: str) -> httpx.Response:
    job = {
        "jobId": "pytorchjob-made",
        "name": "n",
        "labels": [{"key": REQUEST_LABEL, "value": token}],
    }
    return ok({"requestId": "l", "result": {"total": 1, "jobs": [job]}})


def _sequence(fake: FakeAihc) -> list[str]:
    return [r.method for r in fake.requests]


async def test_job_create_looks_for_its_job_before_each_new_attempt(fake: FakeAihc) -> None:
    created = ok({"requestId": "r", "result": {"jobId": "pytorchjob-new", "jobName": "n"}})
    fake.on("POST", "/api/v1/aijobs", httpx.ReadTimeout("lost"), bce_error(503, "", ""), created)
    fake.on("GET", "/api/v1/aijobs", NO_JOBS)
    spec = JobSpec(name="n", image="img", command="python train.py")
    async with fake.client() as client:
        ref = await client.create_job(POOL, spec, client_token="slack-T1-C1-1721118823.1")
    assert ref.job_id == "pytorchjob-new"
    assert _sequence(fake) == ["POST", "GET", "POST", "GET", "POST"]
    posts = fake.calls("POST", "/api/v1/aijobs")
    assert {r.url.params["clientToken"] for r in posts} == {"slack-T1-C1-1721118823.1"}
    assert len({r.read() for r in posts}) == 1
    labels = json.loads(posts[0].read())["labels"]
    assert {"key": REQUEST_LABEL, "value": "slack-T1-C1-1721118823.1"} in labels
    looks = fake.calls("GET", "/api/v1/aijobs")
    assert {(r.url.params["orderBy"], r.url.params["order"]) for r in looks} == {
        ("createdAt", "desc")
    }


async def test_job_create_whose_job_is_found_is_not_sent_again(fake: FakeAihc) -> None:
    fake.on("POST", "/api/v1/aijobs", httpx.RemoteProtocolError("peer closed"))
    fake.on("GET", "/api/v1/aijobs", _labelled_job("slack-k"))
    spec = JobSpec(name="n", image="img", command="c")
    async with fake.client() as client:
        ref = await client.create_job(POOL, spec, client_token="slack-k")
    assert (ref.job_id, ref.request_id) == ("pytorchjob-made", "recovered")
    assert _sequence(fake) == ["POST", "GET"]


async def test_job_create_gives_up_after_its_attempts_and_never_sends_blindly(
    fake: FakeAihc,
) -> None:
    fake.on("POST", "/api/v1/aijobs", bce_error(500, "InternalError", "oops", request_id="rq-9"))
    fake.on("GET", "/api/v1/aijobs", NO_JOBS, NO_JOBS, httpx.ReadTimeout("slow"))
    spec = JobSpec(name="n", image="img", command="c")
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AihcServerError) as caught:
            await client.create_job(POOL, spec, client_token="slack-k")
    assert caught.value.request_id == "rq-9"
    assert _sequence(fake) == ["POST", "GET", "POST", "GET", "POST", "GET"]


async def test_job_create_without_a_look_that_answers_is_not_tried_again(fake: FakeAihc) -> None:
    fake.on("POST", "/api/v1/aijobs", httpx.ReadTimeout("lost"))
    fake.on("GET", "/api/v1/aijobs", bce_error(503, "", ""))
    spec = JobSpec(name="n", image="img", command="c")
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AihcTransportError):
            await client.create_job(POOL, spec, client_token="slack-k")
    assert _sequence(fake) == ["POST", "GET"]


async def test_job_create_refused_is_not_tried_again(fake: FakeAihc) -> None:
    fake.on("POST", "/api/v1/aijobs", bce_error(400, "InvalidParameter", "bad image"))
    spec = JobSpec(name="n", image="img", command="c")
    async with fake.client() as client:
        with pytest.raises(AihcBadRequest):
            await client.create_job(POOL, spec, client_token="slack-k")
    assert _sequence(fake) == ["POST"]


async def test_job_create_refuses_an_unusable_token(fake: FakeAihc) -> None:
    from bot.aihc.errors import AihcError

    spec = JobSpec(name="n", image="img", command="c")
    async with fake.client() as client:
        with pytest.raises(AihcError, match="clientToken"):
            await client.create_job(POOL, spec, client_token="has spaces & more")
    assert fake.requests == []


async def test_queue_create_is_retried_only_when_it_surely_did_not_arrive(fake: FakeAihc) -> None:
    path = "/api/v1/resourcepools/p/queue"
    created = ok({"requestID": "r", "result": {"queueName": "q"}})
    fake.on("POST", path, httpx.ConnectError("refused"), bce_error(429, "", ""), created)
    async with fake.client() as client:
        assert (await client.create_queue("p", QueueSpec(name="q"))).name == "q"
    assert len(fake.requests) == 3

    for unknown_outcome in (httpx.ReadTimeout("lost"), bce_error(500, "InternalError", "")):
        other = FakeAihc()
        other.on("POST", path, unknown_outcome, created)
        async with other.client() as client:
            with pytest.raises((AihcTransportError, AihcServerError)):
                await client.create_queue("p", QueueSpec(name="q"))
        assert len(other.requests) == 1


async def test_delete_that_finds_the_job_gone_after_a_retry_succeeded(fake: FakeAihc) -> None:
    gone = bce_error(404, "cce.warning.GetAIJobByJobIdFailed", "not found job", "rid-gone")
    fake.on("DELETE", JOB_PATH, httpx.ReadTimeout("lost"), gone)
    async with fake.client() as client:
        ref = await client.delete_job(POOL, "pytorchjob-x")
    assert (ref.job_id, ref.request_id) == ("pytorchjob-x", "rid-gone")


async def test_delete_of_a_job_that_never_existed_fails(fake: FakeAihc) -> None:
    fake.on("DELETE", JOB_PATH, bce_error(404, "cce.warning.GetAIJobByJobIdFailed", "not found"))
    async with fake.client() as client:
        with pytest.raises(AihcNotFound):
            await client.delete_job(POOL, "pytorchjob-x")


async def test_stop_refused_after_a_retry_succeeds_if_the_job_ended(fake: FakeAihc) -> None:
    refused = bce_error(400, "cce.warning.StopAIJobFailed", "job is not running")
    fake.on("POST", JOB_PATH + "/stop", bce_error(502, "", ""), refused)
    stopped = {"result": {"jobId": "pytorchjob-x", "status": "ManualTermination"}}
    fake.on("GET", JOB_PATH, ok(stopped))
    async with fake.client() as client:
        ref = await client.stop_job(POOL, "pytorchjob-x")
    assert ref.job_id == "pytorchjob-x"


async def test_stop_refused_at_once_is_an_error(fake: FakeAihc) -> None:
    fake.on("POST", JOB_PATH + "/stop", bce_error(400, "cce.warning.StopAIJobFailed", "no"))
    async with fake.client() as client:
        with pytest.raises(AihcBadRequest):
            await client.stop_job(POOL, "pytorchjob-x")
    assert fake.calls("GET", JOB_PATH) == []
