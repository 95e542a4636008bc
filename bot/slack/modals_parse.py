"""Read job and queue forms (and a job's JSON spec) into specs, or into errors per field.

An error is a catalogue key with its parameters, keyed by the form's block id, so the modal can
show it under the field it concerns (`ack(response_action="errors")`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.domain import (
    Datasource,
    EnvVar,
    FaultToleranceConfig,
    JobSpec,
    Priority,
    QueueSpec,
    Resource,
)

Problem = tuple[str, dict[str, object]]
"""A catalogue key and its parameters."""

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,62}$")
_RESOURCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,63}$")
_MAX_PAIRS = 50
_MAX_PATTERNS = 20
_PATTERN_MAX = 256
STRATEGIES = ("StrictFIFO", "BestEffortFIFO")
QUOTA_KINDS = ("deserved", "guarantee", "capability")
QUOTA_RESOURCES = ("gpu", "cpu", "memory")
JOB_FIELDS = (
    "name", "image", "command", "replicas", "gpu_type", "gpus", "cpu", "memory", "queue",
    "priority", "pfs", "mount", "envs", "labels", "options", "hang_minutes", "restart_limit",
    "fault_patterns",
)  # fmt: skip
OPTIONS = ("rdma", "fault_tolerance", "hang_detection")


class FormErrors(Exception):
    """Some fields are wrong; `problems` maps each field to what to say under it."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def _text(values: Mapping[str, Any], field: str) -> str:
    value = values.get(field)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else "\x00"


class _Reader:
    """Collect every field's problem at once, so one submission shows them all."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.problems: dict[str, Problem] = {}

    def text(self, field: str, *, high: int, required: bool = True, line: bool = True) -> str:
        value = _text(self.values, field)
        if not value and required:
            self.problems[field] = ("invalid.required", {})
        elif len(value) > high or "\x00" in value or (line and "\n" in value):
            self.problems[field] = ("invalid.text", {"max": high})
        return value

    def pattern(self, field: str, pattern: re.Pattern[str], key: str, *, required: bool) -> str:
        value = _text(self.values, field)
        if (value or required) and not pattern.match(value):
            self.problems[field] = (key, {})
        return value

    def number(self, field: str, low: int, high: int, default: int | None = None) -> int | None:
        value = _text(self.values, field)
        if not value:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            self.problems[field] = ("invalid.number", {"low": low, "high": high})
            return None
        return int(value)

    def quantity(self, field: str, high: float) -> float | None:
        value = _text(self.values, field)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= high or number != number:
            self.problems[field] = ("invalid.quantity", {"high": int(high)})
            return None
        return number

    def pairs(self, field: str, key_pattern: re.Pattern[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        raw = self.values.get(field)
        if isinstance(raw, Mapping):  # the JSON form: an object
            lines = [f"{k}={v}" for k, v in raw.items()]
        else:
            lines = _text(self.values, field).splitlines()
        for number, line in enumerate(lines, start=1):
            name, equals, value = line.strip().partition("=")
            if not line.strip():
                continue
            bad = not equals or not key_pattern.match(name.strip()) or len(value) > 4096
            if bad or len(found) >= _MAX_PAIRS:
                self.problems[field] = ("invalid.lines", {"line": number})
                break
            found[name.strip()] = value.strip()
        return found

    def lines(self, field: str, *, most: int, high: int) -> tuple[str, ...]:
        raw = self.values.get(field)
        if isinstance(raw, list):  # the JSON form: a list of strings
            items = [item if isinstance(item, str) else "\x00" for item in raw]
        else:
            items = _text(self.values, field).splitlines()
        found = tuple(item.strip() for item in items if item.strip())
        if len(found) > most or any(len(i) > high or "\x00" in i for i in found):
            self.problems[field] = ("invalid.text", {"max": high})
        return found

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        value = _text(self.values, field)
        if value and value not in allowed:
            self.problems[field] = ("invalid.choice", {})
        return value

    def flags(self, field: str, allowed: tuple[str, ...]) -> set[str]:
        raw = self.values.get(field) or []
        chosen = {str(item) for item in raw} if isinstance(raw, list) else {"\x00"}
        if not chosen <= set(allowed):
            self.problems[field] = ("invalid.choice", {})
        return chosen & set(allowed)


def job_spec(values: Mapping[str, Any]) -> JobSpec:
    """Build a job spec from form or JSON values; raise FormErrors naming each bad field."""
    read = _Reader(values)
    name = read.pattern("name", _NAME, "invalid.name", required=True)
    image = read.text("image", high=500)
    command = read.text("command", high=10_000, line=False)
    replicas = read.number("replicas", 1, 512, default=1) or 1
    gpu_type = read.pattern("gpu_type", _RESOURCE, "invalid.choice", required=False)
    gpus = read.number("gpus", 0, 16) or 0
    cpu = read.number("cpu", 0, 1024)
    memory = read.number("memory", 0, 8192)
    queue = read.pattern("queue", _NAME, "invalid.choice", required=False)
    priority = read.choice("priority", tuple(p.value for p in Priority))
    pfs = read.text("pfs", high=128, required=False)
    mount = read.text("mount", high=256, required=False)
    envs = read.pairs("envs", _ENV)
    labels = read.pairs("labels", _LABEL)
    options = read.flags("options", OPTIONS)
    hang = read.number("hang_minutes", 1, 1440)
    limit = read.number("restart_limit", 0, 100)
    patterns = read.lines("fault_patterns", most=_MAX_PATTERNS, high=_PATTERN_MAX)
    if gpus and not gpu_type and "gpu_type" not in read.problems:
        read.problems["gpu_type"] = ("invalid.gpu_type", {})
    if (pfs or mount) and not mount.startswith("/") and "mount" not in read.problems:
        read.problems["mount"] = ("invalid.mount", {})
    if read.problems:
        raise FormErrors(read.problems)
    return _build_job(
        JobSpec(name=name, image=image, command=command, replicas=replicas, queue=queue or None),
        priority=priority, gpu_type=gpu_type, amounts=(gpus, cpu or 0, memory or 0),
        envs=envs, labels=labels, datasource=(pfs, mount), options=options,
        tolerance=_tolerance(options, hang, limit, patterns),
    )  # fmt: skip


def _tolerance(
    options: set[str], hang: int | None, limit: int | None, patterns: tuple[str, ...]
) -> FaultToleranceConfig | None:
    # A hang timeout given without ticking hang detection still means hang detection: dropping
    # it silently is what this config used to suffer on the wire.
    detect = "hang_detection" in options or hang is not None
    if not detect and limit is None and not patterns:
        return None
    return FaultToleranceConfig(
        enable_hang_detection=detect,
        hang_detection_timeout_minutes=hang,
        fault_tolerance_limit=limit,
        custom_patterns=patterns,
    )


def _build_job(
    base: JobSpec,
    *,
    priority: str,
    gpu_type: str,
    amounts: tuple[int, int, int],
    envs: dict[str, str],
    labels: dict[str, str],
    datasource: tuple[str, str],
    options: set[str],
    tolerance: FaultToleranceConfig | None,
) -> JobSpec:
    gpus, cpu, memory = amounts
    resources = [Resource(name=gpu_type, quantity=gpus)] if gpus else []
    resources += [Resource(name="cpu", quantity=cpu)] if cpu else []
    resources += [Resource(name="memory", quantity=memory)] if memory else []
    pfs, mount = datasource
    return base.model_copy(
        update={
            "priority": Priority(priority) if priority else None,
            "resources": tuple(resources),
            "envs": tuple(EnvVar(name=k, value=v) for k, v in envs.items()),
            "labels": labels,
            "datasources": (Datasource(type="pfs", name=pfs, mount_path=mount),) if pfs else (),
            "enable_rdma": "rdma" in options,
            "fault_tolerance": "fault_tolerance" in options or tolerance is not None,
            "fault_tolerance_config": tolerance,
        }
    )


def job_spec_from_json(text: str) -> tuple[JobSpec, str | None]:
    """Read a JSON job spec (form field names, plus an optional `pool`); return it and the pool.

    Raises FormErrors with the problems, or with `spec` when the text is not a JSON object.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FormErrors({"spec": ("action.create.use_form", {})}) from None
    if not isinstance(data, dict) or set(data) - {*JOB_FIELDS, "pool", *OPTIONS}:
        raise FormErrors({"spec": ("action.create.use_form", {})})
    flags = [name for name in OPTIONS if data.pop(name, False) is True]
    if flags:
        data["options"] = [*(data.get("options") or []), *flags]
    pool = data.pop("pool", None)
    if pool is not None and (not isinstance(pool, str) or not 0 < len(pool) <= 253):
        raise FormErrors({"pool": ("invalid.choice", {})})
    return job_spec(data), pool


