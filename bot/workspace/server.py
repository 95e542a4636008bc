"""The aiohttp side of the fake: Web API methods, response_urls and file uploads, with faults."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.workspace import methods_chat, methods_read, methods_views
from bot.workspace.faults import FaultKind, FaultPlan
from bot.workspace.ids import DEFAULT_APP_TOKEN
from bot.workspace.model import JsonDict, RecordedCall, ResponsePost, SlackError
from bot.workspace.params import normalise, text
from bot.workspace.responses import Minted, apply_response
from bot.workspace.socket_mode import OPEN, SOCKET_PATH, SocketHub
from bot.workspace.state import Workspace

Method = Callable[[Workspace, JsonDict], JsonDict]
METHODS: dict[str, Method] = {
    "auth.test": methods_read.auth_test,
    "chat.postMessage": methods_chat.post_message,
    "chat.update": methods_chat.update,
    "chat.postEphemeral": methods_chat.post_ephemeral,
    "chat.delete": methods_chat.delete,
    "conversations.history": methods_read.history,
    "conversations.replies": methods_read.replies,
    "conversations.info": methods_read.conversation_info,
    "conversations.open": methods_read.conversations_open,
    "users.info": methods_read.user_info,
    "views.open": methods_views.views_open,
    "views.update": methods_views.views_update,
    "views.push": methods_views.views_push,
    "views.publish": methods_views.views_publish,
    "files.getUploadURLExternal": methods_views.get_upload_url,
    "files.completeUploadExternal": methods_views.complete_upload,
}
RESPONSE_URL = "response_url"
UPLOAD = "upload"


class _Dropped(Exception):
    """Raised to close the connection without an answer."""


@dataclass
class Core:
    """The state one fake serves: workspace, faults, recorded calls and minted response_urls."""

    workspace: Workspace
    plan: FaultPlan
    token: str
    response_url_uses: int
    calls: list[RecordedCall] = field(default_factory=list)
    minted: dict[str, Minted] = field(default_factory=dict)
    app_token: str = DEFAULT_APP_TOKEN
    sockets: SocketHub = field(init=False)
    methods: dict[str, Method] = field(init=False)

    def __post_init__(self) -> None:
        self.sockets = SocketHub(self.workspace)
        self.methods = {**METHODS, OPEN: self.sockets.connections_open}

    def record(self, method: str, params: JsonDict, error: str | None, *, ok: bool) -> None:
        """Append one call to the record."""
        self.calls.append(RecordedCall(method, params, self.workspace.clock(), ok, error))


CORE = web.AppKey("core", Core)


async def _read(request: web.Request) -> dict[str, Any]:
    """Merge the query string and the body, JSON or form, as Slack does."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise SlackError("invalid_json") from None
        if isinstance(body, dict):
            raw.update(body)
    elif request.can_read_body:
        raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    return raw


def _json(body: JsonDict, status: int = 200, retry_after: int | None = None) -> web.Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return web.json_response(body, status=status, headers=headers)


def _authorised(core: Core, request: web.Request, raw: dict[str, Any], method: str) -> str | None:
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
    token = token or raw.get("token")
    if not token:
        return "not_authed"
    # apps.connections.open takes the app-level token only; every other method the bot token.
    expected, other = (
        (core.app_token, core.token) if method == OPEN else (core.token, core.app_token)
    )
    if token == expected:
        return None
    return "not_allowed_token_type" if token == other else "invalid_auth"


async def _fault_answer(
    core: Core, method: str, params: JsonDict
) -> tuple[web.Response | None, bool]:
    """Apply the next queued fault: an answer instead of acting, or True to hang up after it."""
    fault = core.plan.take(method)
    if fault is None:
        return None, False
    if fault.kind is FaultKind.SLOW:
        await asyncio.sleep(fault.delay)
        return None, False
    if fault.kind is FaultKind.DROP_AFTER:
        return None, True
    core.record(method, params, fault.error or fault.kind.value, ok=False)
    if fault.kind is FaultKind.DROP_BEFORE:
        raise _Dropped
    if fault.kind is FaultKind.RATE_LIMIT:
        body = {"ok": False, "error": "ratelimited"}
        return _json(body, status=429, retry_after=fault.retry_after), False
    status = fault.status if fault.kind is FaultKind.SERVER_ERROR else 200
    return _json({"ok": False, "error": fault.error}, status=status), False


def _paced(core: Core, method: str, params: JsonDict) -> int | None:
    if method != "chat.postMessage" or core.plan.pace_seconds is None:
        return None
    try:
        channel = core.workspace.channel(text(params, "channel")).id
    except SlackError:
        return None
    return core.plan.pace_wait(channel, core.workspace.clock())


