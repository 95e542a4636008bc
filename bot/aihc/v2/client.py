"""The AIHC v2 client: `AihcClient`'s interface and semantics, v2's requests and answers."""

from __future__ import annotations

from bot.aihc.client import AihcClient
from bot.aihc.v2.jobs import JobActions
from bot.aihc.v2.pods import PodActions
from bot.aihc.v2.pools import PoolActions


class AihcV2Client(PoolActions, JobActions, PodActions, AihcClient):
    """An async client of one AIHC endpoint speaking API v2.

    Each action group overrides the v1 client's requests and answer parsing; what does not
    depend on the wire (paging, merging a managed pool's queues, creating at most once, the
    retry semantics of delete and stop, the transport) is the v1 client's, shared.
    """
