"""One pool's walk down the job list (newest first): what it found and where it may stop.

Pure: pages go in, a `Walk` comes out; the sweep does the I/O. Why stopping early is sound:

- The list is ordered by createdAt, newest first, and a job that was surely terminal when seen
  stays so (`surely_terminal`: a fault-tolerant Failed job without finishedAt may still restart).
- `Bounds.horizon` is the createdAt of the oldest job, in the whole pool, that was not surely
  terminal at the last complete walk. Every job older than it was surely terminal then (seen so
  by that walk, or older than the horizon before it), so it cannot change any more: a walk that
  reaches `horizon - OVERLAP` has seen every job that can. The horizon ignores who subscribes,
  so a subscription created or resumed between (or during) walks is covered by the next walk.
- A walk is complete when it passes that point or the list ends; only then does it move the
  horizon. A pool never walked completely (no horizon) is walked to the end; a walk cut short
  by `MAX_PAGES` keeps the old horizon, so the next walk goes as deep again.
- The walk also goes on until every active watched job was found (a job subscription may watch
  a job below the horizon); those never found are polled one by one.
- `OVERLAP` absorbs jobs that become visible a little after their createdAt, equal createdAt
  seconds, and a job shifted across a page boundary while the walk runs.
- A job whose createdAt is missing sits where the server's order put it: an open one is bounded
  by the next dated job below it, or, at the end of the list, leaves the horizon unknown.

Which covered jobs become watched rows: every open one (silently at a subscription's baseline,
as news once an earlier walk took it); a finished one only in the fresh band (created at most
`OVERLAP` before the newest job a complete walk saw), where it may have appeared and finished
between two walks. Finished jobs there that are not news are recorded as seen, so a later walk
does not take them for news; finished jobs below the band were seen, or predate the
subscription, and need nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import Job, JobStatus
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch.observe import TENTATIVE

OVERLAP = timedelta(minutes=2)


def surely_terminal(job: Job) -> bool:
    """Say whether a listed job can never change again."""
    if not job.status.is_terminal:
        return False
    tentative = job.status is JobStatus.FAILED and job.fault_tolerance and not job.finished_at
    return not tentative


def covers(sub: SubscriptionRow, job: Job) -> bool:
    """Say whether a queue or pool subscription covers a job."""
    if sub.target_kind is TargetKind.POOL:
        return True
    return sub.target_kind is TargetKind.QUEUE and sub.target_ref == job.queue


@dataclass(frozen=True, slots=True)
class Bounds:
    """What complete walks left: the horizon, and the newest createdAt they saw."""

    horizon: datetime | None = None
    newest: datetime | None = None


@dataclass(frozen=True, slots=True)
class Watched:
    """What the store holds of an active watched job."""

    last_status: str | None
    cursors: Mapping[str, object]


@dataclass
class Walk:
    """What one pool's walk found, and the bounds to keep for the next one."""

    bounds: Bounds
    complete: bool = False
    pages: int = 0
    seen: int = 0
    due: list[str] = field(default_factory=list)
    """Watched jobs that changed or were not found: the poll fetches them."""
    found: list[tuple[Job, bool]] = field(default_factory=list)
    """Covered jobs to watch, due now, and whether each is news (not a baseline)."""
    settled: list[Job] = field(default_factory=list)
    """Finished covered jobs of the fresh band to record as seen, silently."""
    statuses: list[JobStatus] = field(default_factory=list)
    counts: Counter[JobStatus] = field(default_factory=Counter)
    """Jobs seen per active status: what walks by status would list."""
    oldest_active: datetime | None = None
    """The createdAt of the oldest job seen in an active status."""
    next_pages: int = 0
    """The pages the next walk needs, from what this one saw (the list staying as it is)."""
    top_pages: int = 0
    """Of a sweep by status: the pages read before the status walks."""


