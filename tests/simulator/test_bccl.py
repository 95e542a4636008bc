"""A job created with BCCL reports its injection in live shapes, and its card says so."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.aihc.client import AihcClient
from bot.domain import JobSpec
from bot.slack.render import job_card_blocks
from tests.simulator.conftest import Sim, bot_client, running_sim
from tests.slack.render.visible import shown


def _spec(name: str, *, bccl: bool) -> JobSpec:
    return JobSpec(
        name=name,
        image="registry.baidubce.com/aihc/train:1.0",
        command="python train.py",
        replicas=2,
        labels={"aihc-sim/outcome": "running"},
        enable_bccl=bccl,
    )


async def _create(sim: Sim, client: AihcClient, name: str, *, bccl: bool) -> tuple[str, str]:
    pool_id = (await sim.pools())["llm-a800-pool"]
    ref = await client.create_job(pool_id, _spec(name, bccl=bccl), client_token=name)
    return pool_id, ref.job_id


async def test_a_bccl_job_reports_injection_once_placed_and_its_card_shows_it() -> None:
    async with running_sim(shapes="live") as sim, bot_client(sim) as client:
        pool_id, job_id = await _create(sim, client, "bccl-on", bccl=True)
        _, plain_id = await _create(sim, client, "bccl-off", bccl=False)
        before = await client.get_job(pool_id, job_id)
        assert before.bccl_status == "unknown"
        await sim.advance(3600)
        job = await client.get_job(pool_id, job_id)
        assert (job.bccl_status, job.bccl_error) == ("success", "")
        plain = await client.get_job(pool_id, plain_id)
        assert plain.bccl_status == "unknown"
        now = datetime.now(UTC)
        assert "*BCCL*\ninjected" in shown(job_card_blocks(job, now=now, lang="en"))
        assert "BCCL" not in shown(job_card_blocks(plain, now=now, lang="en"))


async def test_document_shapes_carry_no_bccl_fields() -> None:
    # The v1 document's job examples have none of the three keys.
    async with running_sim(shapes="document") as sim, bot_client(sim) as client:
        pool_id, job_id = await _create(sim, client, "bccl-doc", bccl=True)
        await sim.advance(3600)
        raw = await sim.api.get(f"/api/v1/aijobs/{job_id}", params={"resourcePoolId": pool_id})
        assert not [key for key in raw.json()["result"] if "Bccl" in key]
        assert (await client.get_job(pool_id, job_id)).bccl_status == ""
