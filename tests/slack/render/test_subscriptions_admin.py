"""The subscriptions table, the roles list and the audit trail render from domain objects alone.

Each test builds its domain objects in memory: no database, no ORM row, no service.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain import (
    MENTION_OWNER,
    AuditEntry,
    AuditResult,
    Role,
    RoleGrant,
    Subscription,
    TargetKind,
)
from bot.slack.ids import ActionId
from bot.slack.render.actions import audit_blocks, roles_blocks
from bot.slack.render.subscriptions import subscriptions_blocks
from tests.slack.render.visible import NOW, assert_safe, shown


def subscription(kind: TargetKind, ref: str, **fields: object) -> Subscription:
    values: dict[str, object] = {
        "id": 7,
        "workspace_id": "T1",
        "channel_id": "C1",
        "target_kind": kind,
        "pool_id": "pool-1",
        "target_ref": ref,
        "created_by": "U1",
        "created_at": NOW - timedelta(days=1),
        **fields,
    }
    return Subscription(**values)  # type: ignore[arg-type]


def buttons(blocks: list[dict[str, object]]) -> list[dict[str, object]]:
    return [b["accessory"] for b in blocks if isinstance(b.get("accessory"), dict)]  # type: ignore[misc]


def test_the_subscriptions_table_shows_what_each_subscription_does_with_a_remove_button() -> None:
    subs = [
        subscription(
            TargetKind.JOB,
            "job-abc",
            id=3,
            notify_logs=True,
            state_filter=("Failed", "Succeeded"),
            mention=MENTION_OWNER,
            muted_until=NOW + timedelta(hours=1),
        ),
        subscription(TargetKind.QUEUE, "research", id=4, notify_events=False),
        subscription(TargetKind.POOL, "pool-1", id=5, paused_reason="is_archived"),
    ]

    blocks = subscriptions_blocks(subs, now=NOW, lang="en")

    assert_safe(blocks)
    text = shown(blocks)
    assert "(3)" in text
    assert "`job-abc` · status, events, logs" in text
    assert "only on: Failed, Succeeded" in text
    assert "muted until" in text
    assert "`research` · status" in text
    assert "the channel was archived" in text
    assert [b["value"] for b in buttons(blocks)] == ["3", "4", "5"]
    assert {b["action_id"] for b in buttons(blocks)} == {ActionId.REMOVE_SUBSCRIPTION}


def test_a_mute_that_has_run_out_is_not_shown() -> None:
    sub = subscription(TargetKind.JOB, "job-abc", muted_until=NOW - timedelta(minutes=1))

    assert "muted" not in shown(subscriptions_blocks([sub], now=NOW, lang="en"))


def test_the_roles_list_names_admins_and_operators_and_the_bot_admins() -> None:
    grants = [
        RoleGrant("T1", "UADMIN1", Role.ADMIN, "U0", NOW),
        RoleGrant("T1", "UOPS1", Role.OPERATOR, "UADMIN1", NOW),
    ]

    text = shown(roles_blocks(grants, ["UBOOT"], lang="en"))

    admin_line = next(line for line in text.splitlines() if line.startswith("• admin:"))
    operator_line = next(line for line in text.splitlines() if line.startswith("• operator:"))
    assert "<@UADMIN1>" in admin_line
    assert "<@UOPS1>" in operator_line
    assert "<@UBOOT>" in text


def test_the_audit_trail_shows_who_did_what_how_it_ended_and_the_request_id() -> None:
    entries = [
        AuditEntry(
            id=2,
            at=NOW,
            workspace_id="T1",
            channel_id="C1",
            actor_id="UOPS1",
            action="job.stop",
            target="pool-1/job-abc",
            result=AuditResult.OK,
            aihc_request_id="req-42",
        ),
        AuditEntry(
            id=1,
            at=NOW - timedelta(minutes=5),
            workspace_id="T1",
            channel_id="C1",
            actor_id="UNOBODY",
            action="role.grant",
            target="UNOBODY:admin",
            result=AuditResult.REFUSED,
        ),
    ]

    text = shown(audit_blocks(entries, lang="zh")) + shown(audit_blocks(entries, lang="en"))

    assert "job.stop" in text
    assert "req-42" in text
    assert "refused" in text
    assert "UNOBODY" in text
