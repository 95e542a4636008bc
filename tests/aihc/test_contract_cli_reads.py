"""Contract: Baidu's own `aihc` CLI 1.1.1 reads what our simulator serves.

Each read command the CLI has (`pool`, `queue` and `job` list and get, `logs`) runs for real,
through its `main` entry, its argument parser, its bce-auth-v1 signer and `requests`, against the
simulator on loopback. Only its config file moves: to the test's directory, naming the simulator
and its keys. Each command must succeed and print the world's own values: if Baidu's parser could
not read an answer of ours, the live service answers differently from our simulator.
"""

from __future__ import annotations

import asyncio
import configparser
import io
import os
import sys
from collections.abc import AsyncIterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from aihc_cli_py import aihc_argumentparser, configure, job, resourcepool, resourcepool_queue
from aihc_cli_py import runner as cli

from bot.domain import JobStatus
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, serve
from bot.simulator.lifecycle import status_at
from bot.simulator.model import Job
from tests.shapes import suite_shapes
from tests.simulator.conftest import config, signed

ROOT_QUEUE = "63a9f0ea7bb98050796b649e85481845"  # the CLI hides it (resourcepool_queue.py:57)


@dataclass
class BaiduCli:
    """The CLI pointed at a running simulator."""

    running: Running
    argv: list[str]

    async def run(self, *args: str) -> str:
        """Run `aihc ARGS` in a thread (the CLI blocks; the simulator serves on this loop)."""
        return await asyncio.to_thread(self._run, list(args))

    def _run(self, args: list[str]) -> str:
        out = io.StringIO()
        self.argv[:] = ["aihc", *args]
        with redirect_stdout(out):
            cli.main()
        return out.getvalue()

    def now(self) -> float:
        """Read the simulated clock (frozen for the test)."""
        return self.running.simulator.now()

    def pool_jobs(self, pool_id: str) -> list[Job]:
        """Return the world's jobs of one pool."""
        return [j for j in self.running.simulator.world.jobs.values() if j.pool_id == pool_id]


@pytest.fixture
async def baidu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BaiduCli]:
    """Baidu's CLI configured for a simulator of the demo world, in this suite's shapes."""
    for name in [n for n in os.environ if n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)  # loopback, never through a proxy
    monkeypatch.setenv("HOME", str(tmp_path))  # requests reads ~/.netrc; keep it the test's
    argv: list[str] = []
    monkeypatch.setattr(sys, "argv", argv)
    async with serve(config()) as running:
        settings = configparser.ConfigParser()
        # The CLI builds `http://{host}/api/v1/...` (resourcepool.py:42): host is host:port.
        settings["default"] = {
            "access_id": DEFAULT_ACCESS_KEY,
            "access_key": DEFAULT_SECRET_KEY,
            "host": running.url.removeprefix("http://"),
        }
        path = tmp_path / ".aihc" / "config"
        path.parent.mkdir()
        with path.open("w") as handle:
            settings.write(handle)
        # Each module imported the path `~/.aihc/config` by name when it loaded.
        for module in (aihc_argumentparser, configure, resourcepool, resourcepool_queue, job):
            monkeypatch.setattr(module, "config_file", path)
        yield BaiduCli(running, argv)


def _pools(baidu: BaiduCli) -> list[tuple[str, str]]:
    return [(p.id, p.name) for p in baidu.running.simulator.world.pools.values()]


async def test_pool_list_and_get_show_every_pool(baidu: BaiduCli) -> None:
    listed = await baidu.run("pool", "list")
    world = baidu.running.simulator.world
    for pool in world.pools.values():
        row = next(line for line in listed.splitlines() if pool.id in line)
        assert pool.name in row
        assert pool.phase in row
        shown = await baidu.run("pool", "get", pool.name)
        assert pool.id in shown
        assert pool.pfs_id in shown
        assert str(sum(n.gpu_total for n in pool.nodes)) in shown


async def test_queue_list_and_get_show_each_pools_queues(baidu: BaiduCli) -> None:
    world = baidu.running.simulator.world
    for pool_id, pool_name in _pools(baidu):
        listed = await baidu.run("queue", "list", "--pool", pool_name)
        queues = [q for q in world.queues[pool_id].values() if q.name != ROOT_QUEUE]
        assert queues
        for queue in queues:
            assert queue.name in listed
            shown = await baidu.run("queue", "get", queue.name, "--pool", pool_name)
            assert queue.name in shown
            assert queue.description in shown
            gpus = sum(int(v) for k, v in queue.deserved.items() if "gpu" in k)
            assert f"/{gpus}" in shown  # ALLOCATED/TOTAL, the total from `deserved`


async def test_job_list_shows_each_jobs_id_and_status(baidu: BaiduCli) -> None:
    now = baidu.now()
    for pool_id, pool_name in _pools(baidu):
        listed = await baidu.run("job", "list", "--pool", pool_name)
        jobs = baidu.pool_jobs(pool_id)
        assert jobs
        for each in jobs:
            row = next(line for line in listed.splitlines() if each.id in line)
            assert each.name in row
            assert f" {status_at(each, now).value} " in row
            assert each.queue in row


async def test_job_get_shows_the_jobs_status_and_workers(baidu: BaiduCli) -> None:
    now = baidu.now()
    [(pool_id, pool_name), *_] = _pools(baidu)
    for each in baidu.pool_jobs(pool_id):
        shown = await baidu.run("job", "get", each.name, "--pool", pool_name)
        assert each.name in shown
        assert f" {status_at(each, now).value} " in shown
        assert f"/{len(each.pod_names)} " in shown  # WORKERS (READY/TOTAL)


async def test_job_get_pods_lists_every_pod(baidu: BaiduCli) -> None:
    [(pool_id, pool_name), *_] = _pools(baidu)
    each = baidu.pool_jobs(pool_id)[0]
    argv = ("job", "get", each.name, "--pool", pool_name, "--pods", "yes")
    if suite_shapes() == "document":
        # The CLI reads every pod's `finishedAt` (job.py:334); the v1 document's pod example has
        # none (only the job has one), so the live service must send it. Live shapes do.
        with pytest.raises(KeyError, match="finishedAt"):
            await baidu.run(*argv)
        return
    shown = await baidu.run(*argv)
    for name in each.pod_names:
        assert name in shown


async def test_logs_print_each_pods_latest_lines(baidu: BaiduCli) -> None:
    now = baidu.now()
    [(pool_id, pool_name), *_] = _pools(baidu)
    running = [j for j in baidu.pool_jobs(pool_id) if status_at(j, now) is JobStatus.RUNNING]
    each = running[0]
    # `logs` catches its own failures and prints them (job.py:422-423): read what it printed.
    shown = await baidu.run("logs", each.name, "--pool", pool_name, "--tail", "3")
    assert "Failed" not in shown
    async with signed(baidu.running.url) as api:
        for pod in each.pod_names:
            answer = await api.get(
                f"/api/v1/aijobs/{each.id}/pods/{pod}/logs",
                params={"resourcePoolId": pool_id, "maxLines": 3},
            )
            lines = answer.json()["result"]["logs"]
            assert lines
            assert f"{pod}:\n{lines}" in shown  # the CLI prints the list as Python shows it
    one = await baidu.run("logs", each.name, "--pool", pool_name, "--podname", each.pod_names[0])
    assert one.startswith(f"{each.pod_names[0]}: \n")
