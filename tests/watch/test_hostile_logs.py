"""Hostile logs are cheap: a megabyte line and tqdm bars are cut, folded, matched in bounded work.

The hostile line repeats `NCCL node `: Python's backtracking `re` needs quadratic time for
`NCCL.*(timeout|timed out)` and `node.*NotReady` on it (16.7 s for 100 KB), which froze the bot.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from bot.domain import Event, Job, JobStatus, Pod, PodLogs
from bot.domain.logtext import ANSWER_BYTES, cap_line, hidden_bytes
from bot.insight.causes import BUILT_IN, Cause, Rule, likely_cause
from bot.insight.linear import LinearPattern
from bot.slack.render.notify import failure_blocks
from bot.store.tables import WatchedJobRow
from bot.watch.observe import observe
from bot.watch.payloads import FailurePayload
from tests.aihc.fake import FakeAihc
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, job_id, key_of, replies, settle, text_of

MEGABYTE_LINE = "NCCL node " * 100_000
TQDM_BAR = "\r".join(f"{p:3d}%|{'█' * (p // 10):<10}| {p // 2}/50" for p in range(0, 101, 10))
LAST_BAR = "100%|██████████| 50/50"
A_FEW_KB = 8 * 1024
A_FEW_HUNDRED_KB = 512 * 1024
JOB = "llama2-13b-pretrain-7"


class Counting:
    """A linear-time rule that counts the bytes it is asked to scan and never matches."""

    def __init__(self) -> None:
        self.scanned = 0
        self.threads: set[int] = set()

    def search(self, text: bytes) -> bool:
        """Count `text`, note the thread, match nothing."""
        self.scanned += len(text)
        self.threads.add(threading.get_ident())
        return False


def _counting_rule() -> tuple[Counting, Rule]:
    counting = Counting()
    return counting, Rule(counting, Cause("custom", "never"))


async def test_a_megabyte_line_enters_cut_with_a_marker_and_a_bar_as_its_last_state() -> None:
    fake = FakeAihc()
    chunks = ["epoch 1\n", MEGABYTE_LINE + "\n", TQDM_BAR + "\r\n", "\ud800 lone surrogate\n"]
    # Sent as AIHC would: JSON with the surrogate escaped, which `json.loads` lets through.
    body = json.dumps({"result": {"podName": "p", "logs": chunks}}).encode()
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1/pods/p/logs", httpx.Response(200, content=body))
    async with fake.client() as client:
        logs = await client.pod_logs("pool", "pytorchjob-1", "p")
    first, long, bar, odd = logs.lines
    assert first == "epoch 1"
    assert long.startswith("NCCL node NCCL")
    assert long.endswith(f"…({len(MEGABYTE_LINE.encode()) - len(long.split('…(')[0])} more bytes)")
    assert len(long.encode()) <= A_FEW_KB
    assert bar == LAST_BAR
    assert odd.encode()  # a lone surrogate from JSON no longer breaks encoding


def _log_server(lines: Sequence[str]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer log requests like AIHC: the newest `maxLines` lines (all when unset)."""

    def answer(request: httpx.Request) -> httpx.Response:
        wanted = int(request.url.params.get("maxLines", len(lines)))
        body = {"result": {"logs": [line + "\n" for line in lines[-wanted:]]}}
        return httpx.Response(200, content=json.dumps(body).encode())

    return answer


async def test_a_long_tail_keeps_its_newest_lines_within_a_few_hundred_kb() -> None:
    fake = FakeAihc()
    lines = [f"{i:04d} {MEGABYTE_LINE}" for i in range(200)]
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1/pods/p/logs", _log_server(lines))
    async with fake.client() as client:
        logs = await client.pod_logs("pool", "pytorchjob-1", "p", max_lines=200)
    assert sum(len(line.encode()) + 1 for line in logs.lines) <= A_FEW_HUNDRED_KB
    assert logs.lines[-1].startswith("0199 ")
    assert len(fake.requests) <= 4  # a 200 MB answer is left unread; fewer lines are asked for
    fake = FakeAihc()
    fake.on(
        "GET", "/api/v1/aijobs/pytorchjob-1/pods/p/logs", _log_server(["x" * (ANSWER_BYTES + 1)])
    )
    async with fake.client() as client:
        logs = await client.pod_logs("pool", "pytorchjob-1", "p")
    assert logs.lines == (f"…(a line of more than {ANSWER_BYTES} bytes, not fetched)",)


