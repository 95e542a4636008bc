"""Forged requests, hostile input, failing dependencies: short answers, never a 5xx or traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text

from bot.workspace import Tamper, block_actions_payload
from tests.slack.harness import WANG, Stack
from tests.slack.test_read_commands import seen


@pytest.mark.parametrize("tamper", [Tamper.FORGED, Tamper.UNSIGNED, Tamper.STALE, Tamper.ALTERED])
async def test_forged_unsigned_and_stale_requests_get_401(stack: Stack, tamper: Tamper) -> None:
    url = stack.slack.response_url("forged")
    response = await stack.sender.slash_command(
        "pools", user_id="U0001", channel_id="C0001", response_url=url, tamper=tamper
    )
    assert response.status_code == 401
    assert stack.slack.responses("forged") == []
    assert stack.slack.calls_to("users.info") == []


async def test_the_command_is_acknowledged_before_the_work_is_done(stack: Stack) -> None:
    await stack.sim_control("PUT", "/_sim/faults", latency_ms=700)
    response, key = await stack.command("pools")
    assert response.status_code == 200
    # The HTTP answer came back while AIHC was still being asked: no answer posted yet.
    assert stack.slack.responses(key) == []
    answer = await stack.answer(key)
    assert "llm-a800-pool" in seen(answer)


async def test_an_aihc_error_is_a_short_message_with_code_and_request_id(stack: Stack) -> None:
    await stack.sim_control("PUT", "/_sim/faults", error_rate=1.0, error_status=403)
    answer = await stack.ask("pools")
    text_seen = seen(answer)
    assert answer.response_type == "ephemeral"
    assert "AIHC refused the request: Injected fault." in text_seen
    assert "code `InternalError`" in text_seen
    request_ids = [c for c in text_seen.split("`") if c.count("-") == 4]
    assert len(request_ids) == 1
    assert "Traceback" not in text_seen
    assert len(text_seen) < 300


async def test_aihc_unreachable_is_said_plainly(stack: Stack) -> None:
    await stack.sim_control("PUT", "/_sim/faults", drop_rate=1.0)
    answer = await stack.ask("jobs")
    assert seen(answer) == "AIHC did not answer in time; please try again in a minute."
    chinese = await stack.ask("jobs", user=WANG)
    assert "AIHC" in seen(chinese)
    assert "did not answer" not in seen(chinese)


async def test_an_unexpected_failure_shows_an_error_id_that_is_in_the_log(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(text("DROP TABLE channel_settings"))
    with caplog.at_level(logging.ERROR):
        answer = await stack.ask("jobs")
    failures = [r for r in caplog.records if r.getMessage() == "command failed"]
    assert len(failures) == 1
    error_id = failures[0].__dict__["error_id"]
    assert error_id in seen(answer)
    assert failures[0].exc_info is not None
    assert "Traceback" not in seen(answer)
    assert "channel_settings" not in seen(answer)


async def test_no_pool_known_says_how_to_name_one(tmp_path: Any) -> None:
    from tests.slack.harness import running_stack

    async with running_stack(tmp_path) as bare:
        answer = await bare.ask("jobs")
    text_seen = seen(answer)
    assert "--pool" in text_seen
    assert "config pool" in text_seen


async def test_the_channel_default_pool_is_used(stack: Stack) -> None:
    from datetime import UTC, datetime

    pool_id = next(p.id for p in await stack.runtime.aihc.all_pools() if p.name == "cv-h800-pool")
    async with stack.runtime.store.transaction() as uow:
        await uow.channels.set_default_pool(
            workspace_id="T0001",
            channel_id="C0001",
            pool_id=pool_id,
            by="U0001",
            now=datetime.now(UTC),
        )
    assert "resnet50-imagenet-1" in seen(await stack.ask("jobs"))


async def test_unknown_names_are_not_found(stack: Stack) -> None:
    assert "no-such-job" in seen(await stack.ask("job no-such-job"))
    assert "no-such-pool" in seen(await stack.ask("jobs --pool no-such-pool"))
    assert "worker-9" in seen(await stack.ask("logs llama2-7b-dpo-5 --pod worker-9"))


async def test_the_user_locale_is_asked_once(stack: Stack) -> None:
    for _ in range(3):
        await stack.ask("pools")
    assert len(stack.slack.calls_to("users.info")) == 1


async def test_more_pages_through_a_long_job_list(stack: Stack) -> None:
    await stack.sim_control(
        "POST",
        "/_sim/populate",
        pools=1,
        queues_per_pool=2,
        jobs=60,
        status_mix={"Running": 1.0},
    )
    pool = (await stack.runtime.aihc.all_pools())[0]
    first = await stack.ask(f"jobs --pool {pool.id}")
    assert "1–25" in seen(first) or "1-25" in seen(first)
    url = stack.slack.response_url("more", channel="C0001", user="U0001")
    payload = block_actions_payload("aihc.list.more", response_url=url, message=first.body)
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200
    second = await stack.answer("more")
    assert "26–50" in seen(second) or "26-50" in seen(second)


async def test_a_stale_or_forged_button_value_gets_a_notice(stack: Stack) -> None:
    url = stack.slack.response_url("stale", channel="C0001", user="U0001")
    message = {
        "blocks": [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "aihc.list.more",
                        "text": {"type": "plain_text", "text": "More"},
                        "value": '{"line": "' + "x" * 3000 + '"}',
                    }
                ],
            }
        ]
    }
    payload = block_actions_payload("aihc.list.more", response_url=url, message=message)
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200
    answer = await stack.answer("stale")
    assert "Traceback" not in seen(answer)
    assert seen(answer).strip()


async def test_metrics_expose_commands_and_aihc_calls(stack: Stack) -> None:
    import httpx

    await stack.ask("pools")
    await stack.ask("jbos")
    async with httpx.AsyncClient(base_url=stack.url) as http:
        metrics = (await http.get("/metrics")).text
        health = await http.get("/healthz")
        ready = await http.get("/readyz")
    assert 'aihc_bot_commands_total{command="pool.list",outcome="ok"} 1.0' in metrics
    assert 'aihc_bot_commands_total{command="unparsed",outcome="usage"} 1.0' in metrics
    assert 'aihc_bot_aihc_calls_total{operation="pool.list",status="200"}' in metrics
    assert health.status_code == 200
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok", "aihc": "ok"}


async def test_readiness_fails_when_aihc_fails(stack: Stack) -> None:
    import httpx

    await stack.sim_control("PUT", "/_sim/faults", error_rate=1.0, error_status=403)
    async with httpx.AsyncClient(base_url=stack.url, timeout=10) as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["database"] == "ok"
    assert ready.json()["aihc"].startswith("failed")


@pytest.mark.parametrize(
    "text", ["job show payload-encoder-1", "payload", "jobs --keyword payload"]
)
async def test_a_command_holding_the_word_payload_is_answered(stack: Stack, text: str) -> None:
    # Bolt takes any form body holding "payload" for an interaction and reads it as empty.
    answer = await stack.ask(text)
    assert seen(answer).strip()
    assert answer.response_type == "ephemeral"
