"""Fonts for charts: Latin first, a CJK family behind it, and text cut to what they can draw.

Matplotlib falls back glyph by glyph along a family list; a glyph no family has becomes a tofu
box and a "Glyph ... missing" warning. So every string is checked against the fonts' character
maps before it is drawn, and what none of them covers is written as `?` instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

LATIN = "DejaVu Sans"
"""Matplotlib ships it, so it is always there: digits, Latin, Greek, °, µ."""

CJK_FAMILIES = (
    "Noto Sans CJK SC",  # Debian fonts-noto-cjk (the image and scripts/system-packages)
    "WenQuanYi Micro Hei",  # fonts-wqy-microhei
    "WenQuanYi Zen Hei",  # fonts-wqy-zenhei
    "Droid Sans Fallback",  # fonts-droid-fallback
)
"""CJK families in order of preference; the first one installed is used."""

CJK_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
"""Where Debian puts them: matplotlib's font cache, built once, misses fonts installed later."""

MISSING = "?"

_lock = threading.Lock()


@dataclass(frozen=True)
class FontSet:
    """The families a chart draws with, in fallback order, and the characters they cover."""

    families: tuple[str, ...]
    covered: frozenset[int]

    @property
    def has_cjk(self) -> bool:
        """Say whether a CJK family is among the fonts (else Chinese labels cannot be drawn)."""
        return any(family in CJK_FAMILIES for family in self.families)

    def draws(self, text: str) -> bool:
        """Say whether every character of `text` can be drawn without a tofu box."""
        return all(_drawable(char, self.covered) for char in text)

    def legible(self, text: str) -> str:
        """Return `text` with every character no font covers written as `?`."""
        return "".join(c if _drawable(c, self.covered) else MISSING for c in text)


def _drawable(char: str, covered: frozenset[int]) -> bool:
    # Line breaks and tabs are layout, not glyphs.
    return char in "\n\t" or ord(char) in covered


def font_set(families: Sequence[str] | None = None) -> FontSet:
    """Return the fonts to draw with: `families` if given, else DejaVu Sans and the first CJK
    family installed."""
    with _lock:
        return _font_set(tuple(families) if families is not None else None)


@cache
def _font_set(families: tuple[str, ...] | None) -> FontSet:
    if families is None:
        cjk = _installed_cjk()
        families = (LATIN, cjk) if cjk else (LATIN,)
    covered: set[int] = set()
    for family in families:
        covered.update(_charmap(family))
    return FontSet(families, frozenset(covered))


def _installed_cjk() -> str | None:
    known = _known_families()
    found = next((family for family in CJK_FAMILIES if family in known), None)
    if found is not None:
        return found
    for path in CJK_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
    known = _known_families()
    return next((family for family in CJK_FAMILIES if family in known), None)


def _known_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _charmap(family: str) -> Iterable[int]:
    """Return the code points of `family`'s regular face (none when it is not installed)."""
    entries = [e for e in font_manager.fontManager.ttflist if e.name == family]
    if not entries:
        return ()
    regular = min(entries, key=lambda e: (e.style != "normal", abs(_weight(e.weight) - 400)))
    font = FT2Font(regular.fname, face_index=getattr(regular, "index", 0))
    return font.get_charmap().keys()


def _weight(weight: int | str) -> int:
    return weight if isinstance(weight, int) else font_manager.weight_dict.get(weight, 400)
