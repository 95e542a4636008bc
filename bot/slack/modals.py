"""The job and queue forms (modals), the loading view shown while they are built, and their
typed `private_metadata`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Node, Pool, Priority, Queue, memory_gib
from bot.slack.i18n import Lang, t
from bot.slack.ids import CallbackId
from bot.slack.modals_parse import OPTIONS, QUOTA_KINDS, QUOTA_RESOURCES, STRATEGIES
from bot.slack.render.fmt import msg
from bot.slack.render.text import truncate

View = dict[str, Any]
_TITLE_MAX = 24
_LABEL_MAX = 2000
_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
MAX_OPTIONS = 100


class FormMeta(BaseModel):
    """What a form needs to remember between opening and submission (its private_metadata)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pool: str = Field(pattern=_ID)
    channel: str = Field(default="", max_length=32, pattern=r"^[A-Z0-9]*$")
    queue: str = Field(default="", max_length=253)
    gpu: str = Field(
        default="baidu.com/gpu", max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9./_-]*$"
    )
    """The name the pool's quotas give its GPUs, so a submission needs no AIHC call."""


def _plain(text: str, limit: int = _LABEL_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or "—"}


def _shell(
    title: str, callback_id: str, meta: FormMeta | None, submit: str | None, lang: Lang
) -> View:
    view: View = {
        "type": "modal",
        "title": _plain(title, _TITLE_MAX),
        "close": _plain(t(lang, "modal.cancel"), _TITLE_MAX),
        "blocks": [],
    }
    if callback_id:
        view["callback_id"] = callback_id
    if meta is not None:
        view["private_metadata"] = meta.model_dump_json()
    if submit:
        view["submit"] = _plain(submit, _TITLE_MAX)
    return view


def loading_view(*, lang: Lang) -> View:
    """Return the view opened at once, while the form's choices are fetched."""
    view = _shell(t(lang, "modal.loading"), "", None, None, lang)
    view["blocks"] = [{"type": "section", "text": _plain(t(lang, "modal.loading_text"))}]
    return view


def notice_view(title: str, mrkdwn: str, *, lang: Lang) -> View:
    """Return a view that only says something (a refusal, a stale form)."""
    view = _shell(title, "", None, None, lang)
    view["blocks"] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, 3000)}}
    ]
    return view


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text, 75), "value": value[:150]}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {"action_id": "value", **element},
        "optional": optional,
    }


def _text(block_id: str, label: str, *, optional: bool = False, multiline: bool = False,
          initial: str = "", max_length: int = 3000) -> dict[str, Any]:  # fmt: skip
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline}
    element["max_length"] = max_length
    if initial:
        element["initial_value"] = initial
    return _input(block_id, label, element, optional=optional)


