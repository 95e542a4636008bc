"""AIHC error answers become one hierarchy, whatever their body looks like."""

from __future__ import annotations

import httpx
import pytest

from bot.aihc.errors import (
    AihcApiError,
    AihcAuthError,
    AihcBadRequest,
    AihcConflict,
    AihcError,
    AihcNotFound,
    AihcResponseError,
    AihcServerError,
    AihcThrottled,
    AihcTransportError,
    error_from_response,
    parse_retry_after,
)
from bot.aihc.retry import RetryPolicy
from tests.aihc.fake import FakeAihc, bce_error, ok

JOB_PATH = "/api/v1/aijobs/pytorchjob-x"


async def get_job_error(fake: FakeAihc, *replies: httpx.Response | Exception) -> AihcError:
    fake.on("GET", JOB_PATH, *replies)
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AihcError) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    return caught.value


@pytest.mark.parametrize(
    ("status", "code", "message", "kind"),
    [
        (404, "cce.warning.GetAIJobByJobIdFailed", "not found job", AihcNotFound),
        (400, "cce.warning.GetAIJobByJobIdFailed", "not found job", AihcNotFound),
        (403, "AccessDenied", "Access denied.", AihcAuthError),
        (403, "InvalidAccessKeyId", "The access key does not exist.", AihcAuthError),
        (400, "SignatureDoesNotMatch", "The signature does not match.", AihcAuthError),
        (400, "MalformedJSON", "The JSON is malformed.", AihcBadRequest),
        (412, "PreconditionFailed", "Precondition failed.", AihcConflict),
        (400, "QueueAlreadyExists", "queue demo already exists", AihcConflict),
        (429, "", "slow down", AihcThrottled),
        (400, "RequestLimitExceeded", "too many requests", AihcThrottled),
        (500, "InternalError", "We encountered an internal error.", AihcServerError),
    ],
)
async def test_error_kinds(
    fake: FakeAihc, status: int, code: str, message: str, kind: type[AihcApiError]
) -> None:
    error = await get_job_error(fake, bce_error(status, code, message, request_id="rid-7"))
    assert isinstance(error, kind)
    assert (error.status, error.code, error.message, error.request_id) == (
        status,
        code,
        message,
        "rid-7",
    )


async def test_empty_error_body(fake: FakeAihc) -> None:
    error = await get_job_error(
        fake, httpx.Response(502, content=b"", headers={"x-bce-request-id": "hdr-1"})
    )
    assert isinstance(error, AihcServerError)
    assert (error.code, error.message, error.request_id) == ("", "Bad Gateway", "hdr-1")


async def test_html_gateway_page(fake: FakeAihc) -> None:
    page = b"<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>"
    error = await get_job_error(fake, httpx.Response(504, content=page))
    assert isinstance(error, AihcServerError)
    assert error.message == "non-JSON answer (504 Gateway Time-out)"
    assert "nginx" not in str(error)


async def test_malformed_and_odd_json_error_bodies(fake: FakeAihc) -> None:
    truncated = await get_job_error(fake, httpx.Response(400, content=b'{"code": "Bad'))
    assert isinstance(truncated, AihcBadRequest)
    assert truncated.message == '{"code": "Bad'
    listed = await get_job_error(FakeAihc(), httpx.Response(500, json=["odd"]))
    assert isinstance(listed, AihcServerError)
    assert listed.code == ""
    upper = await get_job_error(
        FakeAihc(), httpx.Response(404, json={"requestID": "R", "Code": "NotFound", "Message": "x"})
    )
    assert isinstance(upper, AihcNotFound)
    assert upper.request_id == "R"
    assert upper.code == "NotFound"


async def test_long_messages_are_cut(fake: FakeAihc) -> None:
    error = await get_job_error(fake, bce_error(400, "Invalid", "x" * 5000))
    assert isinstance(error, AihcApiError)
    assert len(error.message) == 300


async def test_success_that_is_not_json(fake: FakeAihc) -> None:
    error = await get_job_error(
        fake, httpx.Response(200, content=b"<html>login</html>", headers={"x-bce-request-id": "h"})
    )
    assert isinstance(error, AihcResponseError)
    assert error.request_id == "h"
    assert "not a JSON object" in str(error)


async def test_connection_failure_is_a_transport_error(fake: FakeAihc) -> None:
    error = await get_job_error(fake, httpx.ConnectError("refused"))
    assert isinstance(error, AihcTransportError)
    assert "job.get" in str(error)


async def test_successful_answer_parses(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, ok({"result": {"jobId": "pytorchjob-x", "status": "Failed"}}))
    async with fake.client() as client:
        job = await client.get_job("cce-1", "pytorchjob-x")
    assert job.status.is_terminal


def test_retry_after_in_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 7, 16, 8, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Tue, 16 Jul 2024 08:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 16 Jul 2024 07:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("size", [140 * 1024, 1 << 20])
def test_the_summary_of_a_large_html_body_looks_only_at_its_start(size: int) -> None:
    # A title that closes only at the end is as good as none: nothing past the start is read.
    late = b"<html><head><title>" + b"<title>" * (size // 7) + b"</title></head></html>"
    error = error_from_response(httpx.Response(502, content=late))
    assert error.message == "non-JSON answer"
    # Unclosed titles throughout: a backtracking search was quadratic here (140 KB: 30 s).
    unclosed = b"<html><head>" + b"<title>" * (size // 7)
    assert error_from_response(httpx.Response(502, content=unclosed)).message == "non-JSON answer"
    titled = b"<html><head><title> 502 Bad\n Gateway </title>" + b"<p>x</p>" * (size // 8)
    assert error_from_response(httpx.Response(502, content=titled)).message == (
        "non-JSON answer (502 Bad Gateway)"
    )


def test_a_huge_json_error_is_summarised_from_its_start() -> None:
    body = b'{"code": "' + b"C" * (1 << 20) + b'", "message": "' + b"m " * (1 << 19) + b'"}'
    error = error_from_response(httpx.Response(400, content=body))
    assert isinstance(error, AihcBadRequest)
    assert len(error.code) <= 100
    assert len(error.message) <= 300
