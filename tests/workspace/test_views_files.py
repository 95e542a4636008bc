"""Modals and file uploads through slack_sdk, files_upload_v2 included."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory


def modal(title: str, *blocks: dict[str, object]) -> dict[str, object]:
    """Build a minimal modal view."""
    return {
        "type": "modal",
        "callback_id": "job_create",
        "title": {"type": "plain_text", "text": title},
        "private_metadata": '{"pool": "p1"}',
        "blocks": list(blocks),
    }


async def test_views_open_update_push(fake: FakeSlack, client: ClientFactory) -> None:
    slack = client()
    opened = await slack.views_open(trigger_id="1.2.abc", view=modal("Loading…"))
    view_id = opened["view"]["id"]
    await slack.views_update(view_id=view_id, view=modal("Create job"), hash=opened["view"]["hash"])
    pushed = await slack.views_push(trigger_id="1.3.def", view=modal("Confirm"))
    views = fake.views()
    assert [(v.id, v.view["title"]["text"], v.versions) for v in views] == [
        (view_id, "Create job", 2),
        (pushed["view"]["id"], "Confirm", 1),
    ]
    assert views[1].root_view_id == view_id


async def test_views_update_checks_hash_and_id(client: ClientFactory) -> None:
    slack = client()
    opened = await slack.views_open(trigger_id="1.2.abc", view=modal("One"))
    await slack.views_update(view_id=opened["view"]["id"], view=modal("Two"))
    with pytest.raises(SlackApiError) as stale:
        await slack.views_update(
            view_id=opened["view"]["id"], view=modal("Three"), hash=opened["view"]["hash"]
        )
    assert stale.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as missing:
        await slack.views_update(view_id="V404", view=modal("Four"))
    assert missing.value.response["error"] == "not_found"


async def test_modal_limits_are_enforced(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().views_open(trigger_id="1.2.abc", view=modal("x" * 25))
    assert raised.value.response["error"] == "invalid_arguments"


async def test_files_upload_v2_into_a_thread(fake: FakeSlack, client: ClientFactory) -> None:
    slack = client()
    parent = await slack.chat_postMessage(channel="C0001", text="card")
    log = "".join(f"step {i}\n" for i in range(10_000))
    answer = await slack.files_upload_v2(
        channel="C0001",
        thread_ts=parent["ts"],
        content=log,
        filename="job-1.log",
        title="job-1 log",
        initial_comment="The full log",
    )
    assert answer["file"]["name"] == "job-1.log"
    (stored,) = fake.files()
    assert (stored.filename, stored.title, stored.channel) == ("job-1.log", "job-1 log", "C0001")
    assert (stored.thread_ts, stored.initial_comment) == (parent["ts"], "The full log")
    assert stored.content.decode() == log
    (shared,) = fake.thread("C0001", parent["ts"])
    assert shared.text == "The full log"
    assert shared.files[0]["id"] == stored.id
    assert [c.method for c in fake.calls[1:]] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


async def test_completing_an_unuploaded_file_fails(client: ClientFactory) -> None:
    slack = client()
    announced = await slack.files_getUploadURLExternal(filename="a.txt", length=3)
    with pytest.raises(SlackApiError) as raised:
        await slack.files_completeUploadExternal(
            files=[{"id": announced["file_id"], "title": "a"}], channel_id="C0001"
        )
    assert raised.value.response["error"] == "file_not_found"


async def test_uploads_to_an_archived_channel_fail(fake: FakeSlack, client: ClientFactory) -> None:
    fake.archive("C0001")
    with pytest.raises(SlackApiError) as raised:
        await client().files_upload_v2(channel="C0001", content="x", filename="x.txt")
    assert raised.value.response["error"] == "is_archived"
    assert fake.files() == []
