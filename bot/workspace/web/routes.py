"""The page's routes on the fake's server: the page, its JSON endpoints and a change stream.

| route | what it does |
|---|---|
| `GET /` | the page (static HTML, JS and CSS, no build step, nothing fetched from elsewhere) |
| `GET /workspace/state?user=&channel=&thread=` | what one person sees (see `snapshot`) |
| `GET /workspace/changes` | Server-Sent Events: a `change` event whenever the workspace moved |
| `POST /workspace/command` | `{user, channel, text}`: send `/aihc text` |
| `POST /workspace/click` | `{user, channel, ts, block, action}`: a button or menu in a message |
| `POST /workspace/view/click` | `{user, view_id, block, action, values}`: inside a modal |
| `POST /workspace/view/submit` | `{user, view_id, values}`: answers `{errors, problem}` |
| `POST /workspace/view/close` | `{user, view_id}`: Cancel |
| `POST /workspace/home/open` | `{user}`: open the app's Home tab (`app_home_opened`) |
| `POST /workspace/home/click` | `{user, block, action}`: a button or menu on the Home tab |
| `GET /workspace/files/{id}` | an uploaded file's bytes: text as text, an image as itself |

Every route answers only to a loopback host name; every POST needs a JSON body and the run's
token, which the page carries (see `guard`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from importlib import resources

from aiohttp import web

from bot.workspace.model import JsonDict, SlackError
from bot.workspace.web.bridge import Bridge, BridgeResult, NoSuchElement, NotConnected
from bot.workspace.web.guard import check_host, check_write
from bot.workspace.web.snapshot import Where, snapshot

BRIDGE = web.AppKey("workspace_bridge", Bridge)
TOKEN = web.AppKey("workspace_token", str)
STOPPING = web.AppKey("workspace_stopping", asyncio.Event)
CHANGE_POLL_SECONDS = 0.2
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
_PAGES = ("index.html", "app.js", "blocks.js", "mrkdwn.js", "app.css")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_TOKEN_PLACEHOLDER = b"{{workspace-token}}"
"""Where `index.html` gets the run's token."""


def _static(name: str) -> bytes:
    return resources.files("bot.workspace.web").joinpath("static", name).read_bytes()


# Read once, when the module is imported, so that nothing on the event loop touches the disk.
_FILES = {name: _static(name) for name in _PAGES}


def _page(name: str, token: str) -> Handler:
    kind = _TYPES[name[name.rindex(".") :]]
    # The token is URL-safe base64: nothing in it needs escaping inside an attribute.
    body = _FILES[name].replace(_TOKEN_PLACEHOLDER, token.encode())

    async def page(_: web.Request) -> web.StreamResponse:
        response = web.Response(body=body, content_type=kind, charset="utf-8")
        response.headers["Cache-Control"] = "no-store"
        return response

    return page


async def _body(request: web.Request) -> JsonDict:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="a JSON object is expected") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="a JSON object is expected")
    return body


