"""Queue memory quotas: GiB on AIHC's wire, bytes only where a value is unmistakably bytes."""

from __future__ import annotations

import pytest

from bot.domain import memory_gib
from bot.slack.render.fmt import quantity


@pytest.mark.parametrize(
    ("raw", "gib"),
    [
        ("10", 10.0),  # the document's queue detail example
        (16, 16.0),
        ("6.5", 6.5),
        ("1024", 1024.0),  # a TiB quota is still GiB, not a KiB of bytes
        ("573173870592", 573173870592 / 2**30),  # a number of 2**30 or more is bytes
        (2**30, 1.0),
        ("16.0GB", 16.0),  # the aihc CLI's way of writing it
        ("16Gi", 16.0),
        ("512Mi", 0.5),
        ("2Ti", 2048.0),
        ("1073741824B", 1.0),
    ],
)
def test_memory_quotas_read_as_gib(raw: object, gib: float) -> None:
    assert memory_gib(raw) == gib


@pytest.mark.parametrize("raw", ["", "lots", "-1", "1e400", "16 parsecs", "9" * 100, True, None])
def test_what_is_no_quantity_reads_as_none(raw: object) -> None:
    assert memory_gib(raw) is None


def test_the_queue_display_says_gib_for_gib_and_converts_bytes() -> None:
    assert quantity("memory", "10") == "10 GiB"
    assert quantity("memory", "1536") == "1.5 TiB"
    assert quantity("memory", "1099511627776") == "1 TiB"
    assert quantity("memory", "16.0GB") == "16 GiB"
    assert quantity("memory", "odd") == "odd"
    assert quantity("cpu", "2048") == "2,048"
