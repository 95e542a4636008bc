"""One simulator (serving v1 and v2) with a client of each version on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp.typedefs import Middleware

from bot.aihc.client import AihcClient
from bot.domain import ApiVersion, JobStatus
from bot.simulator.lifecycle import status_at
from bot.simulator.model import Job as SimJob
from tests.simulator.conftest import Sim, bot_client, running_sim


@dataclass
class Both:
    """One simulator, the v1 client and the v2 client on it."""

    sim: Sim
    v1: AihcClient
    v2: AihcClient

    def running(self) -> SimJob:
        """Return the first job of the world that runs now, with at least two pods."""
        simulator = self.sim.running.simulator
        now = simulator.now()
        return next(
            j
            for j in simulator.world.jobs.values()
            if status_at(j, now) is JobStatus.RUNNING and len(j.pod_names) > 1
        )

    async def faults(self, **settings: float) -> None:
        """Set the simulator's faults and reset its call counts."""
        assert (await self.sim.ctl.put("/_sim/faults", json=settings)).status_code == 200
        assert (await self.sim.ctl.post("/_sim/stats/reset", json={})).status_code == 200

    async def outcomes(self, operation: str) -> dict[str, int]:
        """Return the simulator's count of `operation`'s calls, by outcome."""
        stats: dict[str, Any] = (await self.sim.ctl.get("/_sim/stats")).json()
        counts: dict[str, int] = stats["by_operation"].get(operation, {})
        return counts

    def calls(self) -> dict[str, int]:
        """Return the calls the simulator has counted, by operation."""
        return dict(self.sim.running.simulator.stats.operations)

    def forget_calls(self) -> None:
        """Count calls from zero."""
        self.sim.running.simulator.stats.operations.clear()


@asynccontextmanager
async def both(outer: Sequence[Middleware] = (), **overrides: Any) -> AsyncIterator[Both]:
    """Serve a frozen-clock simulator (`config(**overrides)`, behind `outer` middlewares) with a
    client of each version on it."""
    async with (
        running_sim(outer, **overrides) as sim,
        bot_client(sim) as v1,
        bot_client(sim, ApiVersion.V2) as v2,
    ):
        yield Both(sim, v1, v2)
