"""What every v2 operation group needs: the two request kinds of AIHC API v2.

Baidu's Python SDK 0.9.79 (bce-python-sdk, baidubce/services/aihc/base/aihc_base_client.py):
- pool and queue actions are `GET /?action=<Name>&...` with the header `version: v2`
  (:163-170), every parameter in the query;
- job actions are `POST /?action=<Name>&resourcePoolId=..&queueID=..` with the header
  `X-API-Version: v2` (:121-128), everything else in a JSON body.
Neither header is signed (Baidu signs `host` alone for pool actions, `resource_pool_sign`, and
its default set for job actions, baidubce/auth/bce_v1_signer.py:30-46); ours sign `host` and
`x-bce-date`, which the service checks the same way. Answers have no `result` wrapper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from bot.aihc.errors import AihcError
from bot.aihc.operations import OperationsBase
from bot.aihc.retry import Safety
from bot.aihc.transport import Answer
from bot.aihc.v2.answers import fields
from bot.domain import ApiVersion

Query = Sequence[tuple[str, str | int | None]]

_POOL_HEADERS = {"version": "v2"}
_JOB_HEADERS = {"X-API-Version": "v2"}


class ActionsBase(OperationsBase):
    """Send v2 actions; every job action names the job's queue (`queueID`)."""

    api_version: ClassVar[ApiVersion] = ApiVersion.V2
    _fields = staticmethod(fields)

    def needs_queue(self, pool_id: str) -> bool:
        """Say whether a call about one job must name its queue: always, in v2.

        Python's job actions take `queueID` as a required query parameter in every pool, the
        queue's name in a self-operated one (modules/job/job_client.py:105).
        """
        return True

    async def _pool_action(
        self, operation: str, action: str, query: Query = (), *, max_bytes: int | None = None
    ) -> Answer:
        """Send a pool or queue action: GET, every parameter in the query."""
        return await self._transport.send(
            operation,
            "GET",
            "/",
            params=[("action", action), *query],
            headers=_POOL_HEADERS,
            max_bytes=max_bytes,
        )

    async def _job_action(
        self,
        operation: str,
        action: str,
        pool_id: str,
        queue: str | None,
        body: dict[str, Any],
        *,
        safety: Safety = Safety.READ,
        max_bytes: int | None = None,
    ) -> Answer:
        """Send a job action: POST, the pool and queue in the query, the rest in the body.

        Reads are POSTs too in v2; `safety` says what a retry may risk, not the method.
        """
        return await self._transport.send(
            operation,
            "POST",
            "/",
            params=[("action", action), ("resourcePoolId", pool_id), ("queueID", queue)],
            body={key: value for key, value in body.items() if value is not None},
            headers=_JOB_HEADERS,
            safety=safety,
            max_bytes=max_bytes,
        )

    @staticmethod
    def _queue_of(pool_id: str, queue: str) -> str:
        """Return the queue a call about one job names, or raise when it is not known."""
        if not queue:
            raise AihcError(
                f"a job in pool {pool_id} is reached through its queue, which is not known"
            )
        return queue
