"""The AIHC calls a simulator served, named alike whichever API version made them."""

from __future__ import annotations

from collections import Counter
from typing import Any

V1_NAMES = {
    "v2:DescribeResourcePools": "list_pools",
    "v2:DescribeResourcePool": "get_pool",
    "v2:DescribeQueues": "list_queues",
    "v2:DescribeQueue": "get_queue",
    "v2:DescribeJobs": "list_jobs",
    "v2:DescribeJob": "get_job",
    "v2:CreateJob": "create_job",
    "v2:DeleteJob": "delete_job",
    "v2:ModifyJob": "set_job_priority",
    "v2:StopJob": "stop_job",
    "v2:DescribeJobEvents": "job_events",
    "v2:DescribePodEvents": "pod_events",
    "v2:DescribeJobLogs": "pod_logs",
    "v2:DescribeJobMetrics": "job_metrics",
    "v2:DescribeJobNodes": "job_nodes",
    "v2:DescribeJobWebterminal": "web_terminal",
}
"""Each v2 action under the name of the v1 route that does the same (the simulator's names)."""


def calls(stats: dict[str, Any]) -> Counter[str]:
    """Return the calls per operation in a `/_sim/stats` answer, v2 actions under v1 names."""
    counted: Counter[str] = Counter()
    for name, count in stats["operations"].items():
        counted[V1_NAMES.get(name, name)] += int(count)
    return counted
