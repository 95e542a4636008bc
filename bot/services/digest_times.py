"""When a channel's digest is due: local wall times in an IANA zone, turned into UTC moments.

Pure: time is passed in. A daily digest is due every day at its local time, a weekly one on
Mondays. A local time that does not exist (the hour a DST zone skips in spring) moves forward
by the gap, so 02:30 in New York on the spring-forward day is 03:30; a local time that happens
twice (autumn) is due at its first occurrence only. A digest missed while the bot was down is
still sent when the bot comes back on the same local day; later, it is skipped. Of several
missed runs only the latest can go out, so a digest is never sent twice or out of turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.digest import DigestPeriod

MONDAY = 0
CATCH_UP = timedelta(days=8)
MAX_ZONE = 64
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class BadSchedule(ValueError):
    """A time of day or a zone name that cannot be used; `problem` is a catalogue key."""

    def __init__(self, problem: str, value: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.value = value


def parse_time(text: str) -> time:
    """Read `09:00` or `9:30` (24-hour clock) as a time of day."""
    match = _TIME.match(text.strip())
    if match is None:
        raise BadSchedule("problem.bad_time", text[:16])
    return time(int(match.group(1)), int(match.group(2)))


def parse_zone(name: str) -> ZoneInfo:
    """Return the IANA zone `name` (e.g. `Asia/Shanghai`, `UTC`)."""
    name = name.strip()
    # ZoneInfo reads files by this name: no path tricks, and nothing unbounded.
    if not name or len(name) > MAX_ZONE or ".." in name or name.startswith("/"):
        raise BadSchedule("problem.bad_zone", name[:MAX_ZONE])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BadSchedule("problem.bad_zone", name[:MAX_ZONE]) from None


@dataclass(frozen=True)
class Schedule:
    """When a channel's digest goes out: its period, local time of day and zone."""

    period: DigestPeriod
    at: time
    zone: str

    @property
    def tz(self) -> ZoneInfo:
        """Return the schedule's zone."""
        return parse_zone(self.zone)

    def due_on(self, day: date) -> datetime:
        """Return the UTC moment of the local time on `day` (moved past a DST gap)."""
        return wall_to_utc(datetime.combine(day, self.at), self.tz)

    def runs_on(self, day: date) -> bool:
        """Say whether the digest goes out on this local day (weekly: Mondays)."""
        return self.period is DigestPeriod.DAILY or day.weekday() == MONDAY

    def next_due(self, after: datetime) -> datetime:
        """Return the first due moment strictly after `after`, in UTC."""
        day = after.astimezone(self.tz).date() - timedelta(days=1)
        for _ in range(10):  # a weekly schedule finds its Monday within eight days
            if self.runs_on(day):
                due = self.due_on(day)
                if due > after:
                    return due
            day += timedelta(days=1)
        raise AssertionError("no due day within ten days")  # pragma: no cover

    def still_today(self, due: datetime, now: datetime) -> bool:
        """Say whether `now` is still the local day of `due`: a late digest still goes out."""
        zone = self.tz
        return now.astimezone(zone).date() == due.astimezone(zone).date()


def wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """Return the UTC moment of a naive local wall time; one in a DST gap moves forward.

    In a gap, `fold=0` reads the wall time with the offset from before the transition, and
    converting back gives the wall time after it, shifted by the gap's length.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    return first.astimezone(UTC)


@dataclass(frozen=True)
class Decision:
    """What the tick does with a due digest: send it (ending at `end`) or skip it; then when
    it is due next."""

    send: bool
    end: datetime
    next_due: datetime


def latest_due(schedule: Schedule, due: datetime, now: datetime) -> datetime:
    """Return the last due moment at or before `now`, counting from the stored `due`."""
    latest = due
    if now - latest > CATCH_UP:
        # Long down: start a little over a week back instead of walking every missed day.
        latest = schedule.next_due(now - CATCH_UP)
    while (following := schedule.next_due(latest)) <= now:
        latest = following
    return latest


def decide(schedule: Schedule, due: datetime, now: datetime) -> Decision:
    """Send the latest due digest if its local day has not passed, else skip it (and any
    missed before it); due next after now."""
    latest = latest_due(schedule, due, now)
    return Decision(
        send=schedule.still_today(latest, now), end=latest, next_due=schedule.next_due(now)
    )
