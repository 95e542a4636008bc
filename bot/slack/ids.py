"""Every `action_id` and `callback_id` the app uses: stable names, listed in the README."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """Buttons and menus; a value carries at most a small reference, never data."""

    LIST_MORE = "aihc.list.more"
    """Show the next page of a long list; the value is a `CommandRef`."""
    CHOOSE = "aihc.choose"
    """Pick one of several pools or jobs that share a name (`aihc.choose:<i>`); a `CommandRef`."""
    STOP_JOB = "aihc.job.stop"
    """Stop the job (the button carries a confirm dialog); the value is a `JobKey`."""
    SET_PRIORITY = "aihc.job.priority"
    """Change the job's priority (a select with a confirm dialog); each option value a `JobKey`."""
    SHOW_LOGS = "aihc.job.logs"
    """Show the tail of the job's rank-0 log; a `JobKey`."""
    SHOW_EVENTS = "aihc.job.events"
    """Show the job's events; a `JobKey`."""
    SHOW_CHART = "aihc.job.chart"
    """Send a PNG chart of the running job's GPU use over the last hour; a `JobKey`."""
    REFRESH = "aihc.job.refresh"
    """Refresh the card in place; a `JobKey`."""
    SUBSCRIBE_HERE = "aihc.job.subscribe"
    """Subscribe this channel to the job; a `JobKey`."""
    UNSUBSCRIBE_HERE = "aihc.job.unsubscribe"
    """Unsubscribe this channel from the job; a `JobKey`."""
    REMOVE_SUBSCRIPTION = "aihc.subscription.remove"
    """Remove one subscription from the `subscriptions` table; the value is its id."""
    OPEN_TERMINAL = "aihc.job.terminal.open"
    """The link button of a web terminal answer; opens the URL, the bot only acknowledges."""
    HOME_REFRESH = "aihc.home.refresh"
    """Publish the App Home tab again, on the page shown; the value is a `HomePage`."""
    HOME_NEXT = "aihc.home.next"
    """Show the next page of the App Home tab; the value is a `HomePage`."""
    HOME_PREVIOUS = "aihc.home.previous"
    """Show the previous page of the App Home tab; the value is a `HomePage`."""


class CallbackId(StrEnum):
    """Modals."""

    JOB_CREATE = "aihc.job.create"
    QUEUE_CREATE = "aihc.queue.create"
    QUEUE_UPDATE = "aihc.queue.update"
