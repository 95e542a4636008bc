"""The words on a chart, apart from the drawing so that callers need not import matplotlib."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineChartText:
    """The words on a chart, already in the reader's language (the caller's catalogue)."""

    title: str
    y_label: str
    x_label: str
    more_pods: str
    """A legend entry for the pods left out of the legend, with `{count}` to fill."""
    no_data: str
