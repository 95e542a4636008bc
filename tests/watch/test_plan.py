"""The planner decides every notice from what it is given, with no I/O: cards, replies, series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import Event, Job, JobStatus
from bot.insight.causes import likely_cause
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL
from bot.store import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch.kinds import NoticeKind
from bot.watch.notices import Notice, fold_bursts
from bot.watch.observe import Observation, series_key
from bot.watch.payloads import (
    CardPayload,
    FailurePayload,
    JobRef,
    SummaryPayload,
    TransitionPayload,
)
from bot.watch.plan import plan_job
from bot.watch.plan_types import Channel, Context, Inputs, Series

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CTX = Context(NOW, 30.0)


def sub(kind: TargetKind = TargetKind.JOB, **fields: object) -> SubscriptionRow:
    """Return a subscription of channel C1 as the store would hold it."""
    values: dict[str, object] = {
        "id": 1,
        "workspace_id": "T1",
        "channel_id": "C1",
        "target_kind": kind,
        "target_ref": "job-1",
        "pool_id": "pool-1",
        "notify_status": True,
        "notify_events": True,
        "notify_logs": False,
        "state_filter": [],
        "mention": None,
        "muted_until": None,
        "paused_reason": None,
        "created_by": "U1",
        "created_at": NOW - timedelta(days=1),
    }
    values.update(fields)
    return SubscriptionRow(**values)


def job(status: str, **fields: Any) -> Job:
    """Return job-1 of pool-1 in `status`."""
    return Job(id="job-1", name="llama", pool_id="pool-1", status=JobStatus.parse(status), **fields)


def inputs(last: str | None, *channels: Channel, **fields: Any) -> Inputs:
    """Return what the store holds of job-1: its last status and the channels following it."""
    return Inputs(job_id="job-1", pool_id="pool-1", last_status=last, channels=channels, **fields)


def kinds(notices: list[Notice]) -> list[NoticeKind]:
    """Return the kinds of notices, in order."""
    return [notice.kind for notice in notices]


def test_a_change_edits_the_card_and_tells_the_thread() -> None:
    plan = plan_job(
        inputs("Running", Channel(sub(), 7, card_out=True)), Observation(job("Restarting")), CTX
    )

    assert kinds(plan.notices) == [NoticeKind.CARD_UPDATE, NoticeKind.TRANSITION]
    reply = plan.notices[1].payload
    assert reply == TransitionPayload(
        job=JobRef(id="job-1", name="llama", pool="pool-1"), old="Running", new="Restarting"
    )
    assert plan.values["last_status"] == "Restarting"
    assert plan.values["active"] is True


def test_a_failure_names_its_cause_and_pings_the_owner_and_linked_people() -> None:
    labels = {
        SLACK_USER_LABEL: "U9",
        SLACK_TEAM_LABEL: "T1",
        "aijob.cce.baidubce.com/ai-user-name": "chen",
    }
    tail = ["torch.OutOfMemoryError: CUDA out of memory."]
    # The observation matched the cause off the event loop; the planner takes it as it is.
    seen = Observation(
        job("Failed", labels=labels),
        failure_tail=tail,
        log_pod="llama-master-0",
        cause=likely_cause(tail),
    )
    given = inputs("Running", Channel(sub(), 7, card_out=True), linked={"T1": ("U2", "U9")})

    [edit, failure] = plan_job(given, seen, CTX).notices

    assert edit.kind is NoticeKind.CARD_UPDATE
    assert isinstance(failure.payload, FailurePayload)
    assert failure.payload.cause.key == "cuda_oom"
    assert failure.payload.mentions == ["U9", "U2"]
    assert failure.payload.lines == ["torch.OutOfMemoryError: CUDA out of memory."]


def test_a_pool_subscription_starts_silent_and_a_job_that_appears_later_gets_a_card() -> None:
    pool_sub = sub(TargetKind.POOL, target_ref="pool-1")
    channel = Channel(pool_sub, 7, card_out=False)

    baseline = plan_job(inputs(None, channel), Observation(job("Running")), CTX)
    news = plan_job(inputs(None, channel, news=True), Observation(job("Running")), CTX)

    assert baseline.notices == []
    assert kinds(news.notices) == [NoticeKind.CARD]


def test_muted_and_filtered_channels_only_see_their_card_change() -> None:
    muted = Channel(sub(muted_until=NOW + timedelta(hours=1)), 7, card_out=True)
    filtered = Channel(sub(id=2, channel_id="C2", state_filter=["Failed"]), 8, card_out=True)

    plan = plan_job(inputs("Running", muted, filtered), Observation(job("Succeeded")), CTX)

    assert [(n.channel_id, n.kind) for n in plan.notices] == [
        ("C1", NoticeKind.CARD_UPDATE),
        ("C2", NoticeKind.CARD_UPDATE),
    ]
    assert plan.values["active"] is False


def test_a_repeating_warning_speaks_again_only_once_its_count_doubled() -> None:
    event = Event(type="Warning", reason="BackOff", message="Back-off restarting", count=5)
    key = series_key(event)
    channel = Channel(sub(), 7, card_out=True)

    quiet = plan_job(
        inputs("Running", channel, series={key: Series(4, 3)}),
        Observation(job("Running"), warnings=[event]),
        CTX,
    )
    loud = plan_job(
        inputs("Running", channel, series={key: Series(4, 2)}),
        Observation(job("Running"), warnings=[event]),
        CTX,
    )

    assert quiet.notices == []
    assert [(w.key, w.values["occurrences"], w.told) for w in quiet.series] == [(key, 5, None)]
    assert kinds(loud.notices) == [NoticeKind.EVENTS]
    assert [w.told for w in loud.series] == [5]


def test_a_deleted_job_is_told_where_its_card_is_out() -> None:
    out, never = (
        Channel(sub(), 7, card_out=True),
        Channel(sub(id=2, channel_id="C2"), 8, card_out=False),
    )

    plan = plan_job(inputs("Running", out, never, job_name="llama"), Observation(None), CTX)

    assert [(n.channel_id, n.kind) for n in plan.notices] == [("C1", NoticeKind.GONE)]
    assert plan.values["last_status"] == "Deleted"


def _failure(channel: str, card: int) -> Notice:
    payload = FailurePayload(
        job=JobRef(id=f"j{card}", name=f"job-{card}"), old="Running", new="Failed"
    )
    return Notice(f"st:{card}", "T1", channel, NoticeKind.FAILURE, payload, card)


def test_many_transitions_in_one_channel_fold_into_one_summary() -> None:
    busy = [_failure("C1", card) for card in range(1, 5)]
    card = job("Failed")
    edits = [
        Notice(f"cardv:{c}", "T1", "C1", NoticeKind.CARD_UPDATE, CardPayload.of(card), c)
        for c in range(1, 5)
    ]
    calm = [_failure("C2", 9)]
    kept = fold_bursts([*edits, *busy, *calm], threshold=3)
    assert sorted(n.kind.value for n in kept) == ["card_update"] * 4 + ["failure", "summary"]
    [summary] = [n for n in kept if n.kind is NoticeKind.SUMMARY]
    assert isinstance(summary.payload, SummaryPayload)
    assert [j.name for j in summary.payload.jobs] == [f"job-{c}" for c in range(1, 5)]
    assert fold_bursts(busy, threshold=3)[-1].dedup_key == summary.dedup_key


def test_the_same_change_twice_within_one_second_gets_two_keys() -> None:
    channel = Channel(sub(), 7, card_out=True)
    first = plan_job(inputs("Running", channel), Observation(job("Restarting")), CTX)
    # Running again, then Restarting again half a second later: a second, separate change.
    later = Context(NOW + timedelta(milliseconds=500), 30.0)
    again = plan_job(inputs("Running", channel), Observation(job("Restarting")), later)

    assert {n.dedup_key for n in first.notices}.isdisjoint(n.dedup_key for n in again.notices)
