"""Thousands of hostile requests, signed, through `aihc-bot serve` in HTTP mode.

Each one must be answered below 500 and acknowledged within Slack's 3 seconds (Slack gives up
then and shows the person an error), and nothing a person sees may carry a traceback. An error
logged with a traceback must carry an error id that the person was shown. Afterwards the bot
still answers `/aihc pools`. The cases come from one seed, so a failure reproduces; the failures
are listed with their input.
"""

from __future__ import annotations

import asyncio
import json
import re
import sysconfig
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

import bot
from bot.simulator import Running
from bot.workspace import FakeSlack, SlackSender
from tests.serving import SIGNING_SECRET, BotProcess, Bots, serve_env
from tests.slack.fuzz_cases import Case, CaseMaker, Names

SEED = 20261130
CASES = 5_000
CONCURRENCY = 12
ACK_SECONDS = 3.0
# How long the client waits for an answer at all; Slack itself waits ACK_SECONDS.
PATIENCE = 30.0
ADMIN, WANG = "U0009", "U0002"
# A frame of the bot's own traceback: its code, the libraries or the standard library (quotes
# maybe JSON-escaped). A training job's traceback in a log tail the bot shows is the job's own.
_ROOTS = (Path(bot.__file__).parent, *sorted({Path(p) for p in sysconfig.get_paths().values()}))
TRACEBACK = re.compile(
    r'File \\?"(?:' + "|".join(re.escape(str(root)) for root in _ROOTS) + r')[^"\\]*\\?", line \d+'
)
MAX_PROBLEMS = 25


@dataclass
class Outcome:
    """How the bot answered one case over HTTP."""

    case: Case
    status: int
    seconds: float
    body: str


def names_of(sim: Running) -> Names:
    """Return the names and ids of the simulator's demo world, and the users who act."""
    world = sim.simulator.world
    return Names(
        pools=[p.name for p in world.pools.values()],
        pool_ids=list(world.pools),
        queues=sorted({q for queues in world.queues.values() for q in queues}),
        jobs=[j.name for j in world.jobs.values()],
        job_ids=list(world.jobs),
        users=["U0001", WANG, ADMIN, "U0404"],
    )


async def send(sender: SlackSender, slack: FakeSlack, case: Case) -> Outcome:
    """Send one case with its own response_url; time the HTTP answer (the ack)."""
    url = slack.response_url(f"F{case.number:05d}", user=case.user)
    started = time.perf_counter()
    try:
        if case.kind == "command":
            response = await sender.slash_command(case.text, user_id=case.user, response_url=url)
        elif case.kind == "block_actions":
            response = await sender.block_actions({**case.payload, "response_url": url})
        else:
            response = await sender.view_submission(case.payload)
    except httpx.HTTPError as error:
        # No answer at all (the bot stalled past the client's patience): Slack saw a failure.
        return Outcome(case, 0, time.perf_counter() - started, type(error).__name__)
    return Outcome(case, response.status_code, time.perf_counter() - started, response.text)


def http_problem(outcome: Outcome) -> str | None:
    """Return what is wrong with one HTTP answer as Slack sees it, or None."""
    if not 0 < outcome.status < 500:
        return f"{outcome.case.describe()}: HTTP {outcome.status or outcome.body}"
    if outcome.seconds >= ACK_SECONDS:
        return f"{outcome.case.describe()}: acknowledged after {outcome.seconds:.2f} s"
    return None


async def send_all(
    sender: SlackSender, slack: FakeSlack, cases: list[Case]
) -> tuple[list[Outcome], list[str]]:
    """Send every case, at most CONCURRENCY at once; stop sending after MAX_PROBLEMS problems.

    Stopping early keeps a broken bot (an event loop blocked for minutes) from making the run
    last an hour: the first problems are what a person fixing it needs.
    """
    gate = asyncio.Semaphore(CONCURRENCY)
    outcomes: list[Outcome] = []
    problems: list[str] = []

    async def one(case: Case) -> None:
        async with gate:
            if len(problems) >= MAX_PROBLEMS:
                return
            outcome = await send(sender, slack, case)
        outcomes.append(outcome)
        problem = http_problem(outcome)
        if problem is not None:
            problems.append(problem)

    await asyncio.gather(*(one(case) for case in cases))
    if len(outcomes) < len(cases):
        problems.append(f"stopped after {len(problems)} problems: {len(cases) - len(outcomes)} "
                        "cases not sent")  # fmt: skip
    return outcomes, problems


