"""Job cards and job lists, as people read them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain import CREATOR_LABEL, EnvVar, Job, JobStatus
from bot.slack.i18n import Lang
from bot.slack.ids import ActionId
from bot.slack.render import STATUS_EMOJI, fallback_text, job_card_blocks, jobs_blocks
from tests.slack.render.visible import HOSTILE, NOW, assert_safe, make_job, mrkdwn, shown

LANGS: tuple[Lang, ...] = ("en", "zh")


@pytest.mark.parametrize("status", list(JobStatus))
@pytest.mark.parametrize("lang", LANGS)
def test_card_shows_each_status_with_its_own_emoji(status: JobStatus, lang: Lang) -> None:
    text = shown(job_card_blocks(make_job(status=status), now=NOW, lang=lang))
    assert STATUS_EMOJI[status] in text


def test_every_status_has_a_distinct_emoji() -> None:
    assert len(set(STATUS_EMOJI.values())) == len(JobStatus)


def test_card_reads_in_english() -> None:
    blocks = job_card_blocks(make_job(), now=NOW, lang="en")
    assert_safe(blocks)
    text = shown(blocks)
    for expected in (
        "llama-70b-sft",
        ":large_green_circle: Running",
        "team-a",
        "high",
        "PyTorchJob",
        "32 (8 × 4)",
        "registry.baidubce.com/aihc/pytorch:2.3-cu121",
        "alice",
        "2026-11-26 19:48 UTC (3h 12m ago)",
        "Running for",
        "3h 10m",
        "pytorchjob-7f3k2m",
    ):
        assert expected in text, expected


def test_card_reads_in_chinese() -> None:
    blocks = job_card_blocks(make_job(status=JobStatus.FAILED), now=NOW, lang="zh")
    assert_safe(blocks)
    text = shown(blocks)
    assert ":x: 已失败" in text
    assert "优先级" in text
    assert "3小时 12分前" in text


def test_card_of_an_unknown_status_shows_aihcs_text_verbatim() -> None:
    job = make_job(status=JobStatus.UNKNOWN, status_text="Hibernating <!here>")
    blocks = job_card_blocks(job, now=NOW, lang="en")
    assert_safe(blocks)
    assert ":grey_question: Hibernating <!here>" in shown(blocks)


def test_card_of_a_finished_job_says_how_long_it_took_and_when_it_ended() -> None:
    job = make_job(
        status=JobStatus.SUCCEEDED,
        age=timedelta(days=2),
        finished_after=timedelta(days=1, hours=5, minutes=30),
    )
    text = shown(job_card_blocks(job, now=NOW, lang="en"))
    assert "Took" in text
    assert "1d 5h" in text
    assert "Finished" in text
    assert "(18h 30m ago)" in text
    assert "Running for" not in text


def test_card_of_a_queued_job_says_how_long_it_waited() -> None:
    job = make_job(status=JobStatus.PENDING, pods=0, age=timedelta(minutes=7, seconds=5))
    text = shown(job_card_blocks(job, now=NOW, lang="en"))
    assert "Waiting for" in text
    assert "7m 5s" in text
    assert "No pods yet." in text


def test_card_lists_pods_with_phase_and_restarts() -> None:
    text = shown(job_card_blocks(make_job(pods=3), now=NOW, lang="en"))
    assert "llama-70b-sft-master-0" in text
    assert "llama-70b-sft-worker-2" in text
    assert "RESTARTS" in text


def test_card_of_a_512_pod_job_lists_the_first_pods_and_counts_the_rest() -> None:
    blocks = job_card_blocks(make_job(pods=512), now=NOW, lang="en")
    assert_safe(blocks)
    assert len(blocks) <= 45
    text = shown(blocks)
    assert "llama-70b-sft-worker-19" in text
    assert "llama-70b-sft-worker-20\n" not in text
    assert "… and 492 more pods" in text


def test_card_without_optional_fields_still_renders() -> None:
    blocks = job_card_blocks(Job(id="mpijob-x"), now=NOW, lang="zh")
    assert_safe(blocks)
    assert "mpijob-x" in shown(blocks)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_card_escapes_hostile_names_images_and_creators(hostile: str) -> None:
    job = make_job(name=hostile).model_copy(
        update={"image": hostile, "queue": hostile, "labels": {CREATOR_LABEL: hostile}}
    )
    blocks = job_card_blocks(job, now=NOW, lang="en")
    assert_safe(blocks)
    assert "<" not in fallback_text(blocks)


def test_card_header_shows_a_long_name_cut_with_an_ellipsis() -> None:
    blocks = job_card_blocks(make_job(name="训练" * 200), now=NOW, lang="zh")
    assert_safe(blocks)
    assert blocks[0]["text"]["text"].endswith("…")


def test_job_list_is_an_aligned_table_with_a_page_line_and_a_more_button() -> None:
    jobs = [make_job(name=f"job-{i}", job_id=f"pytorchjob-{i}") for i in range(20)]
    blocks = jobs_blocks(
        jobs, now=NOW, lang="en", title="Jobs in pool a", start=20, total=95, more_value='{"p":3}'
    )
    assert_safe(blocks)
    text = shown(blocks)
    assert "NAME" in text
    assert "Showing 21–40 of 95" in text
    rows = [line for line in text.splitlines() if line.startswith("job-")]
    assert len(rows) == 20
    assert len({row.index("Running") for row in rows}) == 1
    more = blocks[-1]["elements"][0]
    assert more["action_id"] == ActionId.LIST_MORE
    assert more["value"] == '{"p":3}'
    assert more["text"]["text"] == "More"


def test_job_list_without_more_has_no_button() -> None:
    blocks = jobs_blocks(
        [make_job()], now=NOW, lang="zh", title="任务", start=0, total=1, more_value=None
    )
    assert_safe(blocks)
    assert all(block["type"] != "actions" for block in blocks)
    assert "第 1–1 条，共 1 条" in shown(blocks)


@pytest.mark.parametrize("lang", LANGS)
def test_empty_job_list_says_so(lang: Lang) -> None:
    blocks = jobs_blocks([], now=NOW, lang=lang, title="t", start=0, total=0, more_value=None)
    assert_safe(blocks)
    assert ("No jobs match" if lang == "en" else "没有符合条件的任务") in shown(blocks)


def test_job_list_title_is_escaped() -> None:
    blocks = jobs_blocks(
        [make_job()], now=NOW, lang="en", title="<!channel>", start=0, total=1, more_value=None
    )
    assert "&lt;!channel&gt;" in mrkdwn(blocks)


def test_card_of_a_restarting_job_gives_its_age() -> None:
    job = make_job(status=JobStatus.RESTARTING, age=timedelta(hours=1))
    text = shown(job_card_blocks(job, now=NOW, lang="en"))
    assert "*Age*\n1h" in text
    assert ":repeat: Restarting" in text


def test_job_list_age_column_fits_chinese_durations() -> None:
    blocks = jobs_blocks(
        [make_job()], now=NOW, lang="zh", title="任务", start=0, total=1, more_value=None
    )
    assert "3小时 12分" in shown(blocks)


def test_card_never_shows_environment_values_or_the_command() -> None:
    job = make_job().model_copy(
        update={
            "envs": (EnvVar(name="WANDB_API_KEY", value="s3cr3t-token"),),
            "command": "torchrun --hf-token s3cr3t-token train.py",
        }
    )
    text = shown(job_card_blocks(job, now=NOW, lang="en"))
    assert "s3cr3t" not in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "3 matching among jobs 101–600"),
        ("zh", "第 101–600 个任务（从新到旧）中有 3 个符合条件"),
    ],
)
def test_a_filtered_page_names_the_jobs_it_searched(lang: Lang, expected: str) -> None:
    jobs = [make_job(name=f"job-{i}", job_id=f"pytorchjob-{i}") for i in range(3)]
    blocks = jobs_blocks(
        jobs,
        now=NOW,
        lang=lang,
        title="t",
        start=100,
        total=None,
        more_value='{"p":600}',
        searched=(100, 600),
    )
    assert_safe(blocks)
    assert expected in shown(blocks)
    assert blocks[-1]["elements"][0]["action_id"] == ActionId.LIST_MORE


@pytest.mark.parametrize(
    ("lang", "none", "more"),
    [
        ("en", "No job matches among jobs 1–500", "next 500 older jobs"),
        ("zh", "第 1–500 个任务（从新到旧）中没有符合条件的", "接下来的 500 个较早的任务"),
    ],
)
def test_a_filtered_page_without_a_match_offers_the_older_jobs(
    lang: Lang, none: str, more: str
) -> None:
    blocks = jobs_blocks(
        [],
        now=NOW,
        lang=lang,
        title="t",
        start=0,
        total=None,
        more_value='{"p":500}',
        searched=(0, 500),
    )
    assert_safe(blocks)
    assert none in shown(blocks)
    assert more in shown(blocks)
    assert blocks[-1]["elements"][0]["action_id"] == ActionId.LIST_MORE


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "No more jobs."), ("zh", "没有更多任务了。")]
)
def test_a_page_past_the_last_job_says_there_are_no_more(lang: Lang, expected: str) -> None:
    blocks = jobs_blocks([], now=NOW, lang=lang, title="t", start=75, total=None, more_value=None)
    assert expected in shown(blocks)
    assert all(block["type"] != "actions" for block in blocks)


def test_an_unfiltered_page_without_a_total_gives_its_range() -> None:
    blocks = jobs_blocks(
        [make_job()], now=NOW, lang="en", title="t", start=25, total=None, more_value=None
    )
    assert "Showing 26–26" in shown(blocks)
    assert " of " not in shown(blocks)