def _number(
    block_id: str, label: str, *, initial: str = "", decimal: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": decimal}
    if initial:
        element["initial_value"] = initial
    return _input(block_id, label, element, optional=True)


def _select(block_id: str, label: str, options: Sequence[tuple[str, str]], *,
            initial: str = "") -> dict[str, Any] | None:  # fmt: skip
    built = [_option(text, value) for text, value in options[:MAX_OPTIONS]]
    if not built:
        return None
    element: dict[str, Any] = {"type": "static_select", "options": built}
    chosen = [o for o in built if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return _input(block_id, label, element, optional=True)


def _checkboxes(block_id: str, label: str, options: Sequence[tuple[str, str]],
                initial: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
    built = [_option(text, value) for text, value in options]
    element: dict[str, Any] = {"type": "checkboxes", "options": built}
    chosen = [o for o in built if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return _input(block_id, label, element, optional=True)


def _quota_gpu_names(queues: Sequence[Queue]) -> list[str]:
    return sorted(
        {
            name
            for queue in queues
            for quota in (queue.capability, queue.deserved, queue.guarantee)
            for name in quota
            if "gpu" in name.lower() and "/" in name
        }
    )


def gpu_resources(pool: Pool, queues: Sequence[Queue]) -> list[str]:
    """Return the pool's GPU resource names, the most plentiful first.

    From the pool's `status.gpuDetail[].gpuDescriptor` (Go: services/aihc/api/v1/
    resourcePool.go:57,69-73). Baidu's clients use the descriptor as the resource name itself
    (`baidu.com/a800_80g_cgpu`: the aihc CLI says to fill a GPU resource "按照百度的资源描述符",
    aihc_cli_py/create_job_request.py:199-200, and lists every Baidu GPU as `baidu.com/<type>`,
    aihc_cli_py/resourcepool_queue.py:8-24); a bare descriptor takes the name a queue quota gives
    it, else `baidu.com/` before it. A pool without `gpuDetail` (the v1 document's) falls back to
    the names its queues' quotas use: a guess, and the only one left.
    """
    quota_names = _quota_gpu_names(queues)
    names: list[str] = []
    for detail in sorted(pool.gpu_details, key=lambda d: (-d.total, d.descriptor)):
        name = detail.descriptor
        if "/" not in name:
            named = [n for n in quota_names if n.rsplit("/", 1)[-1] == name]
            name = named[0] if named else f"baidu.com/{name}"
        if name not in names:
            names.append(name)
    return names or quota_names


def gpu_choices(
    pool: Pool, queues: Sequence[Queue], nodes: Sequence[Node]
) -> list[tuple[str, str]]:
    """Return (label, resource name) for each GPU resource of the pool."""
    types = sorted({node.gpu_type for node in nodes if node.gpu_type})
    names = gpu_resources(pool, queues)
    hint = f" ({', '.join(types)})" if len(types) == 1 else ""
    return [(f"{name}{hint}", name) for name in names]


def job_view(
    pool: Pool, queues: Sequence[Queue], nodes: Sequence[Node], meta: FormMeta, *, lang: Lang
) -> View:
    """Return the job form for a pool: its queues and GPU types offered as choices."""
    view = _shell(
        t(lang, "modal.job.title"), CallbackId.JOB_CREATE.value, meta, t(lang, "modal.create"), lang
    )

    def label(field: str) -> str:
        return t(lang, f"modal.job.{field}")

    queue_options = [(q.name, q.name) for q in queues if not q.is_root]
    priorities = [(t(lang, f"priority.{p.value}"), p.value) for p in Priority]
    intro = msg(lang, "modal.job.intro", pool=pool.name or pool.id)
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
        _text("name", label("name"), max_length=63),
        _text("image", label("image"), max_length=500),
        _text("command", label("command"), multiline=True),
        _number("replicas", label("replicas"), initial="1"),
        _select("gpu_type", label("gpu_type"), gpu_choices(pool, queues, nodes)),
        _number("gpus", label("gpus")),
        _number("cpu", label("cpu")),
        _number("memory", label("memory")),
        _select("queue", label("queue"), queue_options),
        _select("priority", label("priority"), priorities, initial=Priority.NORMAL.value),
        _text("pfs", label("pfs"), optional=True, max_length=128),
        _text("mount", label("mount"), optional=True, max_length=256),
        _text("envs", label("envs"), optional=True, multiline=True),
        _text("labels", label("labels"), optional=True, multiline=True),
        _checkboxes("options", label("options"), [(label(o), o) for o in OPTIONS]),
        _number("hang_minutes", label("hang_minutes")),
        _number("restart_limit", label("restart_limit")),
        _text("fault_patterns", label("fault_patterns"), optional=True, multiline=True),
    ]
    view["blocks"] = [b for b in blocks if b is not None]
    return view


def _amount(queue: Queue | None, kind: str, resource: str, gpu: str) -> str:
    if queue is None:
        return ""
    quota = getattr(queue, kind)
    raw = quota.get(gpu if resource == "gpu" else resource)
    if resource == "memory":
        value = memory_gib(raw)  # GiB, as the form asks and sends it
    else:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = None
    if value is None or not math.isfinite(value):
        return ""
    return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0")


def queue_view(
    meta: FormMeta, queue: Queue | None, gpu: str, *, pool_name: str, lang: Lang
) -> View:
    """Return the queue form: empty to create, filled with the queue's settings to update."""
    callback = CallbackId.QUEUE_UPDATE if queue else CallbackId.QUEUE_CREATE
    title = t(lang, "modal.queue.update_title" if queue else "modal.queue.create_title")
    submit = t(lang, "modal.save" if queue else "modal.create")
    view = _shell(title, callback.value, meta, submit, lang)
    intro = msg(lang, "modal.queue.intro", queue=meta.queue, pool=pool_name)
    blocks: list[dict[str, Any] | None] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}}
    ]
    for kind in QUOTA_KINDS:
        for resource in QUOTA_RESOURCES:
            label = t(
                lang,
                "modal.queue.quota",
                resource=t(lang, f"resource.{resource}"),
                kind=t(lang, f"quota.{kind}"),
            )
            initial = _amount(queue, kind, resource, gpu)
            blocks.append(_number(f"{kind}_{resource}", label, initial=initial, decimal=True))
    chosen = []
    if queue is not None and queue.disable_oversell is False:
        chosen.append("oversell")
    if queue is not None and queue.reclaimable:
        chosen.append("reclaimable")
    options = [(t(lang, f"modal.queue.{o}"), o) for o in ("oversell", "reclaimable")]
    blocks.append(_checkboxes("options", t(lang, "modal.queue.options"), options, chosen))
    strategies = [(s, s) for s in STRATEGIES]
    initial = queue.queueing_strategy if queue else ""
    blocks.append(_select("strategy", t(lang, "modal.queue.strategy"), strategies, initial=initial))
    view["blocks"] = [b for b in blocks if b is not None]
    return view