def test_matching_a_megabyte_line_scans_a_few_kb() -> None:
    counting, rule = _counting_rule()
    assert likely_cause([MEGABYTE_LINE], extra=[rule], builtin=()).key == "unknown"
    assert counting.scanned <= A_FEW_KB
    counting, rule = _counting_rule()
    likely_cause([MEGABYTE_LINE] * 200, extra=[rule], builtin=())
    assert counting.scanned <= A_FEW_HUNDRED_KB


def test_built_in_rules_run_on_re2_and_name_the_cause_after_hostile_lines() -> None:
    assert all(isinstance(rule.pattern, LinearPattern) for rule in BUILT_IN)
    hostile = [MEGABYTE_LINE, "A" * 1_000_000, TQDM_BAR]
    cases = {
        "RuntimeError: NCCL communicator was aborted: operation timed out": "nccl",
        "Warning: node gpu-7 NotReady": "eviction",
        "torch.OutOfMemoryError: CUDA out of memory.": "cuda_oom",
        "training finished": "unknown",
    }
    for line, key in cases.items():
        assert likely_cause([*hostile, line]).key == key, line


class _FailedJobAihc:
    """An AIHC client that knows one failed job whose log holds a hostile line."""

    def __init__(self, lines: Sequence[str]) -> None:
        pod = Pod(name="train-master-0", phase="Failed")
        self.job = Job(id="pytorchjob-1", pool_id="p", status=JobStatus.FAILED, pods=(pod,))
        self.lines = tuple(lines)

    async def find_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        return self.job

    async def job_events(self, *args: Any, **kwargs: Any) -> Sequence[Event]:
        return [
            Event(reason="BackOff", message="Back-off restarting failed container", type="Warning")
        ]

    async def pod_logs(self, *args: Any, **kwargs: Any) -> PodLogs:
        return PodLogs(lines=self.lines)


async def test_a_failed_jobs_cause_is_matched_in_a_thread_before_planning() -> None:
    aihc = _FailedJobAihc(["step 1", "torch.OutOfMemoryError: CUDA out of memory."])
    row = WatchedJobRow(pool_id="p", job_id="pytorchjob-1", last_status="Running", log_cursors={})
    counting, rule = _counting_rule()
    seen = await observe(aihc, row, follow_logs=False, tail_lines=20, rules=(rule,))  # type: ignore[arg-type]
    assert seen.cause is not None
    assert seen.cause.key == "cuda_oom"
    assert counting.scanned > 0
    assert threading.get_ident() not in counting.threads


async def test_a_followed_job_printing_a_megabyte_line_and_bars_shows_them_cut(
    stack: Stack,
) -> None:
    await stack.ask(f"subscribe {JOB} status,logs")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    path = f"/_sim/jobs/{job_id(stack, JOB)}/logs"
    await stack.sim_control("POST", path, lines=["before the bar", MEGABYTE_LINE, TQDM_BAR])
    [logs] = await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if key_of(r).startswith("log:")],
        what="the log reply",
    )
    shown = text_of(logs)
    assert "before the bar" in shown
    assert LAST_BAR in shown
    assert " 50%|█████" not in shown
    assert "more bytes)" in shown
    assert len(shown.encode()) < 64 * 1024
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=1)
    await stack.sim_control("POST", path, lines=[MEGABYTE_LINE])
    await stack.sim_control(
        "POST", f"/_sim/jobs/{job_id(stack, JOB)}/status", status="Failed", reason="cuda_oom"
    )
    [failure] = await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if "lower the batch size" in text_of(r)],
        what="the failure reply",
    )
    assert "CUDA out of memory" in text_of(failure)
    assert len(text_of(failure).encode()) < 64 * 1024


def test_a_failure_shows_its_newest_lines_each_cut_with_what_is_hidden() -> None:
    capped = cap_line(MEGABYTE_LINE)
    payload = {
        "job": {"id": "j1", "name": "train"},
        "old": "Running",
        "new": "Failed",
        "cause": {"key": "cuda_oom"},
        "pod": "train-master-0",
        "lines": [capped] * 6 + ["RuntimeError: the last line"],
    }
    blocks = failure_blocks(FailurePayload.model_validate(payload), lang="en")
    assert len(json.dumps(blocks).encode()) < 8 * 1024
    *cut, last = blocks[-1]["elements"][0]["elements"][0]["text"].split("\n")
    assert last == "RuntimeError: the last line"
    assert cut
    for line in cut:
        kept, hidden = hidden_bytes(line)
        assert len(line.encode()) <= 1000
        assert len(kept.encode()) + hidden == len(MEGABYTE_LINE.encode())
