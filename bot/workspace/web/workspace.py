"""`LocalWorkspace`: the fake Slack with the page on it, people in it, and the app connected."""

from __future__ import annotations

import secrets
from types import TracebackType
from typing import Self

from bot.workspace.ids import DEFAULT_CHANNEL
from bot.workspace.slack_api import FakeSlack
from bot.workspace.web.bridge import Bridge
from bot.workspace.web.routes import add_routes

ALICE = "U0001"
WANG = "U0002"
TRAINING = "C0002"


class LocalWorkspace:
    """A fake Slack workspace with a page: alice (English) and wang (中文), #general, #training."""

    def __init__(self, fake: FakeSlack | None = None) -> None:
        # Its Web API takes form posts, as Slack's does, so any web page could post as the bot
        # with a token known in advance: each workspace gets a bot token of its own.
        self.fake = fake or FakeSlack(token=f"xoxb-local-{secrets.token_urlsafe(24)}")
        workspace = self.fake.workspace
        if WANG not in workspace.users:
            self.fake.add_user(
                WANG, "wang", locale="zh-CN", tz="Asia/Shanghai", tz_offset=28800,
                real_name="Wang Fang",
            )  # fmt: skip
        if TRAINING not in workspace.channels and DEFAULT_CHANNEL in workspace.channels:
            self.fake.add_channel(TRAINING, "training")
        self.bridge = Bridge(self.fake)
        self.token = secrets.token_urlsafe(32)
        """The page's token: its writes must carry it (`X-Workspace-Token`); the page embeds it."""
        add_routes(self.fake.app, self.bridge, self.token)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Self:
        """Serve the fake Web API and the page on `host:port` (0 picks a free port)."""
        await self.fake.start(host, port)
        return self

    def connect(self, events_url: str, signing_secret: str) -> None:
        """Send what people do on the page to the app at `events_url`, signed."""
        self.bridge.connect(events_url, signing_secret)

    async def stop(self) -> None:
        """Stop serving and close the sender."""
        await self.fake.stop()
        await self.bridge.aclose()

    @property
    def url(self) -> str:
        """Return the page's URL (the fake's root)."""
        return self.fake.url

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