class Walker:
    """Take a pool's pages in order; say when the walk may stop; sum up what it found."""

    def __init__(
        self,
        bounds: Bounds,
        watched: Mapping[str, Watched],
        follows: Sequence[SubscriptionRow],
        last_swept: datetime | None,
    ) -> None:
        """Start a walk from the pool's bounds, its active watched jobs and its followers."""
        self.bounds = bounds
        self.watched = watched
        self.follows = follows
        self.last_swept = last_swept
        self.missing = set(watched)
        self.stop_at = bounds.horizon - OVERLAP if bounds.horizon else None
        self.fresh_from = bounds.newest - OVERLAP if bounds.newest else None
        self.passed = False
        self.stale = False
        self.newest: datetime | None = None
        self.oldest_open: datetime | None = None
        self.unbounded_open = False
        self.walk = Walk(bounds)
        self.ends: list[datetime | None] = []
        self.found_on = 0

    def needed(self) -> bool:
        """Say whether the pool needs walking at all."""
        return bool(self.missing or self.follows)

    def enough(self) -> bool:
        """Say whether the walk has seen every job it must see."""
        return not self.missing and (not self.follows or self.passed)

    def visit(self, jobs: Iterable[Job]) -> None:
        """Take one page."""
        self.walk.pages += 1
        self.ends.append(None)
        for job in jobs:
            self.walk.seen += 1
            self._place(job)
            self._count(job)
            self._visit(job)

    def finish(self, *, ended: bool) -> Walk:
        """Sum the walk up; `ended` says the list ran out."""
        walk = self.walk
        walk.due += sorted(self.missing)
        walk.complete = ended or self.passed
        horizon, newest = self.bounds.horizon, self.bounds.newest
        if walk.complete:
            horizon = None if self.unbounded_open else (self.oldest_open or self.newest)
        if self.follows and (ended or self.stale) and self.newest is not None:
            newest = max(self.newest, newest) if newest else self.newest
        walk.bounds = Bounds(horizon, newest)
        walk.next_pages = self._next_pages(horizon)
        return walk

    def _next_pages(self, horizon: datetime | None) -> int:
        """Count the pages a walk from `horizon` needs to see what this one saw."""
        pages = self.walk.pages
        if self.missing:
            return pages  # the next walk looks for them again, down to the end
        need = self.found_on
        if self.follows:
            stop = horizon - OVERLAP if horizon else None
            past = [i for i, end in enumerate(self.ends, 1) if stop and end and end < stop]
            need = max(need, past[0] if past else pages)
        return max(need, 1)

    def _count(self, job: Job) -> None:
        """Count a job by status, and keep where each page ends in createdAt order."""
        created = job.created_at
        if created is not None:
            end = self.ends[-1]
            self.ends[-1] = min(end, created) if end else created
        if job.status.is_active:
            self.walk.counts[job.status] += 1
            if created is not None:
                oldest = self.walk.oldest_active
                self.walk.oldest_active = min(oldest, created) if oldest else created

    def _place(self, job: Job) -> None:
        """Track where the walk is in createdAt order, and the oldest job still open."""
        created = job.created_at
        if created is not None:
            self.newest = max(self.newest, created) if self.newest else created
            if self.fresh_from is None:
                self.fresh_from = created - OVERLAP
            self.stale = self.stale or created < self.fresh_from
            self.passed = self.passed or (self.stop_at is not None and created < self.stop_at)
            if self.unbounded_open:
                self._open_at(created)
                self.unbounded_open = False
        if not surely_terminal(job):
            if created is None:
                self.unbounded_open = True
            else:
                self._open_at(created)

    def _open_at(self, created: datetime) -> None:
        self.oldest_open = min(self.oldest_open, created) if self.oldest_open else created

    def _visit(self, job: Job) -> None:
        walk = self.walk
        row = self.watched.get(job.id)
        if row is not None:
            self.missing.discard(job.id)
            self.found_on = self.walk.pages
            walk.statuses.append(job.status)
            pending = row.cursors.get(TENTATIVE)
            if job.status.value != row.last_status or pending or row.last_status is None:
                walk.due.append(job.id)
            return
        covering = [sub for sub in self.follows if covers(sub, job)]
        if not covering:
            return
        fresh = not self.stale
        news = fresh and self._baselined(covering)
        if not job.status.is_terminal or news:
            walk.found.append((job, news))
        elif fresh:
            walk.settled.append(job)

    def _baselined(self, covering: list[SubscriptionRow]) -> bool:
        """Say whether an earlier sweep took the baseline of one of these subscriptions."""
        last = self.last_swept
        return last is not None and any(sub.created_at <= last for sub in covering)