async def still_answers(sender: SlackSender, slack: FakeSlack) -> list[str]:
    """Run a plain `/aihc pools`; return what is wrong with its answer (nothing, normally).

    The fuzz commands' work may still run after their acks: "busy" is then the right answer, and
    `pools` is asked again each time one of them finishes (an answer arrives), never on a timer.
    """
    for attempt in range(CONCURRENCY + 1):
        answered = len(slack.responses())
        body, status = await _ask_pools(sender, slack, f"AFTER{attempt}")
        if body is None:
            return [f"/aihc pools afterwards: no answer ({status})"]
        if status == "200" and "busy" in body:
            try:
                await slack.wait_for(partial(_answers_past, slack, answered + 1), PATIENCE)
            except TimeoutError:
                return [f"/aihc pools afterwards: busy with nothing left running: {body}"]
            continue
        if status != "200" or "llm-a800-pool" not in body:
            return [f"/aihc pools afterwards: HTTP {status}, {body}"]
        return []
    return ["/aihc pools afterwards: still busy after every fuzz command's answer"]


def _answers_past(slack: FakeSlack, count: int) -> bool:
    return len(slack.responses()) > count


async def _ask_pools(sender: SlackSender, slack: FakeSlack, key: str) -> tuple[str | None, str]:
    """Send `/aihc pools`; return its answer's body as JSON and the HTTP status (or the error)."""
    url = slack.response_url(key, user="U0001")
    try:
        response = await sender.slash_command("pools", user_id="U0001", response_url=url)
        posts = await slack.wait_for(lambda: slack.responses(key), timeout=PATIENCE)
    except (httpx.HTTPError, AssertionError, TimeoutError) as error:
        return None, type(error).__name__
    return json.dumps(posts[0].body, ensure_ascii=False), str(response.status_code)


def seen_by_people(slack: FakeSlack, outcomes: list[Outcome]) -> list[tuple[str, str]]:
    """Return (where, text) of everything people were shown: acks, response_url posts, calls."""
    cases = {f"F{o.case.number:05d}": o.case.describe() for o in outcomes}
    shown = [(f"the ack of {o.case.describe()}", o.body) for o in outcomes]
    shown += [
        (f"the answer to {cases.get(p.key, p.key)}", json.dumps(p.body, ensure_ascii=False))
        for p in slack.responses()
    ]
    shown += [(f"a {c.method} call", json.dumps(c.params, ensure_ascii=False)) for c in slack.calls]
    return shown


def traceback_in(where: str, text: str) -> str | None:
    """Return a problem naming where a traceback was shown, with what surrounds it, or None."""
    found = TRACEBACK.search(text)
    if found is None:
        return None
    return f"traceback shown in {where}: …{text[max(found.start() - 300, 0) : found.end() + 300]}…"


def logged_tracebacks(bot: BotProcess) -> list[tuple[str | None, str]]:
    """Return (error id, line) of every ERROR record with a traceback, and of any stray one."""
    found: list[tuple[str | None, str]] = []
    for line in bot.output().splitlines():
        try:
            entry: dict[str, Any] = json.loads(line)
        except ValueError:
            if "Traceback" in line:
                found.append((None, line))
            continue
        if entry.get("level") in ("ERROR", "CRITICAL") and entry.get("exc_info"):
            found.append((entry.get("error_id"), line[:400]))
    return found


async def test_five_thousand_hostile_requests_get_a_timely_ack_and_no_traceback(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    slack.add_user(WANG, "wang", locale="zh-CN", tz="Asia/Shanghai", tz_offset=28800)
    slack.add_user(ADMIN, "root")
    env = serve_env(
        sim, slack, f"sqlite:///{tmp_path / 'bot.db'}",
        AIHC_DEFAULT_POOL="llm-a800-pool", BOT_ADMINS=ADMIN, BOT_LOG_FORMAT="json",
    )  # fmt: skip
    bot = await bots.start(env)
    url = await bot.url()
    cases = CaseMaker(SEED, names_of(sim)).cases(CASES)
    async with SlackSender(f"{url}/slack/events", SIGNING_SECRET, timeout=PATIENCE) as sender:
        outcomes, problems = await send_all(sender, slack, cases)
        problems += await still_answers(sender, slack)

    shown = seen_by_people(slack, outcomes)
    problems += [problem for where, text in shown if (problem := traceback_in(where, text))]
    everything_shown = "\n".join(text for _, text in shown)
    problems += [
        f"traceback logged without an error id shown to anyone: {line}"
        for error_id, line in logged_tracebacks(bot)
        if not error_id or error_id not in everything_shown
    ]
    answered = {post.key for post in slack.responses()}
    commands = [o for o in outcomes if o.case.kind == "command"]
    silent = [o for o in commands if f"F{o.case.number:05d}" not in answered]
    # Most commands are answered by now; were none, every check above would pass vacuously.
    if len(silent) > len(commands) // 2:
        problems.append(f"{len(silent)} of {len(commands)} commands never answered")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[: 2 * MAX_PROBLEMS])
