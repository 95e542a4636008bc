"""Makers of pools, queues and jobs that look like a real team's, drawn from a seeded generator."""

from __future__ import annotations

import random

from bot.domain import ROOT_QUEUE_NAME, JobFramework
from bot.simulator.ids import short_id, uuid_from
from bot.simulator.model import Job, Node, Pool, Queue
from bot.simulator.world import World

USERS = ("zhanghuan12", "weibingcheng", "liuyang", "chenjing", "wangfang", "lixiaoming")
MODELS = ("llama2-7b", "llama2-13b", "qwen-14b", "baichuan2-13b", "mixtral-8x7b", "gpt3-1p3b")
MEGATRON_IMAGE = (
    "registry.baidubce.com/aihc-aiak/aiak-megatron:"
    "ubuntu20.04-cu11.8-torch1.14.0-py38_v1.2.7.12_release"
)
PYTORCH_IMAGE = "registry.baidubce.com/cce-ai-native/pytorch:23.10-py3"
MEGATRON_COMMAND = (
    "bash /workspace/Megatron-LM/examples/pretrain_llama.sh "
    "--train-iters 500000 --global-batch-size 128 --seq-length 4096"
)
PYTORCH_COMMAND = (
    "python -m torch.distributed.run /workspace/examples/imagenet.py --arch=resnet50 "
    "--epochs=90 --batch-size=256 /mnt/cluster/datasets/imagenet"
)
CREATOR_LABEL = "aijob.cce.baidubce.com/ai-user-name"


def make_pool(
    rng: random.Random, *, name: str, nodes: int, gpu: str, created_at: float, busy: float
) -> Pool:
    """Make a pool of `nodes` 8-GPU nodes of type `gpu` (e.g. `a800`), `busy` of them allocated."""
    pool_id = short_id(rng, "cce-")
    resource = f"baidu.com/{gpu}_80g_cgpu"
    pool = Pool(pool_id, name, created_at, resource, pfs_id=short_id(rng, "pfs-", 6))
    pool.created_by = rng.choice(USERS)
    pool.cprom_ids = [short_id(rng, "cprom-", 13)]
    for i in range(nodes):
        allocated = 8 if i < round(nodes * busy) else 0
        node = Node(
            f"192.168.{rng.randint(0, 31)}.{rng.randint(2, 254)}",
            short_id(rng, f"{pool_id}-"),
            f"nTesla{gpu.upper()}-80G",
            8,
            allocated,
        )
        pool.nodes.append(node)
    if nodes > 2:
        # A real pool usually has a cordoned node; lists must show it as AIHC does.
        pool.nodes[-1].status_phase = "ready_scheduling_disabled"
        pool.nodes[-1].intervention = "cordoned"
    return pool


def base_queues(pool: Pool, created_at: float) -> list[Queue]:
    """The queues every pool has: the md5("root") root (its own parent) and `default`."""
    root = Queue(ROOT_QUEUE_NAME, pool.id, created_at, ROOT_QUEUE_NAME, reclaimable=True)
    gpus = sum(n.gpu_total for n in pool.nodes)
    root.capability = {"cpu": str(len(pool.nodes) * 128), pool.gpu_resource: str(gpus)}
    default = Queue("default", pool.id, created_at + 4, ROOT_QUEUE_NAME, queue_type="Elastic")
    default.reclaimable = True
    return [root, default]


def team_queue(pool: Pool, name: str, created_at: float, gpus: int) -> Queue:
    """Make a regular queue with a GPU quota."""
    queue = Queue(name, pool.id, created_at, ROOT_QUEUE_NAME, description=f"{name} team queue")
    # Queue memory quotas are GiB, as the document's examples read them back ("10").
    queue.deserved = {"cpu": str(gpus * 16), "memory": str(gpus * 16)}
    queue.deserved[pool.gpu_resource] = str(gpus)
    queue.capability = dict(queue.deserved)
    return queue


def make_job(
    world: World,
    pool: Pool,
    rng: random.Random,
    *,
    name: str,
    queue: str,
    created_at: float,
    outcome: str,
    megatron: bool = True,
    framework: JobFramework = JobFramework.PYTORCH,
    replicas: int = 2,
    fault_tolerance: bool = False,
) -> Job:
    """Make a job (without its plan) on `pool`, its pods spread over the pool's GPU nodes."""
    prefix = "mpijob" if framework is JobFramework.MPI else "pytorchjob"
    job_id = f"{prefix}-{uuid_from(rng)}"
    job = Job(
        id=job_id,
        name=name,
        pool_id=pool.id,
        queue=queue,
        framework=framework,
        created_at=created_at,
        seq=world.next_seq(),
        image=MEGATRON_IMAGE if megatron else PYTORCH_IMAGE,
        command=MEGATRON_COMMAND if megatron else PYTORCH_COMMAND,
        replicas=replicas,
        gpus_per_replica=8,
        gpu_resource=pool.gpu_resource,
        outcome=outcome,
        fault_tolerance=fault_tolerance,
        step_seconds=round(rng.uniform(2.5, 6.0), 2),
    )
    job.labels = {
        "aijob.cce.baidubce.com/create-from-aihcp-api": "true",
        "aijob.cce.baidubce.com/openapi-jobid": job_id,
        CREATOR_LABEL: rng.choice(USERS),
    }
    job.envs = [{"name": "CUDA_DEVICE_MAX_CONNECTIONS", "value": "1"}]
    job.datasources = [{"type": "pfs", "name": pool.pfs_id, "mountPath": "/mnt/cluster"}]
    place_pods(job, pool, rng)
    return job


def place_pods(job: Job, pool: Pool, rng: random.Random) -> None:
    """Pick a node and an IP for each of the job's pods."""
    usable = [n.name for n in pool.nodes if n.status_phase == "running"] or ["192.168.0.2"]
    count = len(job.pod_names)
    job.pod_nodes = [rng.choice(usable) for _ in range(count)]
    job.pod_ips = [f"10.11.{rng.randint(0, 255)}.{rng.randint(2, 254)}" for _ in range(count)]


def job_name(rng: random.Random, serial: int) -> str:
    """Name a job the way people do: model, task and a serial number."""
    task = rng.choice(("pretrain", "sft", "dpo", "eval", "ablation"))
    return f"{rng.choice(MODELS)}-{task}-{serial}"
