"""When digests are due: local times in DST and DST-free zones, Mondays, missed runs."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.digest import DigestPeriod
from bot.services.digest_times import BadSchedule, Schedule, decide, parse_time, parse_zone

DAILY = DigestPeriod.DAILY
WEEKLY = DigestPeriod.WEEKLY


def utc(*parts: int) -> datetime:
    """Return a UTC moment."""
    return datetime(*parts, tzinfo=UTC)


def test_shanghai_has_no_dst_so_nine_is_one_utc_all_year() -> None:
    schedule = Schedule(DAILY, time(9, 0), "Asia/Shanghai")
    assert schedule.next_due(utc(2026, 1, 10, 0, 0)) == utc(2026, 1, 10, 1, 0)
    assert schedule.next_due(utc(2026, 7, 10, 0, 0)) == utc(2026, 7, 10, 1, 0)
    # Past today's 09:00 in Shanghai: tomorrow's.
    assert schedule.next_due(utc(2026, 7, 10, 1, 0)) == utc(2026, 7, 11, 1, 0)


def test_new_york_follows_daylight_saving() -> None:
    schedule = Schedule(DAILY, time(9, 0), "America/New_York")
    assert schedule.next_due(utc(2026, 1, 15, 0, 0)) == utc(2026, 1, 15, 14, 0)  # EST, UTC-5
    assert schedule.next_due(utc(2026, 7, 15, 0, 0)) == utc(2026, 7, 15, 13, 0)  # EDT, UTC-4
    # Across the spring change (8 March 2026): the wall time stays 09:00.
    assert schedule.next_due(utc(2026, 3, 7, 15, 0)) == utc(2026, 3, 8, 13, 0)


def test_a_time_in_the_spring_gap_moves_forward() -> None:
    # 02:30 does not exist in New York on 8 March 2026: the clocks jump from 02:00 to 03:00.
    schedule = Schedule(DAILY, time(2, 30), "America/New_York")
    due = schedule.next_due(utc(2026, 3, 8, 0, 0))
    assert due == utc(2026, 3, 8, 7, 30)
    assert due.astimezone(schedule.tz).strftime("%H:%M") == "03:30"
    # The day after, 02:30 exists again.
    assert schedule.next_due(due) == utc(2026, 3, 9, 6, 30)


def test_a_time_that_happens_twice_in_autumn_is_due_once() -> None:
    # 01:30 happens twice in New York on 1 November 2026; the first one counts.
    schedule = Schedule(DAILY, time(1, 30), "America/New_York")
    first = schedule.next_due(utc(2026, 11, 1, 0, 0))
    assert first == utc(2026, 11, 1, 5, 30)  # EDT
    assert schedule.next_due(first) == utc(2026, 11, 2, 6, 30)  # next day, EST


def test_weekly_goes_out_on_mondays() -> None:
    schedule = Schedule(WEEKLY, time(9, 0), "Asia/Shanghai")
    # Wednesday 2 December 2026 → Monday 7 December, 09:00 Shanghai.
    due = schedule.next_due(utc(2026, 12, 2, 3, 0))
    assert due == utc(2026, 12, 7, 1, 0)
    assert due.astimezone(schedule.tz).weekday() == 0
    assert schedule.next_due(due) == utc(2026, 12, 14, 1, 0)


def test_monday_is_the_local_monday_not_the_utc_one() -> None:
    # 08:00 Monday in Shanghai is still Sunday in UTC.
    schedule = Schedule(WEEKLY, time(8, 0), "Asia/Shanghai")
    assert schedule.next_due(utc(2026, 12, 6, 12, 0)) == utc(2026, 12, 7, 0, 0)


def test_a_missed_run_goes_out_later_the_same_local_day() -> None:
    schedule = Schedule(DAILY, time(9, 0), "Asia/Shanghai")
    due = utc(2026, 12, 2, 1, 0)  # 09:00 Shanghai
    late = decide(schedule, due, utc(2026, 12, 2, 15, 59))  # 23:59 Shanghai
    assert late.send
    assert late.end == due
    assert late.next_due == utc(2026, 12, 3, 1, 0)


def test_a_run_missed_until_the_next_local_day_is_skipped_never_doubled() -> None:
    schedule = Schedule(DAILY, time(9, 0), "Asia/Shanghai")
    due = utc(2026, 12, 2, 1, 0)
    # 00:30 on 4 December in Shanghai: two runs missed; neither is sent, the next is today's.
    stale = decide(schedule, due, utc(2026, 12, 3, 16, 30))
    assert not stale.send
    assert stale.next_due == utc(2026, 12, 4, 1, 0)


def test_of_several_missed_runs_only_todays_goes_out() -> None:
    schedule = Schedule(DAILY, time(9, 0), "Asia/Shanghai")
    due = utc(2026, 12, 2, 1, 0)
    # Back at 12:00 on 4 December in Shanghai: 2 and 3 December are skipped, today's is sent.
    back = decide(schedule, due, utc(2026, 12, 4, 4, 0))
    assert back.send
    assert back.end == utc(2026, 12, 4, 1, 0)
    assert back.next_due == utc(2026, 12, 5, 1, 0)
    # Down for a month, a weekly digest: only this Monday's counts.
    weekly = Schedule(WEEKLY, time(9, 0), "Asia/Shanghai")
    month = decide(weekly, utc(2026, 11, 2, 1, 0), utc(2026, 12, 7, 2, 0))
    assert (month.send, month.end) == (True, utc(2026, 12, 7, 1, 0))


def test_times_and_zones_are_read_strictly() -> None:
    assert parse_time("9:05") == time(9, 5)
    assert parse_zone("Asia/Shanghai").key == "Asia/Shanghai"
    for bad in ("25:00", "9", "09:60", "nine"):
        with pytest.raises(BadSchedule):
            parse_time(bad)
    for bad in ("Mars/Olympus", "../etc/passwd", "/etc/localtime", "", "x" * 100):
        with pytest.raises(BadSchedule):
            parse_zone(bad)
