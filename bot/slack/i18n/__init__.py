"""Message catalogues: every sentence people read, in English and Chinese, looked up by key.

An unknown key or a missing placeholder is a bug. `t` reports it as a `MissingMessage`
warning, which is also a `KeyError`: pytest runs with warnings as errors, so a test that hits one
fails with a KeyError, while in production the user sees the key (or the unfilled template) and
the warning goes to the log once; rendering never crashes over a catalogue slip.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

from bot.slack.i18n.en import MESSAGES as EN_MESSAGES
from bot.slack.i18n.zh import MESSAGES as ZH_MESSAGES

Lang = Literal["en", "zh"]

CATALOGUES: Mapping[Lang, Mapping[str, str]] = {"en": EN_MESSAGES, "zh": ZH_MESSAGES}


class MissingMessage(KeyError, UserWarning):
    """A key or placeholder the catalogue lacks; raised under pytest, logged in production."""


def t(lang: Lang, key: str, **params: object) -> str:
    """Return the message `key` in `lang`, its `{placeholders}` filled from `params`."""
    template = CATALOGUES.get(lang, EN_MESSAGES).get(key)
    if template is None:
        warnings.warn(MissingMessage(f"no message {key!r} in {lang!r}"), stacklevel=2)
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError) as exc:
        warnings.warn(MissingMessage(f"message {key!r} cannot be filled: {exc!r}"), stacklevel=2)
        return template


def lang_for_locale(locale: str | None, fallback: Lang) -> Lang:
    """Pick the language for a Slack locale such as `zh-CN` or `en-US`; otherwise `fallback`."""
    if not locale:
        return fallback
    prefix = locale.strip().lower().replace("_", "-").split("-", 1)[0]
    if prefix == "zh":
        return "zh"
    if prefix == "en":
        return "en"
    return fallback


__all__ = ["CATALOGUES", "Lang", "MissingMessage", "lang_for_locale", "t"]
