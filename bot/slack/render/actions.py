"""Answers of the action and admin commands: refusals, done notices, terminal links, roles,
the audit trail, and the controls on a job card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from bot.domain import AuditEntry, Job, JobStatus, Priority, Role, RoleGrant
from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.refs import JobKey
from bot.slack.render.blocks import actions, button, context, preformatted_chunks, section
from bot.slack.render.fmt import msg, stamp
from bot.slack.render.limits import (
    CONFIRM_BUTTON_MAX,
    CONFIRM_TEXT_MAX,
    CONFIRM_TITLE_MAX,
    OPTION_TEXT_MAX,
    OPTION_VALUE_MAX,
    Block,
    text_len,
)
from bot.slack.render.text import one_line, table, truncate

_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_WHO = "\ue000"
"""Stands in for a mention while the sentence is escaped; a private-use character."""
MAX_MENTIONS = 10


class RefusalReason(Protocol):
    """Why something was refused: a catalogue key, the role that would do, the pool concerned."""

    @property
    def reason(self) -> str:
        """Return the catalogue key of the reason."""
        ...

    @property
    def needed(self) -> Role | None:
        """Return the role that would allow it, if one would."""
        ...

    @property
    def pool_id(self) -> str | None:
        """Return the pool the channel may not use, if that was the reason."""
        ...


class Refusal(Protocol):
    """A refusal as the services raise it: the reason and who could grant the missing role."""

    @property
    def decision(self) -> RefusalReason:
        """Return why it was refused."""
        ...

    @property
    def admins(self) -> Sequence[str]:
        """Return who could grant the missing role."""
        ...


def mention(user_id: str) -> str:
    """Return a Slack mention of a user id, or the id as code when it is not a user id."""
    return f"<@{user_id}>" if _SLACK_ID.match(user_id) else f"`{user_id[:40]}`"


def msg_by(lang: Lang, key: str, user_id: str, **params: object) -> str:
    """Return message `key` as escaped mrkdwn with `{who}` a real mention of `user_id`."""
    return msg(lang, key, who=_WHO, **params).replace(_WHO, mention(user_id))


def refusal_blocks(
    reason: str, *, role: str | None, pool: str | None, admins: Sequence[str], lang: Lang
) -> list[Block]:
    """Explain a refusal: what is needed, and who can grant it."""
    role_name = t(lang, f"role.{role}") if role else ""
    lines = [":no_entry: " + msg(lang, reason, role=role_name, pool=pool or "—")]
    if reason != "refused.channel_pool":
        if admins:
            names = ", ".join(mention(a) for a in admins[:MAX_MENTIONS])
            lines.append(msg(lang, "refused.ask") + " " + names)
        else:
            lines.append(msg(lang, "refused.no_admins"))
    return [section("\n".join(lines))]


def done_blocks(text: str, request_id: str = "", *, lang: Lang) -> list[Block]:
    """Render an escaped notice of what was done, with AIHC's request id when there is one."""
    blocks = [section(text)]
    if request_id:
        blocks.append(context(msg(lang, "action.request_id", request_id=request_id)))
    return blocks


def terminal_blocks(url: str, pod: str, *, lang: Lang) -> list[Block]:
    """Render the web terminal link: a button, as the URL is a credential and not for copying."""
    link = {
        "type": "button",
        "text": {"type": "plain_text", "text": t(lang, "terminal.open")[:75]},
        "action_id": ActionId.OPEN_TERMINAL.value,
        "url": url,
    }
    return [section(msg(lang, "terminal.text", pod=pod)), actions([link])]


def roles_blocks(
    grants: Sequence[RoleGrant], bot_admins: Sequence[str], *, lang: Lang
) -> list[Block]:
    """List who holds which role, and the admins from `BOT_ADMINS`."""
    lines = [msg(lang, "roles.title")]
    for role in (Role.ADMIN, Role.OPERATOR):
        users = [grant.user_id for grant in grants if grant.role is role]
        if users:
            who = ", ".join(mention(u) for u in users[:40])
            lines.append(f"• {msg(lang, 'roles.line', role=t(lang, f'role.{role.value}'))} {who}")
    if bot_admins:
        who = ", ".join(mention(u) for u in bot_admins[:40])
        lines.append(f"• {msg(lang, 'roles.bot_admins')} {who}")
    if len(lines) == 1:
        lines.append(msg(lang, "roles.none"))
    return [section("\n".join(lines)), context(msg(lang, "roles.rules"))]


def audit_blocks(entries: Sequence[AuditEntry], *, lang: Lang) -> list[Block]:
    """Render audit entries (time, user, action, target, result, request id) as a table."""
    if not entries:
        return [section(msg(lang, "audit.none"))]
    heading = tuple(
        t(lang, key)
        for key in (
            "table.time",
            "table.user",
            "table.action",
            "table.target",
            "table.result",
            "table.request_id",
        )
    )
    body = [
        (
            stamp(e.at),
            e.actor_id,
            e.action,
            e.target,
            t(lang, f"audit.{e.result.value}"),
            e.aihc_request_id or "—",
        )
        for e in entries
    ]
    lines = table([heading, *body], (20, 12, 14, 40, 8, 36))
    chunks, _ = preformatted_chunks(lines, max_blocks=10)
    return [section(msg(lang, "audit.title", count=len(entries))), *chunks]


