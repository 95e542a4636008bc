"""How long one job-list page takes from the simulator holding 50,000 jobs in 20 pools.

Run by hand: `.venv/bin/python bench/simulator_list_page.py [--requests 400]`. The figure it prints
goes in the README (target: under 50 ms per page of 100 jobs). Server and client share one process
and one event loop, so the time includes signing, HTTP on loopback and JSON parsing on both ends.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time

import httpx
from pydantic import SecretStr

from bot.aihc.signer import BceAuth
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve


async def measure(requests: int, page_size: int) -> list[float]:
    """Populate 50,000 jobs, then time `requests` random list pages; return milliseconds."""
    config = SimConfig(seed=1, clock_speed=0.0, start=1_750_000_000.0)
    async with serve(config) as running:
        auth = BceAuth(DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY))
        async with (
            httpx.AsyncClient(base_url=running.url, auth=auth, timeout=60) as client,
            running.control_client(timeout=60) as control,
        ):
            populated = await control.post("/_sim/populate", json={"pools": 20, "jobs": 50_000})
            pools = populated.json()["pools"]
            rng = random.Random(1)
            timings: list[float] = []
            for _ in range(requests):
                params = {
                    "resourcePoolId": rng.choice(pools),
                    "pageSize": page_size,
                    "pageNo": rng.randint(1, 2_500 // page_size),
                    "order": rng.choice(["desc", "asc"]),
                }
                started = time.perf_counter()
                response = await client.get("/api/v1/aijobs", params=params)
                response.json()
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    return timings


def main() -> None:
    """Print p50, p95 and max list-page latency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    timings = sorted(asyncio.run(measure(args.requests, args.page_size)))
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"list page ({args.page_size} jobs) at 50,000 jobs / 20 pools over {len(timings)} "
        f"requests: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
