"""Where a pool's walk may stop, and what it hands the poll: the rule, page by page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.domain import Job, JobStatus
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch.walk import Bounds, Walk, Walker, Watched

T0 = datetime(2026, 11, 1, tzinfo=UTC)
SWEPT = T0 + timedelta(days=30)
S = JobStatus
NEVER = Bounds()


def at(minutes: float) -> datetime:
    """Return a createdAt `minutes` after T0."""
    return T0 + timedelta(minutes=minutes)


def job(
    name: str,
    minutes: float | None,
    status: JobStatus = S.RUNNING,
    *,
    queue: str = "q1",
    ft: bool = False,
    finished: bool = False,
) -> Job:
    """A listed job created `minutes` after T0 (None: createdAt missing)."""
    return Job(
        id=name,
        name=name,
        pool_id="p",
        queue=queue,
        status=status,
        created_at=None if minutes is None else at(minutes),
        finished_at=at(10_000) if finished else None,
        fault_tolerance=ft,
    )


def follow(
    kind: TargetKind = TargetKind.POOL, ref: str = "p", *, new: bool = False
) -> SubscriptionRow:
    """A pool or queue subscription; `new` ones were made after the last sweep."""
    created = SWEPT + timedelta(minutes=1) if new else SWEPT - timedelta(days=1)
    return SubscriptionRow(target_kind=kind, target_ref=ref, pool_id="p", created_at=created)


def walk(
    pages: Sequence[Sequence[Job]],
    bounds: Bounds = NEVER,
    *,
    watched: dict[str, Watched] | None = None,
    follows: Sequence[SubscriptionRow] = (),
) -> tuple[Walk, int]:
    """Walk `pages` as the sweep does; return the result and how many pages it read."""
    walker = Walker(bounds, watched or {}, list(follows), SWEPT)
    read = 0
    for index, page in enumerate(pages):
        walker.visit(page)
        read += 1
        if walker.enough():
            return walker.finish(ended=index == len(pages) - 1), read
    return walker.finish(ended=True), read


def listing(*jobs: Job, size: int = 3) -> list[list[Job]]:
    """Cut jobs (newest first) into pages."""
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]


def seen(status: str = "Running") -> Watched:
    """An active watched job last seen in `status`."""
    return Watched(status, {})


def test_a_pool_never_walked_is_walked_to_the_end_and_its_horizon_is_the_oldest_open_job() -> None:
    pages = listing(
        job("new", 900), job("done-1", 800, S.SUCCEEDED), job("run", 700),
        job("done-2", 600, S.FAILED), job("old-run", 500), job("older", 100, S.SUCCEEDED),
        job("oldest", 50, S.STOPPED),
    )  # fmt: skip
    result, read = walk(pages, follows=[follow()])
    assert read == 3
    assert result.complete
    assert result.bounds == Bounds(horizon=at(500), newest=at(900))
    assert {j.id for j, _ in result.found} == {"new", "run", "old-run"}


def test_a_walk_stops_once_past_the_horizon_and_the_overlap() -> None:
    pages = listing(
        job("new", 900), job("a", 800, S.SUCCEEDED), job("b", 700, S.SUCCEEDED),
        job("c", 599, S.SUCCEEDED), job("d", 597, S.SUCCEEDED), job("e", 590, S.SUCCEEDED),
        job("f", 500, S.SUCCEEDED), job("g", 400),
    )  # fmt: skip
    # Nothing older than 600 was open at the last complete walk, so "g" (400) cannot be.
    result, read = walk(pages, Bounds(horizon=at(600), newest=at(800)), follows=[follow()])
    assert read == 2  # page 2 holds "d", the first job older than 600 - OVERLAP
    assert result.complete
    assert result.bounds == Bounds(horizon=at(900), newest=at(900))


def test_jobs_created_in_the_horizons_second_on_the_next_page_are_still_seen() -> None:
    pages = listing(
        job("x", 890, S.SUCCEEDED), job("y", 700, S.SUCCEEDED), job("tie-1", 600, S.SUCCEEDED),
        job("tie-2", 600), job("old", 100, S.SUCCEEDED),
    )  # fmt: skip
    result, read = walk(pages, Bounds(horizon=at(600), newest=at(900)), follows=[follow()])
    assert read == 2
    assert result.bounds.horizon == at(600)
    assert [j.id for j, _ in result.found] == ["tie-2"]


def test_a_failed_job_that_may_still_restart_holds_the_horizon() -> None:
    tentative = job("tentative", 300, S.FAILED, ft=True)
    final = job("final", 200, S.FAILED, ft=True, finished=True)
    result, _ = walk(listing(job("new", 900, S.SUCCEEDED), tentative, final), follows=[follow()])
    assert result.bounds.horizon == at(300)


def test_an_open_job_without_created_at_is_bounded_by_the_next_dated_job() -> None:
    pages = listing(
        job("new", 900, S.SUCCEEDED), job("undated", None), job("below", 400, S.SUCCEEDED)
    )
    result, _ = walk(pages, follows=[follow()])
    assert result.bounds.horizon == at(400)
    at_the_end = listing(job("new", 900, S.SUCCEEDED), job("undated", None))
    result, _ = walk(at_the_end, follows=[follow()])
    assert result.complete
    assert result.bounds.horizon is None  # unknown: the next walk goes to the end again


def test_the_walk_goes_on_until_every_active_watched_job_is_found() -> None:
    pages = listing(
        job("new", 900, S.SUCCEEDED), job("a", 800, S.SUCCEEDED), job("b", 700, S.SUCCEEDED),
        job("mine", 100, S.SUCCEEDED),
    )  # fmt: skip
    watched = {"mine": seen(), "gone": seen()}
    result, read = walk(pages, Bounds(horizon=at(850), newest=at(900)), watched=watched)
    assert read == 2
    assert result.due == ["mine", "gone"]  # changed, and not found: the poll asks for it


def test_a_job_subscription_alone_stops_at_its_jobs_and_keeps_the_bounds() -> None:
    pages = listing(job("mine", 900), job("a", 800), job("b", 700), job("c", 600))
    bounds = Bounds(horizon=at(100), newest=at(900))
    result, read = walk(pages, bounds, watched={"mine": seen()})
    assert read == 1
    assert not result.complete
    assert result.bounds == bounds
    assert result.found == []
    assert result.due == []


def test_finished_jobs_are_news_only_in_the_fresh_band_and_only_after_a_baseline() -> None:
    appeared, below, run = (
        job("appeared", 899, S.FAILED),
        job("below", 850, S.FAILED),
        job("run", 840),
    )
    pages = listing(appeared, below, run)
    bounds = Bounds(horizon=at(800), newest=at(900))
    # Within OVERLAP of the newest job seen before: news unless a row says it was seen.
    result, _ = walk(pages, bounds, follows=[follow()])
    assert result.found == [(appeared, True), (run, False)]
    assert result.settled == []
    # A new subscription's baseline is silent; the finished job is recorded as seen.
    fresh, _ = walk(pages, bounds, follows=[follow(new=True)])
    assert fresh.found == [(run, False)]
    assert fresh.settled == [appeared]


def test_a_queue_subscription_takes_only_its_queues_jobs_but_the_horizon_is_the_pools() -> None:
    pages = listing(job("mine", 900, queue="q1"), job("theirs", 800, queue="q2"))
    result, _ = walk(pages, follows=[follow(TargetKind.QUEUE, "q1")])
    assert [j.id for j, _ in result.found] == ["mine"]
    assert result.bounds.horizon == at(800)  # a later subscription to q2 is covered at once
