"""Every `action_id` and `callback_id` the app uses: stable names, listed in the README."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """Buttons and menus; a value carries at most a small reference, never data."""

    LIST_MORE = "aihc.list.more"
    """Show the next page of a long list; the value is a `MoreRef`."""
    CHOOSE = "aihc.choose"
    """Pick one of several pools or jobs that share a name; the value is a `RerunRef`."""