def confirm_dialog(lang: Lang, kind: str, job: str) -> Block:
    """Build the confirm dialog of a `stop`, `delete` or `priority` on a job, naming it."""
    return {
        "title": {
            "type": "plain_text",
            "text": truncate(t(lang, f"confirm.{kind}.title"), CONFIRM_TITLE_MAX),
        },
        "text": {
            "type": "plain_text",
            "text": truncate(t(lang, f"confirm.{kind}.text", job=job), CONFIRM_TEXT_MAX),
        },
        "confirm": {
            "type": "plain_text",
            "text": truncate(t(lang, f"confirm.{kind}.yes"), CONFIRM_BUTTON_MAX),
        },
        "deny": {"type": "plain_text", "text": truncate(t(lang, "confirm.no"), CONFIRM_BUTTON_MAX)},
        "style": "primary" if kind == "priority" else "danger",
    }


def _option_value(key: JobKey) -> str:
    """Encode a menu option's key; one too long for an option leaves its queue to be searched."""
    value = key.encode()
    if len(value) > OPTION_VALUE_MAX:
        value = key.model_copy(update={"queue": None}).encode()
    return value


def _priority_menu(job: Job, key: JobKey, *, lang: Lang) -> Block:
    options = [
        {
            "text": {
                "type": "plain_text",
                "text": truncate(t(lang, f"priority.{p.value}"), OPTION_TEXT_MAX),
            },
            "value": _option_value(key.model_copy(update={"priority": p})),
        }
        for p in Priority
    ]
    menu: Block = {
        "type": "static_select",
        "action_id": ActionId.SET_PRIORITY.value,
        "placeholder": {"type": "plain_text", "text": t(lang, "card.priority")},
        "options": options,
        "confirm": confirm_dialog(lang, "priority", one_line(job.name or job.id)),
    }
    current = [o for o, p in zip(options, Priority, strict=True) if p is job.priority]
    if current:
        menu["initial_option"] = current[0]
    return menu


def job_key(pool: str, job: str, queue: str) -> JobKey | None:
    """Return the key a job's buttons carry, or None when an id cannot be carried by a button
    (the commands still work by name).

    The job's queue goes along whenever it has one that fits: AIHC v2 reaches every job, and v1
    a managed pool's, only through it. A queue that does not fit is left out; the job is then
    found by asking each queue in turn.
    """
    for carried in (queue, None) if queue else (None,):
        try:
            return JobKey(pool=pool, job=job, queue=carried)
        except ValueError:
            continue
    return None


def stop_button(key: JobKey, name: str, *, lang: Lang) -> Block:
    """Return the Stop button of a job, behind its confirmation."""
    stop = button(
        t(lang, "card.stop"), action_id=ActionId.STOP_JOB, value=key.encode(), style="danger"
    )
    stop["confirm"] = confirm_dialog(lang, "stop", one_line(name))
    return stop


def card_controls(job: Job, *, lang: Lang) -> list[Block]:
    """Return the card's buttons; Stop and Priority only while the job can still change."""
    key = job_key(job.pool_id, job.id, job.queue) if job.pool_id else None
    if key is None:
        return []
    value = key.encode()
    elements: list[Block] = []
    if not job.status.is_terminal:
        elements.append(stop_button(key, job.name or job.id, lang=lang))
        menu = _priority_menu(job, key, lang=lang)
        if all(text_len(o["value"]) <= OPTION_VALUE_MAX for o in menu["options"]):
            elements.append(menu)
    elements += [
        button(t(lang, "card.logs"), action_id=ActionId.SHOW_LOGS, value=value),
        button(t(lang, "card.events"), action_id=ActionId.SHOW_EVENTS, value=value),
    ]
    if job.status is JobStatus.RUNNING:
        elements.append(button(t(lang, "card.chart"), action_id=ActionId.SHOW_CHART, value=value))
    elements += [
        button(t(lang, "card.refresh"), action_id=ActionId.REFRESH, value=value),
        button(t(lang, "card.subscribe"), action_id=ActionId.SUBSCRIBE_HERE, value=value),
    ]
    return [actions(elements)]


def outcome_text(
    kind: str, job_name: str, *, changed: bool, actor: str, by: str, detail: str, lang: Lang
) -> str:
    """Return the escaped sentence saying what a stop, delete or priority change did."""
    if changed:
        return msg_by(lang, f"action.{kind}.done", actor, job=job_name, priority=detail)
    if kind == "stop" and by:
        return msg_by(lang, "action.stop.just_done", by, job=job_name)
    if kind == "stop":
        return msg(lang, "action.stop.ended", job=job_name, status=detail)
    if kind == "delete":
        return msg(lang, "action.delete.gone", job=job_name)
    return msg(lang, "action.priority.same", job=job_name, priority=detail)


def refusal_reply_blocks(error: Refusal, *, lang: Lang) -> list[Block]:
    """Render a refusal: what is needed, and who can grant it."""
    decision = error.decision
    role = decision.needed.value if decision.needed else None
    return refusal_blocks(
        decision.reason, role=role, pool=decision.pool_id, admins=error.admins, lang=lang
    )
