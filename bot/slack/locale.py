"""Pick each user's language from their Slack locale (users.info), cached."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.clients import failure_code
from bot.slack.i18n import Lang, lang_for_locale

logger = logging.getLogger(__name__)

LOCALE_TTL_SECONDS = 3600.0
MAX_CACHED_USERS = 10_000


class LocaleCache:
    """Remember each user's language for an hour; fall back to `BOT_LANGUAGE` on any failure."""

    def __init__(self, fallback: Lang, *, ttl: float = LOCALE_TTL_SECONDS) -> None:
        self._fallback = fallback
        self._ttl = ttl
        self._langs: OrderedDict[tuple[str, str], tuple[float, Lang]] = OrderedDict()

    @property
    def fallback(self) -> Lang:
        """Return the language used when a user's locale is unknown."""
        return self._fallback

    async def lang_of(self, client: AsyncWebClient, team_id: str, user_id: str) -> Lang:
        """Return the user's language, asking Slack at most once an hour per user."""
        key = (team_id, user_id)
        cached = self._langs.get(key)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        lang = await self._ask(client, user_id)
        self._langs[key] = (time.monotonic(), lang)
        self._langs.move_to_end(key)
        while len(self._langs) > MAX_CACHED_USERS:
            self._langs.popitem(last=False)
        return lang

    async def _ask(self, client: AsyncWebClient, user_id: str) -> Lang:
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, OSError, TimeoutError) as error:
            logger.info(
                "users.info failed; using the default language",
                extra={"slack_error": failure_code(error)},
            )
            return self._fallback
        user = response.get("user") or {}
        locale = user.get("locale") if isinstance(user, dict) else None
        return lang_for_locale(locale if isinstance(locale, str) else None, self._fallback)
