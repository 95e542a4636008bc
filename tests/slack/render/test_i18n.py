"""The catalogues: same keys and placeholders in both languages, strict lookups, locales."""

from __future__ import annotations

import re
import string
import warnings
from pathlib import Path

import pytest

from bot.domain import JobStatus
from bot.slack.commands.table import GRAMMAR
from bot.slack.i18n import CATALOGUES, Lang, MissingMessage, lang_for_locale, t

SLACK_DIR = Path(__file__).parents[3] / "bot" / "slack"
RENDER_DIR = SLACK_DIR / "render"
LANGS: tuple[Lang, ...] = ("en", "zh")


def placeholders(template: str) -> set[str]:
    """Return the `{names}` a template fills."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(CATALOGUES["en"]) == set(CATALOGUES["zh"])


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_each_key_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert placeholders(CATALOGUES["en"][key]) == placeholders(CATALOGUES["zh"][key])


def test_no_template_uses_slack_angle_bracket_syntax_or_is_empty() -> None:
    # Renderers escape whole templates: a `<@U1>` in one would show literally, not ping.
    for lang in LANGS:
        for key, template in CATALOGUES[lang].items():
            assert template.strip(), key
            assert not re.search(r"<[@!#]", template), key


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_and_group_has_a_summary(lang: Lang) -> None:
    for command in GRAMMAR.commands:
        assert t(lang, f"help.{command.id}")
        assert t(lang, f"help_page.group.{command.group}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_job_status_has_a_label(lang: Lang) -> None:
    labels = {t(lang, f"status.{status.value}") for status in JobStatus}
    assert len(labels) == len(JobStatus)


def test_every_key_the_renderers_name_literally_exists() -> None:
    pattern = re.compile(r"\b(?:t|msg)\(\s*lang,\s*\"([a-z_.]+)\"")
    used = {key for path in RENDER_DIR.glob("*.py") for key in pattern.findall(path.read_text())}
    assert used
    assert used <= set(CATALOGUES["en"]), used - set(CATALOGUES["en"])


def test_every_key_the_slack_side_names_literally_exists() -> None:
    # Handlers and the grammar own their code; the keys they look up must be in the catalogue.
    lookups = re.compile(r"\bt\(\s*[\w.]+,\s*\"([a-z_.]+)\"")
    problems = re.compile(r"\"(problem\.[a-z_]+)\"")
    used: set[str] = set()
    for path in SLACK_DIR.rglob("*.py"):
        source = path.read_text()
        used |= set(lookups.findall(source)) | set(problems.findall(source))
    assert used <= set(CATALOGUES["en"]), used - set(CATALOGUES["en"])


def test_t_fills_placeholders() -> None:
    assert t("en", "logs.cut", shown=3, total=10) == "Showing the last 3 of 10 lines."
    assert t("zh", "logs.cut", shown=3, total=10) == "显示最后 3 行，共 10 行。"


def test_an_unknown_key_is_a_key_error_under_test() -> None:
    with pytest.raises(KeyError):
        t("en", "no.such.key")


def test_a_missing_placeholder_is_a_key_error_under_test() -> None:
    with pytest.raises(KeyError):
        t("en", "logs.cut", shown=3)


def test_in_production_an_unknown_key_shows_the_key_instead_of_crashing() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert t("zh", "no.such.key") == "no.such.key"
        assert t("en", "logs.cut") == CATALOGUES["en"]["logs.cut"]
    assert all(issubclass(w.category, MissingMessage) for w in caught)
    assert len(caught) == 2


@pytest.mark.parametrize(
    ("locale", "fallback", "expected"),
    [
        ("zh-CN", "en", "zh"),
        ("zh-TW", "en", "zh"),
        ("zh", "en", "zh"),
        ("zh_CN", "en", "zh"),
        ("en-US", "zh", "en"),
        ("en-GB", "zh", "en"),
        ("ja-JP", "zh", "zh"),
        ("ja-JP", "en", "en"),
        ("", "zh", "zh"),
        (None, "en", "en"),
    ],
)
def test_lang_for_locale(locale: str | None, fallback: Lang, expected: Lang) -> None:
    assert lang_for_locale(locale, fallback) == expected
