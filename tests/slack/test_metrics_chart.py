"""`metrics <job> --chart`: a PNG of the metric per pod beside the sparklines, with alt text."""

from __future__ import annotations

import struct

from bot.charts.lines import HEIGHT_PX, WIDTH_PX
from bot.slack.ids import ActionId
from bot.workspace.model import StoredFile
from tests.slack.actions_kit import answers, buttons, card, click
from tests.slack.harness import WANG, Stack
from tests.slack.test_read_commands import FAILED_JOB, RUNNING_JOB, seen

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(content: bytes) -> tuple[int, int]:
    """Return a PNG's width and height from its IHDR chunk, after checking the signature."""
    assert content[:8] == PNG_SIGNATURE
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def _chart(stack: Stack) -> StoredFile:
    files = await stack.slack.wait_for(stack.slack.files, timeout=15, what="the chart")
    (chart,) = files
    return chart


async def _a_running_half_hour(stack: Stack) -> None:
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=1800)


async def test_a_shared_chart_arrives_in_the_channel_with_alt_text(stack: Stack) -> None:
    await _a_running_half_hour(stack)
    answer = await stack.ask(f"metrics {RUNNING_JOB} --chart --share --since 30m")
    assert answer.response_type == "in_channel"
    assert any(ch in seen(answer) for ch in "▁▂▃▄▅▆▇█")
    assert "The chart is posted in this channel." in seen(answer)
    chart = await _chart(stack)
    assert chart.channel == "C0001"
    assert chart.filename.endswith("-GpuUsage.png")
    assert png_size(chart.content) == (WIDTH_PX, HEIGHT_PX)
    assert chart.alt_text is not None
    assert f"Line chart of GpuUsage for job {RUNNING_JOB} over the last 30m" in chart.alt_text
    (message,) = [m for m in stack.slack.messages("C0001") if m.files]
    assert message.files[0]["alt_txt"] == chart.alt_text
    assert message.files[0]["mimetype"] == "image/png"
    assert RUNNING_JOB in message.text


async def test_a_private_chart_goes_to_direct_messages_and_says_so(stack: Stack) -> None:
    await _a_running_half_hour(stack)
    answer = await stack.ask(f"metrics {RUNNING_JOB} --chart --type GpuMemoryUsage")
    assert answer.response_type == "ephemeral"
    assert "The chart is in your direct messages with the bot." in seen(answer)
    chart = await _chart(stack)
    assert chart.channel is not None
    assert chart.channel.startswith("D")
    assert chart.filename.endswith("-GpuMemoryUsage.png")
    assert [m for m in stack.slack.messages("C0001") if m.files] == []


async def test_a_chinese_reader_gets_chinese_alt_text(stack: Stack) -> None:
    await _a_running_half_hour(stack)
    answer = await stack.ask(f"metrics {RUNNING_JOB} --chart --share", user=WANG)
    assert "图表已发到本频道。" in seen(answer)
    chart = await _chart(stack)
    assert chart.alt_text is not None
    assert "折线图" in chart.alt_text
    assert png_size(chart.content) == (WIDTH_PX, HEIGHT_PX)


async def test_without_a_chart_flag_no_file_is_sent(stack: Stack) -> None:
    await _a_running_half_hour(stack)
    answer = await stack.ask(f"metrics {RUNNING_JOB} --share")
    assert "chart" not in seen(answer)
    assert stack.slack.calls_to("files.getUploadURLExternal") == []


async def test_an_unknown_job_gets_one_line_and_no_file(stack: Stack) -> None:
    answer = await stack.ask("metrics no-such-job --chart")
    assert "no-such-job" in seen(answer)
    assert len(seen(answer).splitlines()) == 1
    assert stack.slack.calls_to("files.getUploadURLExternal") == []


async def test_a_job_without_metrics_says_so_and_sends_no_file(stack: Stack) -> None:
    answer = await stack.ask(f"metrics {FAILED_JOB} --chart --since 1m")
    assert "No data for this period." in seen(answer)
    assert "chart" not in seen(answer)
    assert stack.slack.calls_to("files.getUploadURLExternal") == []


async def test_the_chart_button_of_a_running_card_sends_the_chart_to_the_clicker(
    stack: Stack,
) -> None:
    await _a_running_half_hour(stack)
    running = await card(stack, RUNNING_JOB, user=WANG)
    assert ActionId.SHOW_CHART.value in buttons(running.blocks)
    key = await click(stack, ActionId.SHOW_CHART, running, user=WANG)
    [answer] = await answers(stack, key)
    assert "图表已通过私信发给你" in seen(answer)
    chart = await _chart(stack)
    assert chart.channel is not None
    assert chart.channel.startswith("D")
    assert chart.filename.endswith("-GpuUsage.png")
    assert png_size(chart.content) == (WIDTH_PX, HEIGHT_PX)


async def test_only_a_running_job_has_a_chart_button(stack: Stack) -> None:
    failed = await card(stack, FAILED_JOB)
    assert ActionId.SHOW_CHART.value not in buttons(failed.blocks)
    assert ActionId.SHOW_LOGS.value in buttons(failed.blocks)
