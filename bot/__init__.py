"""aihc-bot: drive Baidu AIHC (百舸) GPU training from Slack."""

__version__ = "0.1.0"
