"""Rank 0's training lines in three real styles: Megatron-LM, Hugging Face Trainer, DeepSpeed.

Each line is a pure function of the job and the step, so any tail can be computed on its own.
Shapes follow upstream: Megatron-LM `training_log`, transformers' `ProgressCallback` (a tqdm bar
on stderr redrawn with carriage returns, `str(logs)` dicts on stdout) and DeepSpeed's `log_dist`
step line with its `ThroughputTimer` line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.simulator.ids import unit_noise
from bot.simulator.model import Job
from bot.simulator.timefmt import log_time

MEGATRON, HF, DEEPSPEED = "megatron", "hf", "deepspeed"
STYLES = (MEGATRON, HF, DEEPSPEED)
STYLE_LABEL = "aihc-sim/log-style"
"""A job label that picks its log style; without it the image and command decide."""
MEGATRON_ITERS = 500_000
CHECKPOINT_EVERY = 200
_EVERY = {MEGATRON: 1, HF: 10, DEEPSPEED: 10}
_LINES = {MEGATRON: 1, HF: 2, DEEPSPEED: 3}
_HF_EPOCHS = 3
_BATCH = 64
_BLOCKS = " ▏▎▍▌▋▊▉█"
_HF_WORDS = ("transformers", "run_clm", "trainer", "accelerate", "huggingface", "llamafactory")
Timed = list[tuple[float, str]]


def style_of(job: Job) -> str:
    """Return how the job logs: its label, else what its image and command run."""
    label = job.labels.get(STYLE_LABEL, "").strip().lower()
    if label in STYLES:
        return label
    if job.log_style in STYLES:
        return job.log_style
    text = f"{job.image} {job.command}".lower()
    if "megatron" in text:
        return MEGATRON
    if "deepspeed" in text:
        return DEEPSPEED
    if any(word in text for word in _HF_WORDS):
        return HF
    return (HF, DEEPSPEED)[int(unit_noise(job.id, "log-style") * 2)]


@dataclass(frozen=True, slots=True)
class Run:
    """A job's training as its log shows it, worked out once per read."""

    job: Job
    style: str
    total: int
    """Steps the job trains for, fixed per job."""
    every: int
    """Steps between two reports (Megatron `--log-interval`, HF `logging_steps`)."""


def run_of(job: Job) -> Run:
    """Work out the job's log style, total steps and report interval."""
    style = style_of(job)
    total = MEGATRON_ITERS
    if style != MEGATRON:
        # Large enough that a job running for days does not pass its end (see `logs`).
        total = 1000 * (20 + int(unit_noise(job.id, "total-steps") * 181))
    return Run(job, style, total, _EVERY[style])


