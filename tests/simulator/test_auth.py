"""bce-auth-v1: signed calls pass, and each kind of bad signature gets BCE's answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from baidubce.auth import bce_v1_signer
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.utils import normalize_string
from pydantic import SecretStr

from bot.aihc.signer import BceAuth, encode_query, format_timestamp, sign, uri_encode
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, serve
from tests.simulator.conftest import Sim, config, signed


def _error(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"requestId", "code", "message"}
    assert body["requestId"] == response.headers["x-bce-request-id"]
    return response.status_code, body["code"]


async def test_a_signed_call_is_answered_with_its_request_id(sim: Sim) -> None:
    response = await sim.api.get("/api/v1/resourcepools")
    assert response.status_code == 200
    assert response.json()["requestId"] == response.headers["x-bce-request-id"]


async def test_a_call_without_authorization_is_denied(sim: Sim) -> None:
    response = await sim.ctl.get("/api/v1/resourcepools")
    assert _error(response) == (403, "AccessDenied")


async def test_a_malformed_authorization_header_is_rejected(sim: Sim) -> None:
    for value in (
        "Bearer abc",
        "bce-auth-v1/ak/2024-07-16T08:33:43Z/1800/host;x-bce-date",
        "bce-auth-v1/ak/yesterday/1800/host;x-bce-date/abc",
        "bce-auth-v1/ak/2024-07-16T08:33:43Z/never/host;x-bce-date/abc",
        f"bce-auth-v1/{DEFAULT_ACCESS_KEY}/2024-07-16T08:33:43Z/1800/x-bce-date/abc",
    ):
        response = await sim.ctl.get("/api/v1/resourcepools", headers={"Authorization": value})
        assert _error(response) == (400, "InvalidHTTPAuthHeader"), value


async def test_an_unknown_access_key_is_rejected(sim: Sim) -> None:
    async with signed(sim.running.url, ak="AKNOBODY", sk=DEFAULT_SECRET_KEY) as client:
        response = await client.get("/api/v1/resourcepools")
    assert _error(response) == (403, "InvalidAccessKeyId")


async def test_a_wrong_secret_key_does_not_match(sim: Sim) -> None:
    async with signed(sim.running.url, sk="not-the-secret") as client:
        response = await client.get("/api/v1/resourcepools")
    assert _error(response) == (400, "SignatureDoesNotMatch")


async def test_a_query_changed_after_signing_does_not_match(sim: Sim) -> None:
    stamp = format_timestamp(datetime.now(UTC))
    host = httpx.URL(sim.running.url).netloc.decode()
    authorization = sign(
        access_key=DEFAULT_ACCESS_KEY,
        secret_key=DEFAULT_SECRET_KEY,
        method="GET",
        raw_path="/api/v1/resourcepools",
        raw_query="pageNo=1",
        headers={"host": host, "x-bce-date": stamp},
        timestamp=stamp,
    )
    headers = {"Authorization": authorization, "x-bce-date": stamp}
    good = await sim.ctl.get("/api/v1/resourcepools?pageNo=1", headers=headers)
    bad = await sim.ctl.get("/api/v1/resourcepools?pageNo=2", headers=headers)
    assert good.status_code == 200
    assert _error(bad) == (400, "SignatureDoesNotMatch")


async def test_an_old_signature_has_expired(sim: Sim) -> None:
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    auth = BceAuth(DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY), clock=lambda: two_hours_ago)
    async with httpx.AsyncClient(base_url=sim.running.url, auth=auth) as client:
        response = await client.get("/api/v1/resourcepools")
    assert _error(response) == (400, "RequestExpired")


async def test_a_unicode_queue_name_in_the_path_verifies(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    base = f"/api/v1/resourcepools/{pool}/queue"
    created = await empty_sim.api.post(base, json={"name": "队列 a~1"})
    assert created.status_code == 200, created.text
    fetched = await empty_sim.api.get(f"{base}/队列 a~1")
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["result"]["queue"]["name"] == "队列 a~1"


async def test_configured_keys_replace_the_defaults() -> None:
    custom = config(access_key="AKCUSTOM", secret_key="SKCUSTOM")
    async with (
        serve(custom) as running,
        signed(running.url) as default_keys,
        signed(running.url, ak="AKCUSTOM", sk="SKCUSTOM") as custom_keys,
    ):
        refused = await default_keys.get("/api/v1/resourcepools")
        accepted = await custom_keys.get("/api/v1/resourcepools")
    assert _error(refused) == (403, "InvalidAccessKeyId")
    assert accepted.status_code == 200


async def test_control_routes_need_no_signature(sim: Sim) -> None:
    response = await sim.ctl.get("/_sim/stats")
    assert response.status_code == 200


async def test_signatures_made_by_baidus_own_sdk_are_accepted(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    base = f"/api/v1/resourcepools/{pool}/queue"
    assert (await empty_sim.api.post(base, json={"name": "队列 a~1"})).status_code == 200
    host = httpx.URL(empty_sim.running.url).netloc.decode()
    epoch = int(datetime.now(UTC).timestamp())
    stamp = format_timestamp(datetime.fromtimestamp(epoch, UTC))
    segments = ["api", "v1", "resourcepools", pool, "queue", "队列 a~1"]
    params = {"orderBy": "createdTime", "order": "desc", "pageNo": "1", "startTime": ""}
    raw_path = "/" + "/".join(uri_encode(s) for s in segments)
    oracle = bce_v1_signer.sign(
        BceCredentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY),
        b"GET",
        b"/" + b"/".join(normalize_string(s, False) for s in segments),
        {b"host": host.encode(), b"x-bce-date": stamp.encode()},
        params,
        epoch,
        1800,
        [b"host", b"x-bce-date"],
    )
    url = httpx.URL(empty_sim.running.url).copy_with(
        raw_path=f"{raw_path}?{encode_query(sorted(params.items()))}".encode()
    )
    headers = {"Authorization": oracle.decode(), "x-bce-date": stamp}
    response = await empty_sim.ctl.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["result"]["queue"]["name"] == "队列 a~1"
