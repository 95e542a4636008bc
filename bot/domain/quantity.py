"""Reading queue memory quotas, whose unit AIHC does not say, as GiB.

AIHC's v1 queue quotas count memory in GiB: the document's create and update examples send
`memory` 20/10/6 and its detail example reads back `"10"`, and the v2 API names the field
`memoryGi` (Baidu's Go SDK, services/aihc/v2/api). Requests send GiB. A value read back is taken
as bytes only where that is unmistakable:

- a plain number of at least 2**30 is bytes (2**30 GiB would be an exbibyte of one queue);
- a number with a unit says its own: `Ki`, `Mi`, `Gi`, `Ti`, `Pi` (Kubernetes, binary), `B`
  (bytes); `K`/`KB`, `M`/`MB`, `G`/`GB`, `T`/`TB`, `P`/`PB` are read as the binary units too,
  because Baidu writes "GB" for the unit its API counts in (the aihc CLI 1.1.1 sends job memory as
  `"16GB"`, aihc_cli_py/job.py:55-59, and documents it as 单位GB,
  aihc_cli_py/create_job_request.py:199-201);
- any other plain number is GiB.
"""

from __future__ import annotations

import math
import re

GIB = 2**30
_MAX_TEXT = 64
# Linear: one run of digits, an optional fraction, an optional run of letters.
_QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]{0,2})")
_GIB_PER_UNIT = {
    "B": 1 / GIB,
    "K": 2.0**-20,
    "M": 2.0**-10,
    "G": 1.0,
    "T": 2.0**10,
    "P": 2.0**20,
}


def memory_gib(raw: object) -> float | None:
    """Return a queue memory quota in GiB (see the module's rule); None if it is no quantity."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number, unit = float(raw), ""
    elif isinstance(raw, str) and len(raw) <= _MAX_TEXT:
        match = _QUANTITY.fullmatch(raw.strip())
        if match is None:
            return None
        number, unit = float(match.group(1)), match.group(2).upper()
    else:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    if not unit:
        return number / GIB if number >= GIB else number
    if unit.endswith(("I", "B")) and len(unit) == 2:
        unit = unit[0]  # Gi, GB → G
    factor = _GIB_PER_UNIT.get(unit)
    return None if factor is None else number * factor
