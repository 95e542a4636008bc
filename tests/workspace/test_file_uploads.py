"""The three steps of an external upload, checked as Slack checks them: sizes, alt text, sharing."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


async def test_an_image_with_alt_text_shows_in_the_channel(
    fake: FakeSlack, client: ClientFactory
) -> None:
    answer = await client().files_upload_v2(
        channel="C0001",
        content=PNG,
        filename="chart.png",
        title="GPU usage",
        alt_txt="Line chart of GPU usage per pod",
        initial_comment="GPU usage of job-1",
    )
    assert answer["file"]["alt_txt"] == "Line chart of GPU usage per pod"
    (stored,) = fake.files()
    assert stored.content == PNG
    (message,) = fake.messages("C0001")
    assert message.text == "GPU usage of job-1"
    (shown,) = message.files
    assert shown["alt_txt"] == "Line chart of GPU usage per pod"
    assert (shown["mimetype"], shown["filetype"], shown["size"]) == ("image/png", "png", len(PNG))


async def test_alt_text_over_a_thousand_characters_is_refused(
    fake: FakeSlack, client: ClientFactory
) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().files_getUploadURLExternal(filename="c.png", length=3, alt_txt="x" * 1001)
    assert raised.value.response["error"] == "alt_txt_too_large"


async def test_a_zero_length_is_a_missing_argument(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().files_getUploadURLExternal(filename="c.png", length=0)
    assert raised.value.response["error"] == "missing_argument"


@pytest.mark.parametrize("sent", [b"abc", b"abcdefgh"])
async def test_bytes_that_differ_from_the_announced_length_are_refused(
    fake: FakeSlack, client: ClientFactory, sent: bytes
) -> None:
    slack = client()
    announced = await slack.files_getUploadURLExternal(filename="a.bin", length=5)
    async with httpx.AsyncClient() as http:
        posted = await http.post(announced["upload_url"], content=sent)
    assert posted.status_code == 400
    with pytest.raises(SlackApiError) as raised:
        await slack.files_completeUploadExternal(
            files=[{"id": announced["file_id"], "title": "a"}], channel_id="C0001"
        )
    assert raised.value.response["error"] == "file_not_found"
    assert fake.files() == []
    assert fake.messages("C0001") == []
