"""Turning a job create request into a simulated job, validated as AIHC validates it."""

from __future__ import annotations

import random
import re

from bot.domain import JobFramework, Priority
from bot.simulator.admission import submit
from bot.simulator.errors import inappropriate
from bot.simulator.factory import CREATOR_LABEL, place_pods
from bot.simulator.ids import uuid_from, v2_job_id
from bot.simulator.lifecycle import OUTCOMES, plan_job
from bot.simulator.model import Job, Pool
from bot.simulator.quantity import quantity_number
from bot.simulator.world import World

OUTCOME_LABEL = "aihc-sim/outcome"
"""A label that picks how a created job ends (`succeeded`, `cuda_oom`, ...): tests rely on it."""

# Baidu's Go SDK, services/aihc/api/v1/aiJob.go:213-218 (OpenAPIJobFaultToleranceConfig): the
# keys and types AIHC reads; any other key is ignored, as a JSON decoder into that struct would.
_TOLERANCE_KEYS: dict[str, type | tuple[type, ...]] = {
    "enabledHangDetection": bool,
    "hangDetectionTimeoutMinutes": int,
    "faultToleranceLimit": int,
    "customFaultTolerancePattern": list,
}
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_OUTCOMES = ("succeeded", "running", "cuda_oom", "nccl_timeout", "python_error")
_WEIGHTS = (6, 1, 1, 1, 1)


def _labels(raw: object) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, list) and all(isinstance(i, dict) and "key" in i for i in raw):
        return {str(i["key"]): str(i.get("value", "")) for i in raw}
    raise inappropriate("labels must be a list of {key, value}")


def _spec(body: dict[str, object]) -> dict[str, object]:
    spec = body.get("jobSpec")
    if not isinstance(spec, dict):
        raise inappropriate("jobSpec is required")
    if not isinstance(spec.get("image"), str) or not spec["image"]:
        raise inappropriate("jobSpec.image is required")
    replicas = spec.get("replicas", 1)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or not 1 <= replicas <= 64:
        raise inappropriate("jobSpec.replicas must be an integer from 1 to 64")
    resources = spec.get("resources", [])
    if not isinstance(resources, list) or not all(
        isinstance(r, dict)
        and isinstance(r.get("name"), str)
        and quantity_number(r.get("quantity", 0)) is not None
        for r in resources
    ):
        raise inappropriate("jobSpec.resources must be a list of {name, quantity}")
    return spec


def job_from_request(
    world: World, pool: Pool, body: dict[str, object], now: float, *, v2_id: bool = False
) -> Job:
    """Build and plan the job a create request asks for; raise `ApiError` on a bad request.

    `v2_id` names the job as AIHC API v2 does (`job-oeqpsJhwqq3k`) instead of v1's
    `pytorchjob-<uuid>`.
    """
    name = body.get("name")
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > 50:
        raise inappropriate("name must be 1-50 lower-case letters, digits or '-'")
    spec = _spec(body)
    framework = JobFramework.parse(str(body.get("jobFramework") or "PyTorchJob"))
    priority = Priority.parse(str(body.get("priority") or "normal"))
    if framework is None or priority is None:
        raise inappropriate(
            "jobFramework must be PyTorchJob or MPIJob; priority high, normal or low"
        )
    labels = _labels(body.get("labels"))
    seq = world.next_seq()
    rng = random.Random(f"{world.seed}/job/{seq}")
    outcome = labels.get(OUTCOME_LABEL) or rng.choices(_OUTCOMES, _WEIGHTS)[0]
    if outcome not in OUTCOMES:
        raise inappropriate(f"{OUTCOME_LABEL} must be one of {', '.join(OUTCOMES)}")
    gpus, gpu_resource = _gpus(spec, pool)
    prefix = "mpijob" if framework is JobFramework.MPI else "pytorchjob"
    v1_id = f"{prefix}-{uuid_from(rng)}"
    job = Job(
        id=v2_job_id(v1_id) if v2_id else v1_id,
        name=name,
        pool_id=pool.id,
        queue=str(body.get("queue") or "default"),
        framework=framework,
        created_at=now,
        seq=seq,
        image=str(spec["image"]),
        command=str(spec.get("command") or ""),
        replicas=int(str(spec.get("replicas", 1))),
        gpus_per_replica=gpus,
        gpu_resource=gpu_resource,
        priority=priority.value,
        outcome=outcome,
        fault_tolerance=body.get("faultTolerance") is True,
        enable_rdma=spec.get("enableRDMA") is True,
        enable_bccl=body.get("enableBccl") is True,
        step_seconds=round(rng.uniform(2.5, 6.0), 2),
    )
    _finish(job, body, spec, labels)
    place_pods(job, pool, rng)
    plan_job(job, rng)
    submit(world, job, now)
    return job


def _gpus(spec: dict[str, object], pool: Pool) -> tuple[int, str]:
    resources = spec.get("resources", [])
    listed = [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []
    for resource in listed:
        if "gpu" in str(resource.get("name", "")).lower():
            return int(quantity_number(resource.get("quantity", 0)) or 0), str(resource["name"])
    return 0, pool.gpu_resource


def _finish(
    job: Job, body: dict[str, object], spec: dict[str, object], labels: dict[str, str]
) -> None:
    job.labels = {
        "aijob.cce.baidubce.com/create-from-aihcp-api": "true",
        "aijob.cce.baidubce.com/openapi-jobid": job.id,
        CREATOR_LABEL: labels.pop(CREATOR_LABEL, "aihc-sim-user"),
        **labels,
    }
    resources = spec.get("resources")
    job.resources = (
        [dict(r) for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []
    )
    image_config = spec.get("imageConfig")
    if isinstance(image_config, dict):
        # AIHC echoes the pull secret back inside the raw-request annotation; so does this.
        job.pull_password = str(image_config.get("password") or "")
    envs = spec.get("envs")
    job.envs = [e for e in envs if isinstance(e, dict)] if isinstance(envs, list) else []
    sources = body.get("datasources")
    listed = sources if isinstance(sources, list) else []
    job.datasources = [d for d in listed if isinstance(d, dict)]
    job.fault_tolerance_config = _tolerance(body.get("faultToleranceConfig"))


def _tolerance(raw: object) -> dict[str, object]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise inappropriate("faultToleranceConfig must be an object")
    known = {key: raw[key] for key in _TOLERANCE_KEYS if raw.get(key) is not None}
    for key, value in known.items():
        kind = _TOLERANCE_KEYS[key]
        wrong_int = kind is int and isinstance(value, bool)
        if wrong_int or not isinstance(value, kind):
            raise inappropriate(f"faultToleranceConfig.{key} has the wrong type")
    patterns = known.get("customFaultTolerancePattern")
    if isinstance(patterns, list) and not all(isinstance(p, str) for p in patterns):
        raise inappropriate("faultToleranceConfig.customFaultTolerancePattern must be strings")
    return known
