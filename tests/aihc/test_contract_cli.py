"""Contract: what we send AIHC against what Baidu's own `aihc` CLI 1.1.1 sends for the same job.

The CLI's `job submit` runs for real (its argument parser, its request classes, its body); only
its two exits to the outside world are replaced: the HTTP call (`send_request`, recorded here)
and the reads of `~/.aihc/config` and the pool list. Field names, nesting and units must agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aihc_cli_py import job as cli_job
from aihc_cli_py.create_job_request import FaultToleranceConfig as CliTolerance
from aihc_cli_py.runner import get_parser

from bot.aihc.convert import queue_body
from bot.aihc.convert_jobs import job_body
from bot.domain import (
    Datasource,
    EnvVar,
    FaultToleranceConfig,
    JobSpec,
    Priority,
    Resource,
    memory_gib,
)
from bot.slack.modals_parse import queue_spec

GPU = "baidu.com/a800_80g_cgpu"  # the one GPU the CLI knows for jobs (aihc_cli_py/job.py:42-46)
# Keys we send that the CLI does not, each sent by Baidu's Go SDK (services/aihc/api/v1/aiJob.go):
# faultToleranceConfig (:170; the CLI builds it but leaves it out of its body,
# create_job_request.py:356) and enableBccl (:177).
GO_ONLY = {"faultToleranceConfig", "enableBccl"}
FIXTURES = Path(__file__).parent.parent / "fixtures" / "aihc"

ARGV = [
    "job", "submit", "--pool", "llm-a800-pool", "--queue", "llm-sft", "--name", "llama-sft",
    "--framework", "pytorch", "--image", "registry.baidubce.com/aihc/train:1.0",
    "--command", "python train.py", "--env", "EPOCHS=3", "--workers", "2", "--gpu", "8",
    "--cpu", "32", "--memory", "256", "--rdma", "yes", "--data", "pfs-1",
    "--data-dir", "/mnt/data", "--label", "team=nlp", "--priority", "high",
    "--faulttolerance", "yes", "--hangdetection", "yes", "--hangtimeout", "30",
    "--faulttolerancelimit", "3",
]  # fmt: skip

OURS = JobSpec(
    name="llama-sft",
    image="registry.baidubce.com/aihc/train:1.0",
    command="python train.py",
    replicas=2,
    queue="llm-sft",
    priority=Priority.HIGH,
    resources=(
        Resource(name=GPU, quantity=8),
        Resource(name="cpu", quantity=32),
        Resource(name="memory", quantity=256),
    ),
    envs=(EnvVar(name="EPOCHS", value="3"),),
    labels={"team": "nlp"},
    datasources=(Datasource(type="pfs", name="pfs-1", mount_path="/mnt/data"),),
    enable_rdma=True,
    fault_tolerance=True,
    fault_tolerance_config=FaultToleranceConfig(
        enable_hang_detection=True, hang_detection_timeout_minutes=30, fault_tolerance_limit=3
    ),
)


@pytest.fixture
def cli_body(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run the CLI's job submit for ARGV and return the JSON body it would have sent."""
    sent: list[tuple[str, str, Any]] = []

    def send_request(url: str, method: str, ak: str, sk: str, **kwargs: Any) -> Any:
        sent.append((method, url, kwargs.get("json")))
        return {"result": {"jobName": "llama-sft", "jobId": "pytorchjob-1"}}

    monkeypatch.setattr(cli_job, "send_request", send_request)
    monkeypatch.setattr(cli_job, "get_ak_sk", lambda _file: ("ak", "sk", "aihc.example"))
    monkeypatch.setattr(cli_job, "get_username_password", lambda _file: (None, None))
    monkeypatch.setattr(cli_job, "get_pool_id_by_name", lambda _name: "cce-1")
    cli_job.create_job(get_parser().parse_args(ARGV))
    [(method, url, body)] = sent
    assert (method, url) == ("post", "http://aihc.example/api/v1/aijobs?resourcePoolId=cce-1")
    # Through JSON, as it goes on the wire.
    parsed: dict[str, Any] = json.loads(json.dumps(body))
    return parsed


def _said(values: dict[str, Any]) -> set[str]:
    # Keys the CLI gives a value; it also sends nulls and falses for what it was not told.
    return {key for key, value in values.items() if value not in (None, False, [], "")}


def test_the_top_level_and_job_spec_keys_agree(cli_body: dict[str, Any]) -> None:
    ours = job_body(OURS)
    assert _said(cli_body) <= set(ours)
    assert set(ours) - set(cli_body) <= GO_ONLY
    assert _said(cli_body["jobSpec"]) <= set(ours["jobSpec"]) <= set(cli_body["jobSpec"])
    for key in ("name", "queue", "priority", "jobFramework", "faultTolerance"):
        assert ours[key] == cli_body[key], key
    for key in ("command", "image", "replicas", "enableRDMA"):
        assert ours["jobSpec"][key] == cli_body["jobSpec"][key], key


def test_lists_carry_the_same_item_keys_and_values(cli_body: dict[str, Any]) -> None:
    ours = job_body(OURS)
    assert ours["jobSpec"]["envs"] == cli_body["jobSpec"]["envs"]
    assert ours["labels"] == cli_body["labels"]
    assert ours["datasources"] == cli_body["datasources"]


def test_resources_have_the_same_names_and_units(cli_body: dict[str, Any]) -> None:
    theirs = {r["name"]: r["quantity"] for r in cli_body["jobSpec"]["resources"]}
    ours = {r["name"]: r["quantity"] for r in job_body(OURS)["jobSpec"]["resources"]}
    assert set(ours) == set(theirs) - {"rdma/hca"}  # the CLI asks for an RDMA card itself
    assert (ours[GPU], ours["cpu"]) == (theirs[GPU], theirs["cpu"])
    # The CLI writes job memory as "256GB" (job.py:55-59); we send the number of GB, as Go's
    # float64 quantity does (aiJob.go:57-60): the same amount in the same unit.
    assert re.fullmatch(r"256(\.0)?GB", str(theirs["memory"]))
    assert memory_gib(theirs["memory"]) == ours["memory"] == 256


def test_fault_tolerance_uses_the_clis_and_gos_keys() -> None:
    ours = job_body(OURS)["faultToleranceConfig"]
    theirs = CliTolerance(
        enabled_hang_detection=True, fault_tolerance_limit=3, hang_detection_timeout_minutes=30
    ).to_dict()
    assert ours == theirs
    with_patterns = OURS.model_copy(
        update={
            "fault_tolerance_config": FaultToleranceConfig(custom_patterns=("NCCL timeout",)),
        }
    )
    # The fourth key is Go's alone (aiJob.go:217): a list of strings.
    tolerance = job_body(with_patterns)["faultToleranceConfig"]
    assert tolerance["customFaultTolerancePattern"] == ["NCCL timeout"]


def test_queue_memory_goes_out_in_gib_as_the_documents_example() -> None:
    # The CLI has no queue create (aihc_cli_py/resourcepool_queue.py only lists and gets); the v1
    # document's create example is the reference: `memory` 20 for 20 GiB.
    example = json.loads((FIXTURES / "queue_create_request.json").read_text())
    spec = queue_spec({"deserved_memory": "20"}, name="demo", gpu_resource=GPU)
    assert queue_body(spec, include_name=True)["deserved"]["memory"] == 20
    assert example["deserved"]["memory"] == 20
