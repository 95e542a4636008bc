"""The App Home tab: a person's role, their jobs (running, waiting, failed lately) with the job
card's buttons and the channels that follow each, a Refresh button, and paging.

Block Kit holds a Home view to 100 blocks: the jobs are cut into pages that fit, each job whole
on one page, with Previous and Next buttons that carry the page number (a `HomePage`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Role
from bot.insight.home import Home, HomeJob
from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.refs import HomePage
from bot.slack.render.actions import card_controls
from bot.slack.render.blocks import actions, button, context, divider, header, section
from bot.slack.render.fmt import between, msg, stamp_ago
from bot.slack.render.health import health_lines
from bot.slack.render.jobs import STATUS_EMOJI, status_label
from bot.slack.render.limits import MAX_MODAL_BLOCKS, Block
from bot.slack.render.notify import cause_text
from bot.slack.render.text import bold, code, escape
from bot.slack.render.waiting import why_lines
from bot.watch.payloads import CauseLine

HEAD_BLOCKS = 5
"""Blocks above the jobs: the title, who you are, Refresh, a note and a divider."""
FOOT_BLOCKS = 2
"""Blocks below them: the page line and Previous/Next."""
PAGE_BUDGET = MAX_MODAL_BLOCKS - HEAD_BLOCKS - FOOT_BLOCKS
"""Blocks the jobs of one page may take, section headings included."""
MAX_CHANNELS = 10
"""Channels named under one job; more are counted."""
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,30}$")
_SECTIONS = ("running", "pending", "failed")


@dataclass(frozen=True)
class _Item:
    kind: str
    blocks: list[Block]


def home_blocks(home: Home, *, page: int, now: datetime, lang: Lang) -> list[Block]:
    """Render one page of a person's Home (the last one when `page` is past it)."""
    pages = _pages(home, now=now, lang=lang)
    shown = min(max(page, 0), len(pages) - 1)
    blocks = _head(home, shown, now=now, lang=lang)
    blocks.extend(pages[shown])
    if len(pages) > 1:
        blocks.extend(_paging(shown, len(pages), lang=lang))
    return blocks


def home_pages(home: Home, *, now: datetime, lang: Lang) -> int:
    """Return how many pages the Home takes."""
    return len(_pages(home, now=now, lang=lang))


def _head(home: Home, page: int, *, now: datetime, lang: Lang) -> list[Block]:
    who = [msg(lang, "home.role", role=_role(home.roles, lang=lang))]
    if home.aihc_user:
        who.append(msg(lang, "home.linked", user=home.aihc_user))
    else:
        who.append(msg(lang, "home.not_linked"))
    refresh = button(
        t(lang, "home.refresh"), action_id=ActionId.HOME_REFRESH, value=HomePage(page=page).encode()
    )
    blocks = [header(t(lang, "home.title")), section("\n".join(who)), actions([refresh])]
    notes = [msg(lang, "home.updated", when=stamp_ago(now, now=now, lang=lang))]
    if not home.complete:
        notes.append(msg(lang, "home.incomplete"))
    if home.unreadable:
        notes.append(msg(lang, "home.unreadable", pools=", ".join(home.unreadable[:5])))
    return [*blocks, context(*notes), divider()]


def _role(roles: frozenset[Role], *, lang: Lang) -> str:
    for role in (Role.ADMIN, Role.OPERATOR):
        if role in roles:
            return t(lang, f"role.{role.value}")
    return t(lang, "home.role_member")


def _pages(home: Home, *, now: datetime, lang: Lang) -> list[list[Block]]:
    """Cut the jobs into pages of at most `PAGE_BUDGET` blocks, a job never split."""
    if home.empty:
        return [[section(msg(lang, "home.none"))]]
    counts = {"running": len(home.running), "pending": len(home.pending)}
    counts["failed"] = len(home.failed)
    pages: list[list[Block]] = [[]]
    last_kind = ""
    for item in _items(home, now=now, lang=lang):
        heading = item.kind != last_kind or not pages[-1]
        needed = len(item.blocks) + (1 if heading else 0)
        if pages[-1] and len(pages[-1]) + needed > PAGE_BUDGET:
            pages.append([])
            heading = True
        if heading:
            title = msg(lang, f"home.{item.kind}", count=counts[item.kind])
            pages[-1].append(section(f"*{title}*"))
        pages[-1].extend(item.blocks)
        last_kind = item.kind
    return pages


