"""The local workspace: a page in the browser over the fake Slack, talking to the app as Slack.

`LocalWorkspace` serves the page from the fake's own server. Commands, clicks and modal
submissions made on the page reach the app as signed HTTP requests, the same path Slack uses.
"""

from __future__ import annotations

from bot.workspace.web.bridge import Bridge, BridgeResult, NoSuchElement, NotConnected
from bot.workspace.web.routes import add_routes
from bot.workspace.web.snapshot import Where, snapshot
from bot.workspace.web.workspace import LocalWorkspace

__all__ = [
    "Bridge",
    "BridgeResult",
    "LocalWorkspace",
    "NoSuchElement",
    "NotConnected",
    "Where",
    "add_routes",
    "snapshot",
]
