"""The digest commands: schedule a channel's digest, stop it, post one now."""

from __future__ import annotations

from datetime import time

from bot.domain.digest import DigestPeriod
from bot.services.digest_times import parse_time, parse_zone
from bot.slack.commands.grammar import Command, Param, ParamKind


def when(text: str) -> time:
    """Read `at 09:00` (or just `09:00`) as a local time of day."""
    words = text.split()
    if len(words) == 2 and words[0].lower() == "at":
        words = words[1:]
    if len(words) != 1:
        raise ValueError("problem.bad_time")
    return parse_time(words[0])


def zone(text: str) -> str:
    """Read an IANA time zone name such as `Asia/Shanghai`, checked against the zone database."""
    return str(parse_zone(text))


def period(text: str) -> DigestPeriod:
    """Read `daily` or `weekly`."""
    try:
        return DigestPeriod(text.strip().lower())
    except ValueError:
        raise ValueError("problem.bad_period") from None


_WHEN = Param("when", convert=when, metavar="at 09:00")
_TZ = Param("tz", ParamKind.OPTION, convert=zone, metavar="Asia/Shanghai")

DIGEST_COMMANDS = (
    Command("digest.daily", ("digest", "daily"), (_WHEN, _TZ), rest=True),
    Command("digest.weekly", ("digest", "weekly"), (_WHEN, _TZ), rest=True),
    Command("digest.off", ("digest", "off")),
    Command(
        "digest.now", ("digest", "now"), (Param("period", convert=period, metavar="daily|weekly"),)
    ),
)