def _items(home: Home, *, now: datetime, lang: Lang) -> list[_Item]:
    groups = dict(zip(_SECTIONS, (home.running, home.pending, home.failed), strict=True))
    return [
        _Item(kind, job_blocks(entry, now=now, lang=lang))
        for kind in _SECTIONS
        for entry in groups[kind]
    ]


def job_blocks(entry: HomeJob, *, now: datetime, lang: Lang) -> list[Block]:
    """Render one job on Home: what it is, what it does, who follows it, and its buttons."""
    job = entry.job
    status = escape(status_label(job, lang=lang))
    title = f"{STATUS_EMOJI[job.status]} {bold(job.name or job.id)} · {status}"
    place = msg(lang, "home.place", pool=entry.pool or job.pool_id or "—")
    blocks = [section(f"{title}\n{code(job.queue) if job.queue else '—'} {place}")]
    lines = _about(entry, now=now, lang=lang)
    lines.append(_channels(entry.channels, lang=lang))
    blocks.append(context("\n".join(lines)))
    controls = [
        element
        for block in card_controls(job, lang=lang)
        for element in block["elements"]
        # "Here" means a channel; Home is none: a channel subscribes from its own card.
        if element.get("action_id") != ActionId.SUBSCRIBE_HERE
    ]
    if controls:
        blocks.append(actions(controls))
    return blocks


def _about(entry: HomeJob, *, now: datetime, lang: Lang) -> list[str]:
    """Say what the job is doing: progress and ETA, why it waits, or what likely failed it."""
    job = entry.job
    if entry.waiting is not None:
        since = between(job.created_at, now, lang=lang) if job.created_at else "—"
        return [msg(lang, "home.waiting_for", span=since), *why_lines(entry.waiting, lang=lang)]
    if job.status.is_terminal:
        lines = [msg(lang, "home.ended", when=stamp_ago(job.finished_at, now=now, lang=lang))]
        if entry.cause_key:
            cause = cause_text(CauseLine(key=entry.cause_key, text=entry.cause_text), lang=lang)
            lines.append(msg(lang, "home.cause", cause=cause))
        return lines
    start = job.running_at or job.created_at
    lines = [msg(lang, "home.running_for", span=between(start, now, lang=lang))] if start else []
    known = health_lines(entry.health, now=now, lang=lang)
    return lines + (known or [msg(lang, "home.not_watched")])


def _channels(channels: Sequence[str], *, lang: Lang) -> str:
    named = [f"<#{c}>" for c in channels if _CHANNEL_ID.match(c)]
    if not named:
        return msg(lang, "home.no_channels")
    listed = ", ".join(named[:MAX_CHANNELS])
    more = len(named) - MAX_CHANNELS
    tail = " " + msg(lang, "home.channels_more", count=more) if more > 0 else ""
    return f"{msg(lang, 'home.channels')} {listed}{tail}"


def _paging(page: int, pages: int, *, lang: Lang) -> list[Block]:
    buttons = []
    if page > 0:
        buttons.append(
            button(t(lang, "home.previous"), action_id=ActionId.HOME_PREVIOUS,
                   value=HomePage(page=page - 1).encode())
        )  # fmt: skip
    if page + 1 < pages:
        buttons.append(
            button(t(lang, "home.next"), action_id=ActionId.HOME_NEXT,
                   value=HomePage(page=page + 1).encode(), style="primary")
        )  # fmt: skip
    return [context(msg(lang, "home.page", page=page + 1, pages=pages)), actions(buttons)]
