"""The fake workspace's fixed identities: the team, the app, its bot and the default tenants."""

from __future__ import annotations

TEAM_ID = "T0001"
TEAM_DOMAIN = "aihc-local"
APP_ID = "A0001"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
BOT_NAME = "aihc"
DEFAULT_TOKEN = "xoxb-0001-fake-workspace-token"  # noqa: S105 - a fake token for a fake server
DEFAULT_APP_TOKEN = "xapp-1-A0001-0001-fake-app-token"  # noqa: S105 - the app-level one
DEFAULT_CHANNEL = "C0001"
DEFAULT_CHANNEL_NAME = "general"
DEFAULT_USER = "U0001"
DEFAULT_USER_NAME = "alice"
