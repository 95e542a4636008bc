"""A page from another site, open in the same browser, can drive neither the page nor the simulator.

It may send what a browser sends without asking: a POST with a `text/plain` body and no custom
header (`fetch` with `mode: "no-cors"`, or a form). Both local servers refuse it. A JSON body or a
token header makes the browser ask first (a CORS preflight), which neither server grants.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.demo.run import Demo
from bot.web import start_web
from bot.workspace.ids import DEFAULT_TOKEN
from tests.browser.page import Page

ALICE = "U0001"
FORGED = "posted-by-another-site"
ELSEWHERE = (
    "<!doctype html><title>elsewhere</title>"
    "<body><script>document.body.dataset.ready = 'true'</script></body>"
)


@asynccontextmanager
async def another_site() -> AsyncIterator[str]:
    """Serve a page of another origin (another port) on loopback; yield its URL."""

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=ELSEWHERE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    runner, port = await start_web(app, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


def _attack(workspace: str, simulator: str, view_id: str) -> str:
    """Return JavaScript that tries every write it can; it says which fetches were let through."""
    close = json.dumps({"user": ALICE, "view_id": view_id})
    reset = json.dumps({"seed": 1, "scenario": "empty"})
    post_as_bot = f"token={DEFAULT_TOKEN}&channel=C0001&text={FORGED}"
    return f"""(async () => {{
      const simple = (url, body, type = "text/plain") => fetch(url, {{method: "POST",
        mode: "no-cors", headers: {{"Content-Type": type}}, body}});
      await simple({json.dumps(workspace + "workspace/view/close")}, {json.dumps(close)});
      await simple({json.dumps(simulator + "/_sim/reset")}, {json.dumps(reset)});
      await simple({json.dumps(workspace + "api/chat.postMessage")}, {json.dumps(post_as_bot)},
        "application/x-www-form-urlencoded");
      await fetch({json.dumps(simulator + "/_sim/stats/reset")}, {{method: "POST",
        mode: "no-cors"}});
      const asked = {{}};
      for (const [name, url, body] of [
        ["workspace", {json.dumps(workspace + "workspace/view/close")}, {json.dumps(close)}],
        ["simulator", {json.dumps(simulator + "/_sim/reset")}, {json.dumps(reset)}],
      ]) {{
        try {{
          await fetch(url, {{method: "POST", headers: {{"Content-Type": "application/json"}},
            body}});
          asked[name] = "let through";
        }} catch (refused) {{
          asked[name] = "refused";
        }}
      }}
      return asked;
    }})()"""


async def test_a_page_from_another_site_changes_nothing(page: Page, demo: Demo) -> None:
    await page.send("/aihc job create")
    await page.wait_for_text("New training job", "#modal")
    modal = demo.workspace.bridge.top_view(ALICE)
    assert modal is not None
    sim = demo.simulator.simulator
    world, stats = (sim.scenario, len(sim.world.jobs)), sim.stats

    async with another_site() as url:
        await page.open(url)
        asked = await page.js(_attack(demo.url, demo.simulator.url, modal.id))

    assert asked == {"workspace": "refused", "simulator": "refused"}
    assert demo.workspace.bridge.top_view(ALICE) is modal
    assert (sim.scenario, len(sim.world.jobs)) == world
    assert sim.stats is stats  # not reset
    assert all(FORGED not in m.text for m in demo.workspace.fake.messages("C0001"))
