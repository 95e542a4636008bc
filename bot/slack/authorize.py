"""Who the bot is, asked of Slack (`auth.test`) once, however many requests arrive meanwhile."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.web.async_client import AsyncWebClient


class OnceAuthorize(AsyncAuthorize):
    """Authorize every request with one bot token, asking `auth.test` once for all.

    Bolt's own single-workspace authorization caches the answer too, but every request arriving
    before it asks again: a burst on a bot just started costs one `auth.test` each (a rate-limited
    method), and each ack waits for its own. Here they share the one question. A failed question
    is not remembered: the next request asks again.
    """

    def __init__(self, client: AsyncWebClient, bot_token: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._client = client
        self._token = bot_token
        self._known: dict[str, Any] | None = None
        self._asking: asyncio.Task[dict[str, Any]] | None = None

    async def __call__(
        self,
        *,
        context: Any,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult:
        """Return the bot's authorization for a request from `user_id`."""
        bot = self._known if self._known is not None else await self._ask()
        return AuthorizeResult(
            enterprise_id=bot["enterprise_id"],
            team_id=bot["team_id"],
            bot_id=bot["bot_id"],
            bot_user_id=bot["user_id"],
            bot_token=self._token,
            bot_scopes=bot["scopes"],
            user_id=user_id,
        )

    async def _ask(self) -> dict[str, Any]:
        if self._asking is None:
            self._asking = asyncio.create_task(self._auth_test())
        try:
            # Shielded: one request hanging up must not cancel the question the others await.
            return await asyncio.shield(self._asking)
        finally:
            if self._asking is not None and self._asking.done():
                self._asking = None

    async def _auth_test(self) -> dict[str, Any]:
        answer = await self._client.auth_test(token=self._token)
        self._known = {
            "enterprise_id": answer.get("enterprise_id"),
            "team_id": answer.get("team_id"),
            "bot_id": answer.get("bot_id"),
            "user_id": answer.get("user_id"),
            "scopes": answer.headers.get("x-oauth-scopes"),
        }
        return self._known
