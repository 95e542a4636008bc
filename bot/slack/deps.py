"""What the Slack listeners need, built once by the composition root and passed down."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import ApiVersion
from bot.domain.clock import Clock
from bot.observability import BotMetrics
from bot.services.actions import ActionService
from bot.services.admin import AdminService
from bot.services.digest_schedules import DigestScheduleService
from bot.services.home import HomeService
from bot.services.reads import ReadService
from bot.services.subscriptions import SubscriptionService
from bot.services.training import TrainingService
from bot.slack.locale import LocaleCache


@dataclass(frozen=True)
class SlackDeps:
    """The services and helpers every listener may use; all of them are always there."""

    reads: ReadService
    actions: ActionService
    """The use cases that change AIHC."""
    admin: AdminService
    subscriptions: SubscriptionService
    """Subscribe, list, mute."""
    training: TrainingService
    """What a running job's training is doing (its progress)."""
    home: HomeService
    """What a person's App Home tab shows."""
    locales: LocaleCache
    metrics: BotMetrics
    clock: Clock
    digest_schedules: DigestScheduleService
    """Schedule, stop and post a channel's digest."""
    api_version: ApiVersion = ApiVersion.V1
    """The AIHC API the bot speaks: help hides, and commands refuse, what it lacks."""
