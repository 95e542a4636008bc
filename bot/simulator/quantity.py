"""Resource quantities in job requests: numbers, numeric strings, or memory with a unit."""

from __future__ import annotations

import math

from bot.domain import memory_gib

_MAX_TEXT = 64


def quantity_number(raw: object) -> float | int | None:
    """Return a quantity as a number (memory with a unit in GiB); None if it is no quantity.

    Baidu's aihc CLI 1.1.1 sends job memory as a string such as "16.0GB"
    (aihc_cli_py/job.py:55-59); numbers and numeric strings are taken as they are.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw >= 0 else None
    if isinstance(raw, float):
        return raw if math.isfinite(raw) and raw >= 0 else None
    if not isinstance(raw, str) or len(raw) > _MAX_TEXT:
        return None
    try:
        number = float(raw)
    except ValueError:
        return memory_gib(raw)
    return number if math.isfinite(number) and number >= 0 else None
