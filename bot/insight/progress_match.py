"""Read one log line for progress: the built-in framework patterns and the user's, on RE2.

Every pattern runs on RE2 (`google-re2`), whose matching time is linear in the text whatever the
pattern, and only on a bounded window of the line (`visible`), so reading a line costs at most the
patterns times that window, whatever a job printed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.logtext import last_state
from bot.insight.linear import Capture, compile_capture

WINDOW_CHARS = 64 * 1024
"""Characters of a raw line looked at before its `\\r` redraws are folded."""
SCAN_CHARS = 4096
"""Characters of a line's last redraw that patterns see."""
MAX_NUMBER_CHARS = 40
"""Longest number text parsed; progress numbers are short, a longer one is not a reading."""

NUM = r"[-+]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][-+]?\d{1,3})?"
"""A decimal number as frameworks print them, scientific notation included."""


@dataclass(frozen=True)
class Reading:
    """What one line says about the training; `epoch` is set when `step` counts within it."""

    step: int | None = None
    total: int | None = None
    loss: float | None = None
    secs_per_step: float | None = None
    epoch: int | None = None


@dataclass(frozen=True)
class LinePattern:
    """A line shape: a cheap substring test, a pattern that must match, and optional fields."""

    name: str
    needle: str
    anchor: Capture
    fields: tuple[Capture, ...] = ()

    def read(self, text: str) -> Reading | None:
        """Return what `text` says when it has this shape, else None."""
        if self.needle and self.needle not in text:
            return None
        groups = self.anchor.groupdict(text)
        if groups is None:
            return None
        for field in self.fields:
            groups.update((k, v) for k, v in (field.groupdict(text) or {}).items() if v)
        return reading(groups)


def _pattern(name: str, needle: str, anchor: str, *fields: str) -> LinePattern:
    return LinePattern(
        name, needle, compile_capture(anchor), tuple(compile_capture(f) for f in fields)
    )


_S = r"\s{0,40}"
_RATE = rf"(?:(?P<steps_per_sec>{NUM})it/s|(?P<secs_per_step>{NUM})s/it)"  # tqdm flips below 1 it/s
_BAR = rf"\d{{1,3}}%\|[^|]{{0,400}}\|{_S}(?P<step>\d{{1,15}})/(?P<total>\d{{1,15}})"

BUILT_IN: tuple[LinePattern, ...] = (
    # Megatron-LM / AIAK `training_log`: ` iteration  16/  500000 | … | lm loss: 1.052E+01 |`.
    _pattern(
        "megatron",
        "iteration",
        rf"\biteration{_S}(?P<step>\d{{1,15}}){_S}/{_S}(?P<total>\d{{1,15}}){_S}\|",
        rf"elapsed time per iteration \(ms\):{_S}(?P<ms_per_step>{NUM})",
        rf"\|{_S}(?:lm )?loss:{_S}(?P<loss>{NUM})",
    ),
    # PyTorch Lightning's tqdm bar: `Epoch 3:  45%|████▌     | 450/1000 [01:23<01:42, 5.39it/s]`.
    _pattern(
        "lightning",
        "Epoch",
        rf"\bEpoch (?P<epoch>\d{{1,9}}):{_S}{_BAR}",
        rf"\[[^\]]{{0,60}},\s{{0,10}}{_RATE}",
        rf"[ ,](?:train_)?loss=(?P<loss>{NUM})",
    ),
    # Hugging Face Trainer / plain tqdm: ` 3%|▎         | 150/5000 [01:23<45:01,  1.79it/s]`.
    # Only a bar without a description or one named for training: `Map:`, `Downloading` and
    # `Validation` bars count something else.
    _pattern(
        "tqdm",
        "|",
        rf"^{_S}(?:[Tt]rain[^:|]{{0,40}}:{_S})?{_BAR}{_S}\[[^\]]{{0,60}},\s{{0,10}}{_RATE}",
    ),
    # Hugging Face Trainer's log dict; newer versions quote the values.
    _pattern("hf_log", "loss", rf"[{{,]\s{{0,5}}['\"]loss['\"]:\s{{0,5}}['\"]?(?P<loss>{NUM})"),
    # DeepSpeed engine `_report_progress` (via log_dist): `[Rank 0] step=100, skipped=0, lr=…`.
    _pattern(
        "deepspeed",
        "skipped=",
        r"\bstep=(?P<step>\d{1,15}),\s{0,5}skipped=\d{1,15}",
        rf"\bloss=(?P<loss>{NUM})",
    ),
    # DeepSpeed throughput timer: `epoch=0/micro_step=14000/global_step=14000, RunningAvg…`.
    _pattern(
        "deepspeed_timer", "global_step=", r"micro_step=\d{1,15}/global_step=(?P<step>\d{1,15})"
    ),
    # DeepSpeed pipeline engine: `steps: 100 loss: 2.3456 iter time (s): 0.512 samples/sec: …`.
    _pattern(
        "deepspeed_pipe",
        "steps:",
        rf"\bsteps:{_S}(?P<step>\d{{1,15}}){_S}loss:{_S}(?P<loss>{NUM})",
        rf"iter time \(s\):{_S}(?P<secs_per_step>{NUM})",
    ),
)


def visible(line: str) -> str:
    """Return the bounded part of `line` patterns look at: the end of its last `\\r` redraw.

    A tqdm bar redraws itself with `\\r` thousands of times on one line, and a line may be
    megabytes: only its last window is folded, and only the end of the last redraw is scanned,
    since that is where a redraw's numbers are and what a terminal would show.
    """
    return last_state(line[-WINDOW_CHARS:])[-SCAN_CHARS:]


def read_line(line: str, rules: Sequence[LinePattern] = ()) -> Reading | None:
    """Return what the first pattern (the user's, then ours) that fits `line` says, or None."""
    return read_visible(visible(line), rules)


def read_visible(text: str, rules: Sequence[LinePattern] = ()) -> Reading | None:
    """Read a text `visible` already bounded: the user's patterns first, then ours."""
    for pattern in (*rules, *BUILT_IN):
        found = pattern.read(text)
        if found is not None:
            return found
    return None


def reading(groups: Mapping[str, str | None]) -> Reading | None:
    """Turn named groups into a reading; None unless a valid step or loss is among them."""
    step, total = _count(groups.get("step")), _count(groups.get("total"))
    loss = _real(groups.get("loss"))
    if step is None and loss is None:
        return None
    return Reading(
        step=step,
        total=total if step is not None and total else None,
        loss=loss,
        secs_per_step=_pace(groups),
        epoch=_count(groups.get("epoch")) if step is not None else None,
    )


def _pace(groups: Mapping[str, str | None]) -> float | None:
    secs = _real(groups.get("secs_per_step"))
    if secs is None and (ms := _real(groups.get("ms_per_step"))) is not None:
        secs = ms / 1000
    if secs is None and (rate := _real(groups.get("steps_per_sec"))):
        secs = 1 / rate
    return secs if secs is not None and 0 < secs < math.inf else None


def _count(text: str | None) -> int | None:
    if not text or len(text) > 15 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _real(text: str | None) -> float | None:
    if not text or len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
