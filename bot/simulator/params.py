"""Reading query parameters and JSON bodies the way the v1 API does, with BCE-style errors."""

from __future__ import annotations

import json

from aiohttp import web

from bot.simulator.errors import ApiError, inappropriate, invalid, malformed_json

REQUEST_ID = web.RequestKey("request_id", str)
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10


def required(request: web.Request, name: str) -> str:
    """Return a required query parameter, or answer 400 when it is missing or empty."""
    value = request.query.get(name, "")
    if not value:
        raise invalid(f"{name} is required")
    return value


def integer(
    request: web.Request, name: str, default: int | None, *, minimum: int = 0
) -> int | None:
    """Return an integer query parameter (or `default`), answering 400 on anything else."""
    raw = request.query.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise invalid(f"{name} must be >= {minimum}")
    return value


def paging(request: web.Request) -> tuple[int, int]:
    """Return (pageNo, pageSize), the size capped at 100 as AIHC caps it."""
    page_no = integer(request, "pageNo", 1, minimum=1) or 1
    size = integer(request, "pageSize", DEFAULT_PAGE_SIZE, minimum=1) or DEFAULT_PAGE_SIZE
    return page_no, min(size, MAX_PAGE_SIZE)


def descending(request: web.Request) -> bool:
    """Return whether `order` asks for descending (the default) order."""
    order = request.query.get("order", "desc").lower() or "desc"
    if order not in ("asc", "desc"):
        raise invalid(f"order must be asc or desc, got {order!r}")
    return order == "desc"


def choice(request: web.Request, name: str, allowed: tuple[str, ...]) -> str:
    """Return a parameter restricted to `allowed` (the first one is the default)."""
    value = request.query.get(name, "") or allowed[0]
    if value not in allowed:
        raise invalid(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


async def json_body(request: web.Request) -> dict[str, object]:
    """Return the request's JSON object, answering MalformedJSON or InappropriateJSON."""
    text = await request.text()
    try:
        body = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        raise malformed_json() from None
    if not isinstance(body, dict):
        raise inappropriate("the request body must be a JSON object")
    return body


def ok(request: web.Request, result: object, *, id_key: str = "requestId") -> web.Response:
    """Answer 200 with `{requestId, result}` (queue routes spell it `requestID`)."""
    return web.json_response({id_key: request[REQUEST_ID], "result": result})


def error_response(error: ApiError, request_id: str) -> web.Response:
    """Answer a BCE error body with its status."""
    body = {"requestId": request_id, "code": error.code, "message": error.message}
    response = web.json_response(body, status=error.status)
    if error.status == 429:
        response.headers["Retry-After"] = "1"
    return response


__all__ = ["ApiError"]
