"""bce-auth-v1: the published vectors, and agreement with Baidu's own signer."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from bot.aihc.signer import BceAuth, encode_query, uri_encode

AK = "AKIDEXAMPLE00000000000000000000"
SK = "SKEXAMPLE1111111111111111111111"
WHEN = datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)
HOST = "https://aihc.bj.baidubce.com"


def signed(request: httpx.Request, *, expiration: int = 1800) -> httpx.Request:
    auth = BceAuth(AK, SecretStr(SK), expiration_seconds=expiration, clock=lambda: WHEN)
    flow = auth.auth_flow(request)
    return next(flow)


@pytest.mark.parametrize(
    ("method", "path", "query", "expiration", "signature"),
    [
        (
            "GET",
            "/api/v1/resourcepools",
            [("pageNo", "1"), ("pageSize", "10")],
            1800,
            "2356fd038717cad8580fa973019b5ed9a8e5196184ed4e5694570155d4bd73b4",
        ),
        (
            "DELETE",
            "/api/v1/resourcepools/cce-9c2b8j9n/queue/" + uri_encode("队列 a~1"),
            [],
            3600,
            "d5c58725da217ede747e707afcd98a394ec6cde59a63e8c7614d32f52f5c9e68",
        ),
        (
            "GET",
            "/api/v1/aijobs",
            [
                ("resourcePoolId", "cce-6zwnp4zf"),
                ("queue", "team a/b"),
                ("orderBy", "createdAt"),
                ("order", "desc"),
                ("pageNo", "1"),
                ("pageSize", "20"),
                ("startTime", ""),
            ],
            1800,
            "39acf5e189aa1799a8e64377526545cf83a64c22b0c1a21e8a15cdde56ace0ed",
        ),
    ],
)
def test_reproduces_the_published_vectors(
    method: str, path: str, query: list[tuple[str, str]], expiration: int, signature: str
) -> None:
    raw = path + ("?" + encode_query(query) if query else "")
    request = signed(httpx.Request(method, httpx.URL(HOST + raw)), expiration=expiration)
    assert request.headers["x-bce-date"] == "2024-07-16T08:33:43Z"
    assert request.headers["authorization"] == (
        f"bce-auth-v1/{AK}/2024-07-16T08:33:43Z/{expiration}/host;x-bce-date/{signature}"
    )
