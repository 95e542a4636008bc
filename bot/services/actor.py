"""Who is asking, and from where."""

from __future__ import annotations

from dataclasses import dataclass

SLACK_TEAM_LABEL = "aihc-bot/slack-team"
SLACK_USER_LABEL = "aihc-bot/slack-user"
"""Labels on jobs created from Slack, naming the workspace and the user who created them."""


@dataclass(frozen=True)
class Actor:
    """A Slack user in a channel of a workspace."""

    team_id: str
    channel_id: str
    user_id: str
