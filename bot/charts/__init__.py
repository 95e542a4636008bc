"""Charts as PNG bytes: pure drawing from domain values, no I/O, no clock, no Slack.

Words come in from the caller, already in the reader's language; fonts are chosen here so that
Chinese labels render (a CJK font when one is installed) and nothing ever draws a tofu box.
Matplotlib is imported on the first chart, not when the bot starts: most processes never draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.charts.labels import LineChartText
from bot.domain import PodMetrics

if TYPE_CHECKING:
    from bot.charts.fonts import FontSet


# Not `fonts`: importing the submodule `bot.charts.fonts` would overwrite that name.
def chart_fonts() -> FontSet:
    """Return the fonts charts draw with (DejaVu Sans, then the CJK family installed)."""
    from bot.charts.fonts import font_set

    return font_set()


def pod_lines_png(
    pods: Sequence[PodMetrics],
    *,
    text: LineChartText,
    value_text: Callable[[float], str],
    floor_100: bool = False,
) -> bytes:
    """Draw one metric per pod over time as PNG bytes (see `bot.charts.lines`)."""
    from bot.charts.lines import pod_lines_png as draw

    return draw(pods, text=text, value_text=value_text, floor_100=floor_100)


__all__ = ["LineChartText", "chart_fonts", "pod_lines_png"]
