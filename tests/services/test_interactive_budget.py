"""A command gives up within the interactive deadline when AIHC hangs: nobody waits minutes."""

from __future__ import annotations

from pathlib import Path

from tests.slack.harness import running_stack
from tests.slack.test_read_commands import seen

# Each AIHC call hangs this long, then fails: longer than the interactive deadline (10 s).
HANG_MS = 12_000
# Four attempts of HANG_MS used to keep a person waiting about 50 s; this bound is a backstop.
BACKSTOP_SECONDS = 30.0


async def test_a_command_gives_up_within_the_deadline_when_aihc_hangs(tmp_path: Path) -> None:
    async with running_stack(tmp_path, aihc_default_pool="llm-a800-pool") as stack:
        faults = {"error_rate": 1.0, "error_status": 503, "latency_ms": HANG_MS}
        await stack.sim_control("PUT", "/_sim/faults", **faults)
        await stack.sim_control("POST", "/_sim/stats/reset")
        response, key = await stack.command("pools")
        assert response.status_code == 200
        posts = await stack.slack.wait_for(
            lambda: stack.slack.responses(key), timeout=BACKSTOP_SECONDS, what="the answer"
        )
        assert seen(posts[0]) == "AIHC did not answer in time; please try again in a minute."
        # Given up while AIHC was still on its first attempt: it has not answered a single one.
        stats = await stack.sim_control("GET", "/_sim/stats")
        assert stats["statuses"] == {}
