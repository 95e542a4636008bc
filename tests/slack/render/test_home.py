"""The App Home tab as people read it: role, jobs by what they do, buttons, channels, paging."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.domain import JobStatus, Role
from bot.insight.health import Health
from bot.insight.home import Home, HomeJob
from bot.insight.progress import Progress
from bot.slack.i18n import Lang
from bot.slack.ids import ActionId
from bot.slack.refs import HomePage
from bot.slack.render import validate_message
from bot.slack.render.home import home_blocks, home_pages
from tests.slack.render.visible import NOW, make_job, mrkdwn, shown


def _ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        str(element.get("action_id"))
        for block in blocks
        for element in block.get("elements") or []
        if element.get("action_id")
    ]


def _value(blocks: list[dict[str, Any]], action_id: str, label: str) -> int:
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id and element["text"]["text"] == label:
                return HomePage.model_validate_json(element["value"]).page
    raise AssertionError(f"no {label} button")


def _mine() -> Home:
    running = make_job(name="llama-70b-sft", job_id="pytorchjob-run1")
    health = Health(
        progress=Progress(step=1200, total=5000, secs_per_step=2.0, observed_at=NOW),
        looked_at=NOW - timedelta(minutes=1),
    )
    waiting = make_job(name="rlhf-2", job_id="pytorchjob-wait1", status=JobStatus.PENDING)
    failed = make_job(
        name="sft-oom", job_id="pytorchjob-fail1", status=JobStatus.FAILED,
        age=timedelta(days=2), finished_after=timedelta(hours=1),
    )  # fmt: skip
    return Home(
        roles=frozenset(),
        aihc_user="alice",
        running=(HomeJob(running, health=health, channels=("C0001", "C0002")),),
        pending=(HomeJob(waiting),),
        failed=(HomeJob(failed, cause_key="cuda_oom"),),
    )


def test_an_owner_sees_each_job_with_what_it_does_and_its_buttons() -> None:
    blocks = home_blocks(_mine(), page=0, now=NOW, lang="en")
    text = shown(blocks)
    assert validate_message(blocks, modal=True) == []
    assert "Your role: *member" in text
    assert "Linked AIHC user: `alice`" in text
    for title in ("Running (1)", "Waiting (1)", "Failed in the last 7 days (1)"):
        assert title in text
    assert "llama-70b-sft" in text
    assert "1,200/5,000" in text.replace(" ", "")
    assert "Followed in <#C0001>, <#C0002>" in text
    assert "CUDA out of memory" in text
    assert "No channel follows it." in text
    ids = _ids(blocks)
    assert ids.count(ActionId.STOP_JOB) == 2  # the running and the waiting job; not the failed
    assert ids.count(ActionId.SHOW_LOGS) == 3
    assert ActionId.SUBSCRIBE_HERE not in ids  # Home is no channel
    assert ids[0] == ActionId.HOME_REFRESH
    assert ActionId.HOME_NEXT not in ids


def test_an_operator_sees_the_role_and_a_stranger_is_told_why_nothing_shows() -> None:
    operator = shown(
        home_blocks(Home(roles=frozenset({Role.OPERATOR})), page=0, now=NOW, lang="en")
    )
    assert "Your role: *operator*" in operator
    stranger = shown(home_blocks(Home(), page=0, now=NOW, lang="en"))
    assert "You own no running, waiting or recently failed job" in stranger
    assert "No AIHC user is linked to you" in stranger


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_many_jobs_page_within_block_kit_limits_with_previous_and_next(lang: Lang) -> None:
    jobs = tuple(
        HomeJob(make_job(name=f"job-{i}", job_id=f"pytorchjob-{i:04d}")) for i in range(70)
    )
    home = Home(roles=frozenset({Role.ADMIN}), running=jobs)
    pages = home_pages(home, now=NOW, lang=lang)
    assert pages == 3
    seen: list[str] = []
    for page in range(pages):
        blocks = home_blocks(home, page=page, now=NOW, lang=lang)
        assert len(blocks) <= 100
        assert validate_message(blocks, modal=True) == []
        seen += [f"job-{i}" for i in range(70) if f"*job-{i}*" in shown(blocks)]
        assert _value(blocks, ActionId.HOME_REFRESH, "Refresh" if lang == "en" else "刷新") == page
    assert seen == [f"job-{i}" for i in range(70)]  # every job once, in order
    first = home_blocks(home, page=0, now=NOW, lang="en")
    assert "Page 1 of 3" in shown(first)
    assert _value(first, ActionId.HOME_NEXT, "Next") == 1
    last = home_blocks(home, page=2, now=NOW, lang="en")
    assert _value(last, ActionId.HOME_PREVIOUS, "Previous") == 1
    assert "Next" not in shown(last)
    assert shown(home_blocks(home, page=99, now=NOW, lang="en")) == shown(last)


def test_hostile_names_are_escaped_on_home() -> None:
    job = make_job(name="<!channel> & <@U123>")
    blocks = home_blocks(Home(running=(HomeJob(job),)), page=0, now=NOW, lang="zh")
    assert validate_message(blocks, modal=True) == []
    assert "<!channel>" not in mrkdwn(blocks)
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in mrkdwn(blocks)