def steps_for_lines(run: Run, lines: int) -> int:
    """How many steps it takes to print at least `lines` progress lines."""
    return (lines // _LINES[run.style] + 1) * run.every


def loss_at(run: Run, step: int, noise: float) -> float:
    """The training loss at `step`: falling with `noise`, shaped like the style's usual run."""
    if run.style == MEGATRON:
        return 8.5 * math.exp(-step / 1500) + 2.05 + (noise - 0.5) * 0.08
    return 1.1 + 1.6 * math.exp(-step / 1200) + (noise - 0.5) * 0.12


def _stamp(at: float) -> str:
    """Python logging's `asctime`: `2025-06-15 15:06:40,123`."""
    moment = datetime.fromtimestamp(at, UTC)
    return f"{moment:%Y-%m-%d %H:%M:%S},{moment.microsecond // 1000:03d}"


def preamble(run: Run, at: float, world: int) -> list[str]:
    """What the training script prints before its first step."""
    style, total, ts = run.style, run.total, _stamp(at)
    if style == MEGATRON:
        return [
            f"using world size: {world}, data-parallel-size: {world}, "
            "tensor-model-parallel size: 1, pipeline-model-parallel size: 1",
            "using torch.float16 for parameters ...",
        ]
    if style == HF:
        info = [
            "***** Running training *****",
            f"  Num examples = {total * _BATCH // _HF_EPOCHS:,}",
            f"  Num Epochs = {_HF_EPOCHS:,}",
            f"  Instantaneous batch size per device = {max(1, _BATCH // world):,}",
            f"  Total train batch size (w. parallel, distributed & accumulation) = {_BATCH:,}",
            "  Gradient Accumulation steps = 1",
            f"  Total optimization steps = {total:,}",
            "  Number of trainable parameters = 6,738,415,616",
        ]
        return [f"[INFO|trainer.py:{2078 + i}] {ts} >> {line}" for i, line in enumerate(info)]
    return [
        f"[{ts}] [INFO] [real_accelerator.py:203:get_accelerator] Setting ds_accelerator to "
        "cuda (auto detect)",
        f"[{ts}] [INFO] [comm.py:637:init_distributed] cdb=None",
        f"[{ts}] [INFO] [config.py:988:print]   train_batch_size ............. {_BATCH}",
        "***** Running training *****",
        f"Beginning of Epoch 1/1, Total Micro Batches {total}",
    ]


def report(run: Run, step: int, at: float, since: float) -> Timed:
    """The lines printed at `step` (a multiple of `run.every`), with their moments."""
    if run.style == MEGATRON:
        return _megatron(run, step, at)
    if run.style == HF:
        return _hf(run, step, at, since)
    return _deepspeed(run, step, at)


def _millis(job: Job, noise: float) -> float:
    return job.step_seconds * 1000 * (0.97 + noise * 0.06)


def _megatron(run: Run, k: int, at: float) -> Timed:
    job, noise = run.job, unit_noise(run.job.id, k)
    line = (
        f" [{log_time(at)}] iteration {k:>8}/{MEGATRON_ITERS:>8} | consumed samples: "
        f"{k * 128:>12} | elapsed time per iteration (ms): {_millis(job, noise):.1f} | learning "
        f"rate: {3e-4 * min(1.0, k / 2000):.3E} | global batch size:   128 | lm loss: "
        f"{loss_at(run, k, noise):.6E} | loss scale: 16.0 | grad norm: {0.8 + noise:.3f} | "
        "number of skipped iterations:   0 | number of nan iterations:   0 | throughput "
        "(token/sec/GPU): "
        f"{3600 + noise * 500:.1f} |"
    )
    out = [(at, line)]
    if k % CHECKPOINT_EVERY == 0:
        path = f"/mnt/cluster/checkpoints/{job.name}"
        out.append((at + 0.5, f"saving checkpoint at iteration {k:>8} to {path}"))
        out.append((at + 0.9, f"  successfully saved checkpoint at iteration {k:>8} to {path}"))
    return out


def _interval(seconds: float) -> str:
    """tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` from an hour on."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def tqdm_bar(done: int, total: int, elapsed: float, seconds_per_step: float) -> str:
    """One tqdm redraw as `tqdm(total=...)` prints it without a terminal: a 10-cell bar."""
    fraction = done / total
    full, part = divmod(int(fraction * 10 * 8), 8)
    bar = _BLOCKS[-1] * full
    if full < 10:
        bar += _BLOCKS[part] + " " * (10 - full - 1)
    rate = (
        f"{seconds_per_step:5.2f}s/it"
        if seconds_per_step > 1
        else f"{1 / seconds_per_step:5.2f}it/s"
    )
    left = (total - done) * seconds_per_step
    return (
        f"{fraction * 100:3.0f}%|{bar}| {done}/{total} "
        f"[{_interval(elapsed)}<{_interval(left)}, {rate}]"
    )


def _hf(run: Run, k: int, at: float, since: float) -> Timed:
    job, total, every = run.job, run.total, run.every
    redraws = []
    for step in range(max(1, k - every + 1), k + 1):
        seconds = _millis(job, unit_noise(job.id, step)) / 1000
        moment = at - (k - step) * job.step_seconds
        redraws.append("\r" + tqdm_bar(step, total, max(0.0, moment - since), seconds))
    logs = {
        "loss": round(loss_at(run, k, unit_noise(job.id, k)), 4),
        "grad_norm": 0.35 + unit_noise(job.id, "grad", k) * 0.9,
        "learning_rate": 5e-05 * (1 - k / total),
        "epoch": round(_HF_EPOCHS * k / total, 2),
    }
    return [(at, "".join(redraws)), (at + 0.001, str(logs))]


def _deepspeed(run: Run, k: int, at: float) -> Timed:
    job, ts, noise = run.job, _stamp(at), unit_noise(run.job.id, k)
    lr = 1e-04 * (1 - k / run.total)
    current = _BATCH / (_millis(job, noise) / 1000)
    average = _BATCH / job.step_seconds
    return [
        (at, f"Epoch: 0, Step: {k}, Rank: 0, loss = {loss_at(run, k, noise):.4f}"),
        (
            at + 0.001,
            f"[{ts}] [INFO] [logging.py:96:log_dist] [Rank 0] step={k}, skipped=0, "
            f"lr=[{lr!r}, {lr!r}], mom=[(0.9, 0.95), (0.9, 0.95)]",
        ),
        (
            at + 0.002,
            f"[{ts}] [INFO] [timer.py:260:stop] epoch=0/micro_step={k}/global_step={k}, "
            f"RunningAvgSamplesPerSec={average!r}, CurrSamplesPerSec={current!r}, "
            "MemAllocated=7.79GB, MaxMemAllocated=10.55GB",
        ),
    ]


def finish(run: Run, step: int, seconds: float) -> list[str]:
    """What an HF or DeepSpeed run prints when its steps are done (Megatron: `failures.success`)."""
    if run.style == HF:
        summary = {
            "train_runtime": round(seconds, 4),
            "train_samples_per_second": round(step * _BATCH / max(seconds, 1.0), 3),
            "train_steps_per_second": round(step / max(seconds, 1.0), 3),
            "train_loss": round(loss_at(run, step, 0.5) + 0.4, 4),
            "epoch": round(_HF_EPOCHS * step / run.total, 2),
        }
        return [str(summary), "training finished, exiting."]
    return [f"saving the final model at step {step} ...", "training finished, exiting."]
