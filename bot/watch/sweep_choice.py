"""How to sweep a pool next: walk its job list, or walk it by status, whichever costs fewer calls.

Pure. The estimate comes from what the last sweep of the pool saw (`Seen`), kept in memory by
the replica that swept it; a replica that has not swept a pool yet walks it, and learns.

- A walk costs the pages down to the horizon and to every watched job: the last walk counted
  them (`Walk.next_pages`, from where its pages ended and where the new horizon lies). Sweeps by
  status leave the horizon alone, so the figure holds while they run, unless the oldest job in
  an active status at that walk has left it: then the horizon may rise and the walk cost less,
  so the figure is unknown until a walk measures it again.
- A sweep by status costs its top pages (as many as last time; none without followers), plus
  per active status max(1, ceil(n / 100)) pages for the n jobs last seen in it, plus one poll per
  watched job in a status no status walk asks for (missing from all of them, it is polled every
  cycle; a walk would see it unchanged).
- The walk is chosen when the estimate is a tie or unknown, and whenever a follower is new to the
  pool since this replica last swept it (a new or resumed subscription): its first sweep must
  see every job it covers, in any status (`bot.watch.by_status` says why that is enough).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import JobStatus
from bot.store.tables import SubscriptionRow
from bot.watch.by_status import ACTIVE
from bot.watch.walk import Walk, Watched

PAGE = 100
"""Jobs per page of a sweep's list calls (`job_pages`' default)."""


@dataclass(frozen=True, slots=True)
class Seen:
    """What the last sweep of a pool saw, to choose how to sweep it next."""

    walk_pages: int | None
    """What a walk would cost now; None when unknown."""
    counts: Mapping[JobStatus, int]
    top_pages: int
    oldest_active: datetime | None
    """The createdAt of the oldest job in an active status at the last walk."""
    follows: frozenset[int]


def by_status(
    seen: Seen | None, watched: Mapping[str, Watched], follows: Sequence[SubscriptionRow]
) -> bool:
    """Say whether sweeping by status costs fewer calls than walking; walk when unsure."""
    if seen is None or seen.walk_pages is None:
        return False
    if not {sub.id for sub in follows} <= seen.follows:
        return False
    return status_cost(seen, watched, follows) < seen.walk_pages


def status_cost(
    seen: Seen, watched: Mapping[str, Watched], follows: Sequence[SubscriptionRow]
) -> int:
    """Count the calls a sweep by status would make: top pages, status walks, extra polls."""
    top = max(seen.top_pages, 1) if follows else 0
    walks = sum(max(1, -(-seen.counts.get(status, 0) // PAGE)) for status in ACTIVE)
    hidden = sum(1 for row in watched.values() if _hidden(row.last_status))
    return top + walks + hidden


def after_walk(walk: Walk, follows: Sequence[SubscriptionRow]) -> Seen:
    """Remember what a walk saw."""
    return Seen(
        walk_pages=walk.next_pages,
        counts=dict(walk.counts),
        top_pages=1,
        oldest_active=walk.oldest_active,
        follows=frozenset(sub.id for sub in follows),
    )


def after_status_sweep(seen: Seen, walk: Walk, follows: Sequence[SubscriptionRow]) -> Seen:
    """Remember what a sweep by status saw; forget the walk's cost if the horizon may rise."""
    was, now = seen.oldest_active, walk.oldest_active
    rises = was is not None and (now is None or now > was)
    return Seen(
        walk_pages=None if rises else seen.walk_pages,
        counts=dict(walk.counts),
        top_pages=walk.top_pages,
        oldest_active=seen.oldest_active,
        follows=frozenset(sub.id for sub in follows),
    )


def _hidden(last_status: str | None) -> bool:
    return last_status is not None and not JobStatus.parse(last_status).is_active