def _act(core: Core, method: str, params: JsonDict) -> tuple[JsonDict, int, int | None]:
    wait = _paced(core, method, params)
    if wait is not None:
        core.record(method, params, "ratelimited", ok=False)
        return {"ok": False, "error": "ratelimited"}, 429, wait
    try:
        result = core.methods[method](core.workspace, params)
    except SlackError as error:
        core.record(method, params, error.error, ok=False)
        return {"ok": False, "error": error.error, **error.extra}, 200, None
    if method == "chat.postMessage":
        core.plan.posted(str(result["channel"]), core.workspace.clock())
    core.record(method, params, None, ok=True)
    return {"ok": True, **result}, 200, None


async def _api(request: web.Request) -> web.StreamResponse:
    core = request.app[CORE]
    method = request.match_info["method"]
    raw: dict[str, Any] = {}
    try:
        raw = await _read(request)
        params = normalise(raw)
    except SlackError as error:
        core.record(method, raw, error.error, ok=False)
        return _json({"ok": False, "error": error.error})
    answered, drop_after = await _fault_answer(core, method, params)
    if answered is not None:
        return answered
    refusal = (
        "unknown_method" if method not in core.methods else _authorised(core, request, raw, method)
    )
    if refusal is not None:
        core.record(method, params, refusal, ok=False)
        return _json({"ok": False, "error": refusal})
    body, status, retry_after = _act(core, method, params)
    if drop_after:
        # The call acted and was recorded; only its answer is lost on the way back.
        last = core.calls[-1]
        core.calls[-1] = RecordedCall(
            last.method, last.params, last.at, last.ok, FaultKind.DROP_AFTER.value
        )
        raise _Dropped
    return _json(body, status, retry_after)


async def _response_url(request: web.Request) -> web.StreamResponse:
    core = request.app[CORE]
    minted = core.minted.get(request.match_info["key"])
    if minted is None:
        return web.Response(status=404, text="invalid_token")
    try:
        body = await request.json()
    except ValueError:
        body = None
    params = {"key": minted.key, **body} if isinstance(body, dict) else {"key": minted.key}
    answered, drop_after = await _fault_answer(core, RESPONSE_URL, params)
    if answered is not None:
        return answered
    refusal = _respond(core, minted, body)
    core.record(RESPONSE_URL, params, refusal, ok=refusal is None)
    if drop_after:
        raise _Dropped
    if refusal is not None:
        status = 404 if refusal == "used_url" else 400
        return web.Response(status=status, text=refusal)
    return _json({"ok": True})


def _respond(core: Core, minted: Minted, body: Any) -> str | None:
    """Apply one response_url post; return Slack's refusal, or None."""
    if not isinstance(body, dict):
        return "invalid_payload"
    if minted.uses >= core.response_url_uses:
        return "used_url"
    minted.uses += 1
    ws = core.workspace
    ws.responses.append(ResponsePost(minted.key, minted.channel, minted.user, body, ws.clock()))
    try:
        apply_response(ws, minted, body)
    except SlackError as error:
        return error.error
    return None


async def _upload(request: web.Request) -> web.StreamResponse:
    core = request.app[CORE]
    file_id = request.match_info["file_id"]
    content = await request.read()
    params: JsonDict = {"file_id": file_id, "length": len(content)}
    answered, drop_after = await _fault_answer(core, UPLOAD, params)
    if answered is not None:
        return answered
    stored = core.workspace.files.get(file_id)
    if stored is None or stored.completed:
        core.record(UPLOAD, params, "file_not_found", ok=False)
        return web.Response(status=404, text="file_not_found")
    if len(content) != stored.length:
        # Slack documents no answer for this; the fake refuses, so a bot that announces one
        # size and sends another finds out here rather than with a truncated file in a channel.
        core.record(UPLOAD, params, "size_mismatch", ok=False)
        return web.Response(status=400, text="size_mismatch")
    stored.content, stored.uploaded = content, True
    core.record(UPLOAD, params, None, ok=True)
    if drop_after:
        raise _Dropped
    # Slack's upload host answers in plain text; slack_sdk checks only the status.
    return web.Response(text=f"OK - {len(content)}")


@web.middleware
async def _hang_up(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    """Turn _Dropped into a closed connection with no answer at all."""
    try:
        response: web.StreamResponse = await handler(request)
    except _Dropped:
        if request.transport is not None:
            request.transport.abort()
        # aiohttp closes quietly when a handler is cancelled; any other exception is logged.
        raise asyncio.CancelledError from None
    return response


def build_app(core: Core) -> web.Application:
    """Build the fake's aiohttp application around its state."""
    app = web.Application(middlewares=[_hang_up], client_max_size=64 * 1024 * 1024)
    app[CORE] = core
    app.router.add_route("*", "/api/{method}", _api)
    app.router.add_post("/response/{key}", _response_url)
    app.router.add_post("/upload/{file_id}", _upload)
    app.router.add_get(SOCKET_PATH, core.sockets.handle)
    app.on_shutdown.append(core.sockets.close_all)
    return app
