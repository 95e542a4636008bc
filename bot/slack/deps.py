"""What the Slack listeners need, built once by the composition root and passed down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.observability import BotMetrics
from bot.services.actions import ActionService
from bot.services.admin import AdminService
from bot.services.reads import ReadService
from bot.services.subscriptions import SubscriptionService
from bot.slack.locale import LocaleCache


@dataclass(frozen=True)
class SlackDeps:
    """The services and helpers every listener may use."""

    reads: ReadService
    locales: LocaleCache
    metrics: BotMetrics
    clock: Callable[[], datetime]
    actions: ActionService | None = None
    """The use cases that change AIHC (None: a read-only bot, as some tests build it)."""
    admin: AdminService | None = None
    subscriptions: SubscriptionService | None = None
    """Subscribe, list, mute (None: a bot built without watching)."""

    def require_actions(self) -> ActionService:
        """Return the action service; a bot built without one cannot act."""
        if self.actions is None:
            raise RuntimeError("this bot was built without actions")
        return self.actions

    def require_admin(self) -> AdminService:
        """Return the admin service; a bot built without one cannot administer."""
        if self.admin is None:
            raise RuntimeError("this bot was built without admin")
        return self.admin