def queue_spec(values: Mapping[str, Any], *, name: str, gpu_resource: str) -> QueueSpec:
    """Build a queue spec from the queue form; `gpu` becomes the pool's GPU resource name.

    Memory stays in GiB: AIHC's queue quotas count it so (`bot.domain.quantity`).
    """
    read = _Reader(values)
    quotas: dict[str, dict[str, float]] = {kind: {} for kind in QUOTA_KINDS}
    for kind in QUOTA_KINDS:
        for resource in QUOTA_RESOURCES:
            amount = read.quantity(f"{kind}_{resource}", 1_000_000)
            if amount is not None:
                quotas[kind][resource] = amount
    for resource in QUOTA_RESOURCES:
        _check_order(read, quotas, resource)
    options = read.flags("options", ("oversell", "reclaimable"))
    strategy = read.choice("strategy", STRATEGIES)
    if read.problems:
        raise FormErrors(read.problems)
    names = {"gpu": gpu_resource, "cpu": "cpu", "memory": "memory"}
    aihc = {kind: {names[r]: v for r, v in quota.items()} or None for kind, quota in quotas.items()}
    return QueueSpec(
        name=name,
        deserved=aihc["deserved"],
        guarantee=aihc["guarantee"],
        capability=aihc["capability"],
        disable_oversell="oversell" not in options,
        reclaimable="reclaimable" in options,
        queueing_strategy=strategy or None,
    )


def _check_order(read: _Reader, quotas: dict[str, dict[str, float]], resource: str) -> None:
    guarantee = quotas["guarantee"].get(resource)
    deserved = quotas["deserved"].get(resource)
    capability = quotas["capability"].get(resource)
    if guarantee is not None and deserved is not None and guarantee > deserved:
        read.problems[f"guarantee_{resource}"] = ("invalid.quota_order", {})
    if deserved is not None and capability is not None and deserved > capability:
        read.problems[f"deserved_{resource}"] = ("invalid.quota_order", {})
