"""`FakeSlack`: a Slack Web API on loopback that records every call and fails on request."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Self, TypeVar
from urllib.parse import quote

from aiohttp import web

from bot.workspace.faults import Chaos, Fault, FaultKind, FaultPlan
from bot.workspace.ids import DEFAULT_APP_TOKEN, DEFAULT_CHANNEL, DEFAULT_TOKEN, DEFAULT_USER
from bot.workspace.model import (
    Ephemeral,
    Message,
    RecordedCall,
    ResponsePost,
    StoredFile,
    User,
    View,
)
from bot.workspace.responses import Minted
from bot.workspace.server import Core, build_app
from bot.workspace.socket_mode import SocketModeMixin
from bot.workspace.state import Workspace

T = TypeVar("T")


class FakeSlack(SocketModeMixin):
    """A fake Slack Web API server: point `AsyncWebClient(base_url=fake.api_url)` at it."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        channels: Mapping[str, str] | Iterable[str] | None = None,
        clock: Callable[[], float] = time.time,
        pace_seconds: float | None = None,
        response_url_uses: int = 5,
    ) -> None:
        self.workspace = Workspace(channels=channels, clock=clock)
        self.plan = FaultPlan(pace_seconds=pace_seconds)
        self._core = Core(self.workspace, self.plan, token, response_url_uses, app_token=app_token)
        self._socket_hub = self._core.sockets
        # Public so the local workspace can add its own routes (a web page) before start().
        self.app = build_app(self._core)
        self._runner: web.AppRunner | None = None
        self._keys = 0
        self.url = ""

    # Lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Self:
        """Serve on `host:port` (0 picks a free port); set `url` and `api_url`."""
        runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.url = f"http://{url_host}:{bound_port}/"
        self.workspace.base_url = self.url
        return self

    async def stop(self) -> None:
        """Stop serving; the recorded state stays readable."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """Return the Web API base URL, e.g. `http://127.0.0.1:PORT/api/`."""
        if not self.url:
            raise RuntimeError("FakeSlack is not started")
        return f"{self.url}api/"

    @property
    def token(self) -> str:
        """Return the one bot token the fake accepts."""
        return self._core.token

    @property
    def app_token(self) -> str:
        """Return the app-level token `apps.connections.open` accepts (Socket Mode)."""
        return self._core.app_token

    def response_url(
        self,
        key: str | None = None,
        *,
        channel: str = DEFAULT_CHANNEL,
        user: str = DEFAULT_USER,
        message_ts: str | None = None,
    ) -> str:
        """Mint a response_url; `message_ts` names the original that replace/delete act on."""
        if key is None:
            self._keys += 1
            key = f"R{self._keys:06d}"
        self._core.minted[key] = Minted(key, channel, user, message_ts)
        return f"{self.api_url.removesuffix('api/')}response/{quote(key, safe='')}"

    # Workspace set-up ------------------------------------------------------------------------

    def add_channel(
        self, channel_id: str, name: str | None = None, *, private: bool = False
    ) -> None:
        """Create a channel the bot is a member of."""
        self.workspace.add_channel(channel_id, name, private=private)

    def add_user(
        self,
        user_id: str,
        name: str,
        locale: str = "en-US",
        tz: str = "America/Los_Angeles",
        *,
        real_name: str | None = None,
        tz_offset: int = -28800,
    ) -> User:
        """Register a member that `users.info` describes."""
        user = User(user_id, name, real_name or name.title(), locale, tz, tz_offset)
        return self.workspace.add_user(user)

    def archive(self, channel: str) -> None:
        """Archive a channel: posts to it fail with `is_archived`."""
        self.workspace.channel(channel).is_archived = True

    def unarchive(self, channel: str) -> None:
        """Bring an archived channel back."""
        self.workspace.channel(channel).is_archived = False

    def kick(self, channel: str) -> None:
        """Remove the bot from a channel: posts and reads fail with `not_in_channel`."""
        self.workspace.channel(channel).is_member = False

    def invite(self, channel: str) -> None:
        """Add the bot back to a channel."""
        self.workspace.channel(channel).is_member = True

    # Faults ----------------------------------------------------------------------------------

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and `Retry-After`."""
        self.plan.add(method, Fault(FaultKind.RATE_LIMIT, times, retry_after=retry_after))

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `{"ok": false, "error": error}`."""
        self.plan.add(method, Fault(FaultKind.FAIL, times, error=error))

    def drop(self, method: str, times: int = 1, *, after_accepting: bool = False) -> None:
        """Close the connection of the next `times` calls without an answer.

        With `after_accepting` the call acts first (a post is stored) and only the answer is
        lost: the case an exactly-once sender must survive.
        """
        kind = FaultKind.DROP_AFTER if after_accepting else FaultKind.DROP_BEFORE
        self.plan.add(method, Fault(kind, times))

    def server_error(self, method: str, times: int = 1, status: int = 500) -> None:
        """Answer the next `times` calls of `method` with an HTTP 5xx and `internal_error`."""
        self.plan.add(method, Fault(FaultKind.SERVER_ERROR, times, "internal_error", status=status))

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next `times` calls of `method` in flight for `seconds`, then act and answer.

        The request has left the client but Slack has not acted yet: a lookup meanwhile does
        not find the message that is about to land.
        """
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        self.plan.add(method, Fault(FaultKind.SLOW, times, delay=seconds))

    def chaos(
        self,
        methods: str | Iterable[str],
        *,
        seed: int = 0,
        rate_limit: float = 0.0,
        drop_before: float = 0.0,
        drop_after: float = 0.0,
        server_error: float = 0.0,
        budget: int = 100,
        retry_after: int = 1,
    ) -> None:
        """Fail calls of `methods` at random (seeded) with these odds, `budget` faults at most.

        Queued faults go first; `clear_faults()` ends the chaos. The budget keeps every
        scenario finite: once spent, every call succeeds.
        """
        odds = (
            (FaultKind.RATE_LIMIT, rate_limit),
            (FaultKind.DROP_BEFORE, drop_before),
            (FaultKind.DROP_AFTER, drop_after),
            (FaultKind.SERVER_ERROR, server_error),
        )
        if any(p < 0 for _, p in odds) or sum(p for _, p in odds) > 1:
            raise ValueError("fault odds must be non-negative and sum to at most 1")
        names = frozenset([methods] if isinstance(methods, str) else methods)
        # Seeded, not secure: the same seed and call order give the same faults.
        rng = random.Random(seed)  # noqa: S311
        self.plan.chaos = Chaos(names, rng, odds, budget, retry_after)

    def pace(self, seconds: float | None = 1.0) -> None:
        """Refuse a second `chat.postMessage` to one channel within `seconds` (None: no pacing)."""
        self.plan.pace_seconds = seconds

    def clear_faults(self) -> None:
        """Forget every queued fault; pacing history too."""
        self.plan.clear()

    # What happened ---------------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        """Return every call so far, response_url posts (`response_url`) and uploads (`upload`)."""
        return self._core.calls

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Return the calls to one method, in order."""
        return [call for call in self._core.calls if call.method == method]

    def messages(self, channel: str = DEFAULT_CHANNEL) -> list[Message]:
        """Return what the channel shows, oldest first, as edited: top level and broadcasts."""
        return self.workspace.top_level(self.workspace.channel(channel))

    def thread(self, channel: str, ts: str) -> list[Message]:
        """Return the replies under the message `ts`, oldest first (the parent excluded)."""
        return self.workspace.replies(self.workspace.channel(channel), ts)

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[Ephemeral]:
        """Return the live ephemeral messages, optionally for one channel and/or user."""
        return [
            e
            for e in self.workspace.ephemerals
            if not e.deleted and channel in (None, e.channel) and user in (None, e.user)
        ]

    def responses(self, key: str | None = None) -> list[ResponsePost]:
        """Return the posts to response_urls (to one key, or all), in order."""
        return [r for r in self.workspace.responses if key in (None, r.key)]

    def files(self) -> list[StoredFile]:
        """Return the files whose upload was completed, in order of announcement."""
        return [f for f in self.workspace.files.values() if f.completed]

    def home(self, user: str = DEFAULT_USER) -> View | None:
        """Return the App Home view last published for a member."""
        return self.workspace.homes.get(user)

    def views(self) -> list[View]:
        """Return every modal opened or pushed, in order, each as last updated."""
        return list(self.workspace.views.values())

    async def wait_for(
        self,
        predicate: Callable[[], T],
        # A parameter, not asyncio.timeout: the message on expiry lists the recent calls.
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        what: str | None = None,
    ) -> T:
        """Poll `predicate` until it returns something truthy, and return that; bounded."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if loop.time() >= deadline:
                raise TimeoutError(self._timeout_message(what or repr(predicate), timeout))
            await asyncio.sleep(0.01)

    def _timeout_message(self, what: str, timeout: float) -> str:
        recent = self._core.calls[-10:]
        lines = [
            f"  {c.method} ok={c.ok} error={c.error} params={_brief(c.params)}" for c in recent
        ]
        calls = "\n".join(lines) or "  (none)"
        return f"waited {timeout}s for {what}; the last {len(recent)} calls:\n{calls}"


def _brief(params: Mapping[str, object], limit: int = 160) -> str:
    shown = repr(dict(params))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
