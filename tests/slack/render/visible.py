"""Read Block Kit messages the way people see them, and build domain objects for the tests."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import CREATOR_LABEL, Job, JobFramework, JobStatus, Pod, Priority, Resource
from bot.slack.render import validate_message

NOW = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
HOSTILE = ("<!channel>", "<@U123>", "a & b", "<http://evil|click>", "<!here>", "`*_~")
_BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def texts(blocks: Sequence[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (kind, text) for every text in `blocks`: kind is mrkdwn, plain_text or rich."""
    for block in blocks:
        for obj in _text_objects(block):
            yield obj["type"], obj["text"]
        if block["type"] == "rich_text":
            for container in block["elements"]:
                for part in container["elements"]:
                    yield "rich", part["text"]


def _text_objects(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "text" in block and isinstance(block["text"], dict):
        yield block["text"]
    yield from block.get("fields", [])
    for element in block.get("elements", []):
        if element.get("type") in ("mrkdwn", "plain_text"):
            yield element
        elif element.get("type") == "button":
            yield element["text"]


def mrkdwn(blocks: Sequence[dict[str, Any]]) -> str:
    """Return all mrkdwn text of `blocks`, as sent (escaped)."""
    return "\n".join(text for kind, text in texts(blocks) if kind == "mrkdwn")


def shown(blocks: Sequence[dict[str, Any]]) -> str:
    """Return everything people read in `blocks`, entities decoded as Slack decodes them."""
    parts = []
    for kind, text in texts(blocks):
        if kind == "mrkdwn":
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        parts.append(text)
    return "\n".join(parts)


def assert_safe(blocks: Sequence[dict[str, Any]], *, modal: bool = False) -> None:
    """Assert `blocks` pass every Block Kit limit and no mrkdwn holds a raw `<`, `>` or `&`."""
    assert validate_message(blocks, modal=modal) == []
    text = mrkdwn(blocks)
    assert "<" not in text
    assert ">" not in text
    assert not _BARE_AMP.search(text)


def make_job(
    *,
    name: str = "llama-70b-sft",
    status: JobStatus = JobStatus.RUNNING,
    pods: int = 2,
    age: timedelta = timedelta(hours=3, minutes=12),
    finished_after: timedelta | None = None,
    status_text: str = "",
    job_id: str = "pytorchjob-7f3k2m",
) -> Job:
    """Build a realistic job: 8 GPUs × 4 replicas, `pods` pods, created `age` before NOW."""
    created = NOW - age
    return Job(
        id=job_id,
        name=name,
        pool_id="cce-6zwnp4zf",
        queue="team-a",
        status=status,
        status_text=status_text or status.value,
        priority=Priority.HIGH,
        framework=JobFramework.PYTORCH,
        image="registry.baidubce.com/aihc/pytorch:2.3-cu121",
        replicas=4,
        created_at=created,
        finished_at=created + finished_after if finished_after else None,
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
        labels={CREATOR_LABEL: "alice"},
        pods=tuple(
            Pod(
                name=f"{name}-{'master' if i == 0 else 'worker'}-{i}",
                phase="Running",
                restart_count=i % 3,
                node_name=f"10.0.0.{i % 250}",
                created_at=created + timedelta(minutes=2),
            )
            for i in range(pods)
        ),
    )
