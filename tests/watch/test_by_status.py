"""A sweep by status, page by page: what it hands the poll, and when it is chosen over the walk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain import Job, JobStatus
from bot.store.tables import SubscriptionRow
from bot.watch.by_status import ACTIVE, StatusWalker
from bot.watch.sweep_choice import Seen, after_status_sweep, after_walk, by_status
from bot.watch.walk import Bounds, Walk, Watched
from tests.watch.test_walk import SWEPT, S, at, follow, job, listing, seen, walk

BOUNDS = Bounds(horizon=at(10), newest=at(100))


def sweep(
    top: Sequence[Sequence[Job]],
    walks: Mapping[JobStatus, Sequence[Job]],
    *,
    watched: dict[str, Watched] | None = None,
    follows: Sequence[SubscriptionRow] = (),
) -> Walk:
    """Sweep by status as the sweeper does: top pages to the fresh band, then each status."""
    walker = StatusWalker(BOUNDS, watched or {}, list(follows), SWEPT)
    ended = False
    for index, page in enumerate(top if follows else ()):
        walker.visit(page)
        ended = index == len(top) - 1
        if walker.top_enough():
            break
    walker.end_top(ended=ended)
    for status in ACTIVE:
        walker.begin()
        walker.visit_status(status, list(walks.get(status, ())))
    return walker.finish_by_status()


def test_a_watched_job_in_no_status_walk_is_due_and_the_horizon_stays() -> None:
    top = listing(job("new", 200, S.FAILED), job("mid", 50, S.SUCCEEDED), job("a", 20))
    result = sweep(
        top,
        {S.RUNNING: [job("a", 20)], S.PENDING: [job("p", 30, S.PENDING)]},
        watched={"a": seen(), "gone": seen()},
        follows=[follow()],
    )
    assert result.due == ["gone"]  # finished, or in a status no walk asks for: polled
    assert [(j.id, news) for j, news in result.found] == [("new", True), ("p", False)]
    assert result.bounds == Bounds(horizon=at(10), newest=at(200))
    assert result.pages == 1 + len(ACTIVE)
    assert result.top_pages == 1
    assert result.counts[S.RUNNING] == result.counts[S.PENDING] == 1
    assert result.oldest_active == at(20)


def test_a_job_met_in_two_status_walks_is_taken_once_and_due_if_either_differs() -> None:
    moved = {S.PENDING: [job("w", 20, S.PENDING), job("u", 30, S.PENDING)]}
    moved |= {S.RUNNING: [job("w", 20), job("u", 30)]}
    result = sweep([], moved, watched={"w": seen("Pending")}, follows=[follow()])
    assert result.due == ["w"]
    assert [j.id for j, _ in result.found] == ["u"]


def test_a_job_created_while_the_status_walks_run_is_news() -> None:
    late = {S.PENDING: [job("late", 300, S.PENDING), job("old", 20, S.PENDING)]}
    top = listing(job("top", 200), job("x", 40, S.SUCCEEDED))
    result = sweep(top, late, follows=[follow()])
    found = [(j.id, news) for j, news in result.found]
    assert found == [("top", True), ("late", True), ("old", False)]
    assert result.bounds.newest == at(200)  # the fresh band moves only by what the top pages saw


def test_without_followers_only_the_status_walks_are_read() -> None:
    result = sweep(listing(job("top", 200)), {S.RUNNING: [job("w", 20)]}, watched={"w": seen()})
    assert result.pages == len(ACTIVE)
    assert result.due == []
    assert result.bounds == BOUNDS


def remembered(walk_pages: int | None, running: int, *ids: int) -> Seen:
    """What a sweep of a pool with `running` jobs running left, followed by `ids`."""
    return Seen(walk_pages, {S.RUNNING: running}, 1, at(20), frozenset(ids))


def follower(id_: int) -> SubscriptionRow:
    """A pool follower with an id."""
    sub = follow()
    sub.id = id_
    return sub


def test_sweeping_by_status_is_chosen_only_when_it_costs_fewer_calls() -> None:
    follows = [follower(1)]
    assert by_status(remembered(9, 1, 1), {}, follows)  # 1 + 7 < 9
    assert not by_status(remembered(8, 1, 1), {}, follows)  # a tie walks
    assert not by_status(remembered(9, 101, 1), {}, follows)  # 1 + 2 + 6
    assert not by_status(remembered(None, 1, 1), {}, follows)  # unknown: walk to learn
    assert not by_status(None, {}, follows)


def test_a_follower_new_to_the_pool_is_walked_first() -> None:
    assert not by_status(remembered(50, 1, 1), {}, [follower(1), follower(2)])
    assert by_status(remembered(50, 1, 1, 2), {}, [follower(2)])  # one left: still by status


def test_a_watched_job_no_status_walk_lists_costs_a_poll_each_cycle() -> None:
    hidden = {f"j{i}": seen("Unknown") for i in range(2)} | {"r": seen(), "new": Watched(None, {})}
    assert by_status(remembered(11, 1, 1), hidden, [follower(1)])  # 1 + 7 + 2 < 11
    assert not by_status(remembered(10, 1, 1), hidden, [follower(1)])


def test_the_walk_cost_is_forgotten_once_the_oldest_active_job_left() -> None:
    last = after_walk(Walk(BOUNDS, pages=11, next_pages=11, oldest_active=at(20)), [follower(1)])
    still = Walk(BOUNDS, oldest_active=at(20), top_pages=1)
    assert after_status_sweep(last, still, [follower(1)]).walk_pages == 11
    for left in (at(25), None):
        moved = Walk(BOUNDS, oldest_active=left, top_pages=1)
        assert after_status_sweep(last, moved, [follower(1)]).walk_pages is None


def test_a_walk_counts_the_pages_the_next_walk_needs() -> None:
    pages = listing(job("a", 90, S.SUCCEEDED), job("b", 80), job("c", 70, S.SUCCEEDED))
    pages += listing(job("d", 50, S.SUCCEEDED), job("e", 20, S.SUCCEEDED), job("f", 10))
    result, read = walk(pages, follows=[follow()])
    assert read == 2
    assert result.next_pages == 2  # the horizon is f, on the last page
    pages[1][2] = job("f", 10, S.SUCCEEDED)
    result, _ = walk(pages, follows=[follow()])
    assert result.next_pages == 1  # b is the horizon: the first page passes it
    assert result.counts == {S.RUNNING: 1}
