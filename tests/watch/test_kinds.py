"""The closed set of notice kinds: each has a policy, a payload model and a renderer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

from bot.domain.digest import Digest, DigestPeriod
from bot.services.digest_schedules import DIGEST_KIND, dedup_key
from bot.slack.render.fallback import fallback_text
from bot.slack.render.notify import outbox_blocks
from bot.watch.kinds import POLICY, NoticeKind, parse
from bot.watch.payloads import DigestPayload, NoticePayload

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def test_every_kind_has_a_policy_and_a_payload_the_renderer_knows() -> None:
    assert set(POLICY) == set(NoticeKind)
    union = set(get_args(NoticePayload))
    assert {policy.payload for policy in POLICY.values()} <= union


def test_a_digest_travels_as_its_own_kind_and_renders_in_its_zone() -> None:
    assert NoticeKind(DIGEST_KIND) is NoticeKind.DIGEST
    policy = POLICY[NoticeKind.DIGEST]
    assert (policy.threaded, policy.edit, policy.folds) == (False, False, False)
    digest = Digest(period=DigestPeriod.DAILY, start=NOW.replace(day=1), end=NOW)
    raw = {"digest": digest.model_dump(mode="json"), "zone": "Asia/Shanghai"}
    payload = parse(NoticeKind.DIGEST, raw)
    assert payload == DigestPayload(digest=digest, zone="Asia/Shanghai")
    text = fallback_text(outbox_blocks(payload, now=NOW, lang="en"))
    assert "Daily digest" in text
    assert "2026-12-02 09:00" in text  # 01:00 UTC is 09:00 in Shanghai
    # A zone this host does not know reads times in UTC rather than failing the delivery.
    unknown = DigestPayload(digest=digest, zone="Mars/Olympus")
    assert "2026-12-02 01:00" in fallback_text(outbox_blocks(unknown, now=NOW, lang="zh"))
    assert dedup_key("C1", NOW) == "digest:C1:2026-12-02T01:00:00+00:00"
