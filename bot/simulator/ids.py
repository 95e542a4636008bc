"""Identifiers drawn from the world's seeded random generator, never from the global one."""

from __future__ import annotations

import hashlib
import random
import uuid

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def short_id(rng: random.Random, prefix: str, length: int = 8) -> str:
    """Return an id like `cce-9c2b8j9n`."""
    return prefix + "".join(rng.choice(_ALNUM) for _ in range(length))


def uuid_from(rng: random.Random) -> str:
    """Return a version-4 shaped UUID string drawn from `rng`."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def unit_noise(*parts: object) -> float:
    """Return a value in [0, 1) fixed by `parts`, the same in every process (no salted hash)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


_V2_JOB_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def v2_job_id(v1_id: str) -> str:
    """Return the id AIHC API v2 would give a job, like `job-oeqpsJhwqq3k`, fixed by its v1 id.

    Drawn from the v1 id rather than the world's generator, so a job's life is the same whichever
    API created it.
    """
    rng = random.Random(v1_id)
    return "job-" + "".join(rng.choice(_V2_JOB_CHARS) for _ in range(12))
