"""How many bytes of each operation's answer the client reads before it refuses the answer.

The caps are about ten times the largest answer the simulator gives for the biggest realistic
case (`bench/answer_sizes.py`: a page of 100 jobs with 4 KB commands and 50 variables each, a
64-replica job with its pods, six hours of per-minute metrics for 64 pods), so a real answer
never meets one, while a runaway or hostile one costs at most the cap in memory.
"""

from __future__ import annotations

from bot.domain.logtext import ANSWER_BYTES

MIB = 1 << 20

DEFAULT_CAP = 1 * MIB
"""The cap of an operation not listed below: a pool, a queue, a job's nodes, any write's answer."""

ANSWER_CAPS: dict[str, int] = {
    "job.list": 8 * MIB,  # a page of 100 large jobs: 1.0 MB
    "job.get": 8 * MIB,  # 64 replicas, their pods and annotations: 0.6 MB
    "job.metrics": 8 * MIB,  # 64 pods x 360 points: 0.9 MB (the bot asks 48 points)
    "job.events": 4 * MIB,  # a restarted 64-replica job: 30 KB
    "pod.events": 4 * MIB,
    "pod.logs": ANSWER_BYTES,  # fewer lines are asked for past it (`JobOperations.pod_logs`)
    "pool.list": 1 * MIB,  # 100 pools: about 60 KB
    "pool.nodes": 1 * MIB,  # 100 nodes: about 30 KB
    "queue.list": 1 * MIB,  # 100 queues: about 60 KB
}


def answer_cap(operation: str) -> int:
    """Return the most bytes of `operation`'s answer the client will read."""
    return ANSWER_CAPS.get(operation, DEFAULT_CAP)
