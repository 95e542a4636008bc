"""What the Slack listeners need, built once by the composition root and passed down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.observability import BotMetrics
from bot.services.reads import ReadService
from bot.slack.locale import LocaleCache


@dataclass(frozen=True)
class SlackDeps:
    """The services and helpers every listener may use."""

    reads: ReadService
    locales: LocaleCache
    metrics: BotMetrics
    clock: Callable[[], datetime]
