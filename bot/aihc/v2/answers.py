"""What AIHC v2 answers and what a v2 CreateJob sends, in v1's wire shapes.

The live v2 job answers' shapes beyond `jobId`, `jobs` and `totalCount` are unverified: no
Baidu SDK types them (the Python SDK reads untyped `Expando` objects), so they are read as v1's
job shapes without the `result` wrapper, as the simulator serves them
(`bot/simulator/routes_v2_jobs.py`).
"""

from __future__ import annotations

from typing import Any

from bot.aihc import convert_jobs
from bot.aihc.errors import AihcUnavailable
from bot.aihc.transport import Answer
from bot.domain import ApiVersion, JobSpec


def fields(reply: Answer) -> dict[str, Any]:
    """Return an answer's fields: beside `requestId`, or in a `result` object should v2 wrap."""
    result = reply.body.get("result")
    return result if isinstance(result, dict) else reply.body


def job_list_fields(reply: Answer) -> dict[str, Any]:
    """Return a DescribeJobs answer's fields, its `totalCount` as v1's `total`."""
    # v2 counts the jobs in `totalCount` (one of the three fields known, see the module
    # docstring), v1 in `total`; either is read.
    listed = fields(reply)
    if "total" in listed or "totalCount" not in listed:
        return listed
    return {**listed, "total": listed["totalCount"]}


def create_body(spec: JobSpec) -> dict[str, Any]:
    """Serialise a CreateJob body: v1's, the command at the top level, the framework `jobType`.

    As Python sends it (job_client.py:521-543): `command` beside `jobSpec`, `jobType`,
    `labels`, `priority`, `datasources`, `enableBccl`, `faultTolerance`. `queue` stays in the
    body too, though Python puts it in the query alone: v2's CreateJob document lists it as a
    required body field, "the same as queueID" (https://cloud.baidu.com/doc/AIHC/s/Hmayv96tj).
    """
    if spec.fault_tolerance_config is not None:
        # Python names v2's field `faultToleranceArgs` and never types it (job_client.py:480,
        # :536-537); v1's `faultToleranceConfig` shape sent there might be read wrongly.
        raise AihcUnavailable("a fault tolerance config", ApiVersion.V2)
    body = convert_jobs.job_body(spec)
    job_spec = dict(body.pop("jobSpec"))
    command = job_spec.pop("command")
    framework = body.pop("jobFramework")
    return {**body, "jobType": framework, "command": command, "jobSpec": job_spec}
