"""A fake Slack for tests and the local workspace: a Web API on loopback and a signed sender."""

from bot.workspace.ids import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEFAULT_APP_TOKEN,
    DEFAULT_CHANNEL,
    DEFAULT_TOKEN,
    DEFAULT_USER,
    TEAM_ID,
)
from bot.workspace.model import (
    Channel,
    Ephemeral,
    Message,
    RecordedCall,
    ResponsePost,
    StoredFile,
    User,
    View,
)
from bot.workspace.payloads import (
    block_actions_payload,
    home_opened_payload,
    selected,
    trigger_id,
    view_action_payload,
    view_submission_payload,
)
from bot.workspace.signing import SlackSender, Tamper, signature
from bot.workspace.slack_api import FakeSlack
from bot.workspace.socket_mode import Envelope, SocketAck

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "DEFAULT_APP_TOKEN",
    "DEFAULT_CHANNEL",
    "DEFAULT_TOKEN",
    "DEFAULT_USER",
    "TEAM_ID",
    "Channel",
    "Envelope",
    "Ephemeral",
    "FakeSlack",
    "Message",
    "RecordedCall",
    "ResponsePost",
    "SlackSender",
    "SocketAck",
    "StoredFile",
    "Tamper",
    "User",
    "View",
    "block_actions_payload",
    "home_opened_payload",
    "selected",
    "signature",
    "trigger_id",
    "view_action_payload",
    "view_submission_payload",
]