def _field(body: JsonDict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise web.HTTPBadRequest(text=f"{name} is required")
    return value


def _user(bridge: Bridge, body: JsonDict) -> str:
    user = _field(body, "user")
    if user not in bridge.fake.workspace.users:
        raise web.HTTPBadRequest(text="unknown user")
    return user


async def _act(
    request: web.Request, act: Callable[[Bridge, JsonDict], Awaitable[BridgeResult]]
) -> web.StreamResponse:
    check_write(request, request.app[TOKEN])
    bridge = request.app[BRIDGE]
    body = await _body(request)
    try:
        outcome = await act(bridge, body)
    except NotConnected as error:
        raise web.HTTPServiceUnavailable(text=str(error)) from None
    except (NoSuchElement, SlackError) as error:
        raise web.HTTPNotFound(text=str(error)) from None
    return web.json_response(outcome.as_json())


async def _state(request: web.Request) -> web.StreamResponse:
    bridge = request.app[BRIDGE]
    query = request.query
    user = query.get("user") or next(iter(bridge.fake.workspace.users))
    channel = query.get("channel") or next(iter(bridge.fake.workspace.channels))
    where = Where(user=user, channel=channel, thread=query.get("thread") or None)
    return web.json_response(snapshot(bridge, where))


async def _command(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        text = str(body.get("text") or "").strip()
        text = text.removeprefix("/aihc").strip()
        return await bridge.command(
            user=_user(bridge, body), channel=_field(body, "channel"), text=text
        )

    return await _act(request, act)


def _action(body: JsonDict) -> tuple[int, JsonDict]:
    action, block = body.get("action"), body.get("block")
    if not isinstance(action, dict) or not isinstance(block, int):
        raise web.HTTPBadRequest(text="block and action are required")
    return block, action


async def _click(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        block, action = _action(body)
        return await bridge.click(
            user=_user(bridge, body),
            channel=_field(body, "channel"),
            ts=_field(body, "ts"),
            block=block,
            action=action,
        )

    return await _act(request, act)


def _values(body: JsonDict) -> JsonDict:
    values = body.get("values") or {}
    if not isinstance(values, dict):
        raise web.HTTPBadRequest(text="values must be an object")
    return values


async def _view_click(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        block, action = _action(body)
        return await bridge.view_click(
            user=_user(bridge, body),
            view_id=_field(body, "view_id"),
            block=block,
            action=action,
            values=_values(body),
        )

    return await _act(request, act)


async def _submit(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        return await bridge.submit(
            user=_user(bridge, body), view_id=_field(body, "view_id"), values=_values(body)
        )

    return await _act(request, act)


async def _close(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        bridge.close(_field(body, "view_id"))
        return BridgeResult()

    return await _act(request, act)


async def _home_open(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        return await bridge.open_home(user=_user(bridge, body))

    return await _act(request, act)


async def _home_click(request: web.Request) -> web.StreamResponse:
    async def act(bridge: Bridge, body: JsonDict) -> BridgeResult:
        block, action = _action(body)
        return await bridge.home_click(user=_user(bridge, body), block=block, action=action)

    return await _act(request, act)


async def _file(request: web.Request) -> web.StreamResponse:
    stored = request.app[BRIDGE].fake.workspace.files.get(request.match_info["file_id"])
    if stored is None or not stored.completed:
        raise web.HTTPNotFound(text="file_not_found")
    if stored.mimetype.startswith("text/"):
        return web.Response(body=stored.content, content_type="text/plain", charset="utf-8")
    return web.Response(body=stored.content, content_type=stored.mimetype)


def _fingerprint(bridge: Bridge) -> str:
    """Change whenever anything the page shows may have changed: any call, any page act."""
    return f"{len(bridge.fake.calls)}.{bridge.version}"


async def _changes(request: web.Request) -> web.StreamResponse:
    """Stream a `change` event whenever the fingerprint moves, until the server stops."""
    bridge, stopping = request.app[BRIDGE], request.app[STOPPING]
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    response.headers["Cache-Control"] = "no-store"
    await response.prepare(request)
    seen = ""
    with contextlib.suppress(ConnectionResetError):
        while not stopping.is_set():
            current = _fingerprint(bridge)
            if current != seen:
                seen = current
                await response.write(f"event: change\ndata: {json.dumps(current)}\n\n".encode())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), CHANGE_POLL_SECONDS)
    return response


def _loopback_only(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        check_host(request)
        return await handler(request)

    return guarded


def add_routes(app: web.Application, bridge: Bridge, token: str) -> None:
    """Add the page (carrying `token`) and its endpoints to the fake's application."""
    app[BRIDGE] = bridge
    app[TOKEN] = token
    app[STOPPING] = asyncio.Event()

    async def stop_streams(app: web.Application) -> None:
        app[STOPPING].set()

    app.on_shutdown.append(stop_streams)
    routes = [("/", _page("index.html", token))]
    routes += [(f"/static/{name}", _page(name, token)) for name in _PAGES]
    routes += [("/workspace/state", _state), ("/workspace/changes", _changes)]
    routes += [("/workspace/files/{file_id}", _file)]
    for path, handler in routes:
        app.router.add_get(path, _loopback_only(handler))
    app.router.add_post("/workspace/command", _command)
    app.router.add_post("/workspace/click", _click)
    app.router.add_post("/workspace/view/click", _view_click)
    app.router.add_post("/workspace/view/submit", _submit)
    app.router.add_post("/workspace/view/close", _close)
    app.router.add_post("/workspace/home/open", _home_open)
    app.router.add_post("/workspace/home/click", _home_click)
