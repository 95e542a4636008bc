"""A job's events, logs, metrics, nodes and terminal over AIHC API v2's actions."""

from __future__ import annotations

from bot.aihc.v2.base import ActionsBase


class PodActions(ActionsBase):
    """DescribeJobEvents, DescribePodEvents, DescribeJobLogs, DescribeJobMetrics,
    DescribeJobNodes, DescribeJobWebterminal."""
