"""A job's BCCL injection outcome on its card: whether it worked, and why not when it did not."""

from __future__ import annotations

from bot.domain import Job
from bot.slack.i18n import Lang
from bot.slack.render import job_card_blocks
from tests.slack.render.visible import NOW, assert_safe, make_job, shown


def _card(job: Job, lang: Lang = "en") -> str:
    blocks = job_card_blocks(job, now=NOW, lang=lang)
    assert_safe(blocks)
    return shown(blocks)


def test_card_says_bccl_was_injected() -> None:
    job = make_job().model_copy(update={"bccl_status": "success"})
    assert "*BCCL*\ninjected" in _card(job)
    assert "*BCCL*\n已注入" in _card(job, "zh")


def test_card_says_why_bccl_injection_failed_in_both_languages() -> None:
    job = make_job().model_copy(
        update={"bccl_status": "failed", "bccl_error": "no RDMA device <!channel>"}
    )
    assert "*BCCL*\ninjection failed: no RDMA device <!channel>" in _card(job)
    assert "*BCCL*\n注入失败：no RDMA device <!channel>" in _card(job, "zh")


def test_a_status_this_bot_does_not_know_is_shown_as_sent() -> None:
    job = make_job().model_copy(update={"bccl_status": "Injecting"})
    assert "*BCCL*\nInjecting" in _card(job)


def test_no_bccl_line_before_injection_or_without_bccl() -> None:
    # AIHC says `unknown` until it injects, and for every job that never asked for BCCL.
    for status in ("", "unknown", "Unknown"):
        job = make_job().model_copy(update={"bccl_status": status})
        assert "BCCL" not in _card(job)
