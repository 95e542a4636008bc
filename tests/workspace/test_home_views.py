"""`views.publish`: a member's App Home view, checked like a modal, kept per member."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory


def home(*texts: str) -> dict[str, object]:
    """Build a Home view of one section per text."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": t}} for t in texts]
    return {"type": "home", "blocks": blocks, "private_metadata": '{"page":0}'}


async def test_a_published_home_is_kept_per_member_and_replaced(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.add_user("U0002", "wang")
    slack = client()
    first = await slack.views_publish(user_id="U0001", view=home("one"))
    await slack.views_publish(user_id="U0002", view=home("theirs"))
    again = await slack.views_publish(user_id="U0001", view=home("two"), hash=first["view"]["hash"])
    assert again["view"]["id"] == first["view"]["id"]
    assert again["view"]["type"] == "home"
    mine, theirs = fake.home("U0001"), fake.home("U0002")
    assert mine is not None
    assert theirs is not None
    assert (mine.view["blocks"][0]["text"]["text"], mine.versions) == ("two", 2)
    assert theirs.view["blocks"][0]["text"]["text"] == "theirs"
    assert fake.views() == []  # a Home view is no modal


@pytest.mark.parametrize(
    ("user", "view", "error"),
    [
        ("U0001", {"type": "modal", "blocks": []}, "invalid_arguments"),
        ("U0001", home(*(f"line {i}" for i in range(101))), "invalid_blocks"),
        ("U0001", {**home("x"), "private_metadata": "m" * 3001}, "invalid_arguments"),
        ("U0001", home("x" * 3001), "invalid_blocks"),
        ("U9999", home("x"), "user_not_found"),
    ],
)
async def test_an_invalid_home_view_is_refused_and_nothing_is_kept(
    fake: FakeSlack, client: ClientFactory, user: str, view: dict[str, object], error: str
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await client().views_publish(user_id=user, view=view)
    assert refused.value.response["error"] == error
    assert fake.home(user) is None


async def test_publishing_with_a_stale_hash_conflicts(client: ClientFactory) -> None:
    slack = client()
    await slack.views_publish(user_id="U0001", view=home("one"))
    await slack.views_publish(user_id="U0001", view=home("two"))
    with pytest.raises(SlackApiError) as refused:
        await slack.views_publish(user_id="U0001", view=home("three"), hash="1.000001")
    assert refused.value.response["error"] == "hash_conflict"
