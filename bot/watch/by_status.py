"""One pool's sweep by status, where AIHC filters its job list by status (API v2).

Pure: pages go in, a `Walk` comes out, as from `bot.watch.walk`; the sweep does the I/O. The
sweep reads the newest pages down to the fresh band (at least one page, none without queue or
pool followers), then one newest-first walk per active status (`ACTIVE`), each to its end. Why
it sees what the walk sees:

- Every job in an active status is in its status walk. A job that moves between statuses while
  the walks run may be seen twice (a watched one counts as changed if any sighting differs) or
  not at all; an active watched job seen in no walk (finished, moved, or in a status no walk asks
  for) is made due, as a walk makes a missing one due, so the poll tells what became of it.
- The fresh band (jobs that may have appeared, and finished, since the last sweep) is read
  whatever their status, so news is found as the walk finds it, and the band moves as the walk
  moves it: only by what the top pages saw.
- A covered job the status walks cannot see (in a status AIHC invents later, `UNKNOWN`) is found
  only in the top pages. Covered open jobs are watched from the first sweep that sees them, new
  jobs come through the fresh band, and `bot.watch.sweep_choice` walks whenever a follower is new
  to the pool since this replica last swept it (a new subscription, or one resumed), so the
  first sweep of every follower is a walk. What is left: a follower paused and resumed without
  this replica sweeping the pool in between (within one interval, or while other replicas
  swept) watches its jobs again only once a sweep sees them; one sitting in an unknown status
  is seen when it moves to a known one, or, if it finishes first, never told. Watched jobs in
  an unknown status are polled every cycle: the choice counts that cost.
- The horizon stays where the last walk put it: status walks cannot vouch for jobs in statuses
  they do not ask for, so a walk that follows sweeps by status is still sound.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.domain import Job, JobStatus
from bot.store.tables import SubscriptionRow
from bot.watch.walk import Bounds, Walk, Walker, Watched

ACTIVE = tuple(status for status in JobStatus if status.is_active)
"""The statuses walked one by one: neither terminal nor `UNKNOWN`."""


class StatusWalker(Walker):
    """Take the top pages, then each status walk's pages; sum up as a walk would."""

    def __init__(
        self,
        bounds: Bounds,
        watched: Mapping[str, Watched],
        follows: Sequence[SubscriptionRow],
        last_swept: datetime | None,
    ) -> None:
        """Start from the pool's bounds, its active watched jobs and its followers."""
        super().__init__(bounds, watched, follows, last_swept)
        self.ids: set[str] = set()
        self.listed: Counter[JobStatus] = Counter()
        self.top_newest: datetime | None = None
        self.moves_newest = False

    def top_enough(self) -> bool:
        """Say whether the top pages went past the fresh band."""
        return self.stale

    def end_top(self, *, ended: bool) -> None:
        """Close the top pages; `ended` says the list ran out."""
        self.top_newest = self.newest
        self.moves_newest = bool(self.follows) and (ended or self.stale)
        self.walk.top_pages = self.walk.pages

    def begin(self) -> None:
        """Start one status walk: a new newest-first order, its own fresh band."""
        self.stale = False
        self.unbounded_open = False

    def visit_status(self, status: JobStatus, jobs: Sequence[Job]) -> None:
        """Take one page of the walk of `status`."""
        self.listed[status] += len(jobs)
        self.visit(jobs)

    def finish_by_status(self) -> Walk:
        """Sum the sweep up: the horizon stays, the fresh band moves as the top pages saw."""
        walk = self.walk
        walk.due = list(dict.fromkeys([*walk.due, *sorted(self.missing)]))
        walk.counts = Counter({status: self.listed[status] for status in ACTIVE})
        newest = self.bounds.newest
        if self.moves_newest and self.top_newest is not None:
            newest = max(self.top_newest, newest) if newest else self.top_newest
        walk.bounds = Bounds(self.bounds.horizon, newest)
        return walk

    def _count(self, job: Job) -> None:
        if job.status.is_active and job.created_at is not None:
            oldest = self.walk.oldest_active
            created = job.created_at
            self.walk.oldest_active = min(oldest, created) if oldest else created

    def _visit(self, job: Job) -> None:
        # A job met twice is taken once, but a watched one is compared at each sighting.
        if job.id in self.ids and job.id not in self.watched:
            return
        self.ids.add(job.id)
        super()._visit(job)
