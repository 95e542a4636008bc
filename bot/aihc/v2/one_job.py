"""What every v2 action about one job sends: the pool and queue in the query, `jobId` first."""

from __future__ import annotations

from typing import Any

from bot.aihc.retry import Safety
from bot.aihc.transport import Answer
from bot.aihc.v2.base import ActionsBase


class OneJobActions(ActionsBase):
    """Send actions about one job, which name its queue (`queueID`) and its id (`jobId`)."""

    async def _on_job(
        self,
        operation: str,
        action: str,
        pool_id: str,
        job_id: str,
        queue: str,
        extra: dict[str, Any] | None = None,
        *,
        safety: Safety = Safety.READ,
        max_bytes: int | None = None,
    ) -> Answer:
        """Send `action` about one job, `extra` beside `jobId` in the body (None left out)."""
        # Python: `queueID` required in the query, `jobId` in the body (job_client.py:105-106).
        return await self._job_action(
            operation,
            action,
            pool_id,
            self._queue_of(pool_id, queue),
            {"jobId": job_id, **(extra or {})},
            safety=safety,
            max_bytes=max_bytes,
        )
