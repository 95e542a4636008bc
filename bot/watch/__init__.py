"""The notification engine: sweep pools, poll changed jobs, queue notices, deliver them once.

It reaches chat only through `ports.ChatSender`, which `bot.slack.sender` implements.
"""
