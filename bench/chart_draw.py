"""How long a metric chart takes to draw and how large its PNG is, at the bound of 64 pods.

Run by hand: `.venv/bin/python bench/chart_draw.py [--pods 64] [--points 360] [--rounds 10]`.

Draws `--pods` lines of `--points` samples (one every 10 s) `--rounds` times, in Chinese (the CJK
font in the fallback chain), twice: smooth series (GPU usage drifting as a training does) and
uniform noise (the worst case for the rasteriser and for PNG compression). Prints the median and
the slowest draw, the PNG size, and the peak RSS of this process. The first draw, which loads
matplotlib's fonts, is timed apart.
Target (issue 16): well under a second per chart; the PNG stays small (Slack shows it inline).
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta

from bot.charts import LineChartText, pod_lines_png
from bot.domain import MetricPoint, PodMetrics

START = datetime(2026, 5, 1, 11, 0, tzinfo=UTC)
TEXT = LineChartText(
    title="任务 llama2-70b-pretrain 的 GpuUsage（最近 1小时）",
    y_label="GpuUsage（%）",
    x_label="时间（UTC）",
    more_pods="… 另有 {count} 个 Pod",
    no_data="该时间段内没有数据。",
)


def series(pods: int, points: int, *, noisy: bool) -> list[PodMetrics]:
    """Build `pods` series of `points` samples, smooth or noisy."""
    rng = random.Random(7)
    out = []
    for i in range(pods):
        base = rng.uniform(60, 95)
        values = [
            rng.uniform(0, 100) if noisy else base + 4 * math.sin(j / 20 + i) + rng.uniform(-1, 1)
            for j in range(points)
        ]
        samples = tuple(
            MetricPoint(time=START + timedelta(seconds=10 * j), value=v)
            for j, v in enumerate(values)
        )
        out.append(PodMetrics(pod_name=f"llama2-70b-pretrain-worker-{i}", points=samples))
    return out


def percent(value: float) -> str:
    """Write a tick as a percentage."""
    return f"{value:.0f}%"


def run(pods: list[PodMetrics], rounds: int) -> tuple[list[float], int]:
    """Draw `rounds` times; return each draw's seconds and the PNG size."""
    seconds, size = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(pod_lines_png(pods, text=TEXT, value_text=percent, floor_100=True))
        seconds.append(time.perf_counter() - started)
    return seconds, size


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pods", type=int, default=64)
    parser.add_argument("--points", type=int, default=360)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    first, _ = run(series(2, 10, noisy=False), 1)
    print(f"first chart (fonts loaded): {first[0] * 1000:.0f} ms")
    for noisy in (False, True):
        seconds, size = run(series(args.pods, args.points, noisy=noisy), args.rounds)
        kind = "noise " if noisy else "smooth"
        print(
            f"{kind} {args.pods} pods x {args.points} points: median "
            f"{statistics.median(seconds) * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms, "
            f"PNG {size / 1024:.0f} KiB"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
