"""Training jobs over AIHC API v2's actions: create, list, get, delete, priority, stop."""

from __future__ import annotations

from bot.aihc.v2.base import ActionsBase


class JobActions(ActionsBase):
    """CreateJob, DescribeJobs, DescribeJob, DeleteJob, ModifyJob, StopJob."""
