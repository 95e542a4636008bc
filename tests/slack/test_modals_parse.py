"""Reading the job and queue forms into specs: every field, and every field's error."""

from __future__ import annotations

import pytest

from bot.domain import Priority
from bot.slack.modals_parse import FormErrors, job_spec, job_spec_from_json, queue_spec

BASE = {"name": "train-1", "image": "img:1", "command": "python train.py"}


def problems(values: dict[str, object]) -> dict[str, str]:
    """Return the catalogue key reported under each bad field."""
    with pytest.raises(FormErrors) as caught:
        job_spec(values)
    return {field: key for field, (key, _) in caught.value.problems.items()}


def test_a_full_form_becomes_a_job_spec() -> None:
    spec = job_spec(
        {
            **BASE,
            "replicas": "4",
            "gpu_type": "baidu.com/a800_80g_cgpu",
            "gpus": "8",
            "cpu": "32",
            "memory": "256",
            "queue": "llm-sft",
            "priority": "high",
            "pfs": "pfs-data",
            "mount": "/mnt/data",
            "envs": "EPOCHS=3\n\nLR = 0.1",
            "labels": "team=nlp",
            "options": ["rdma", "hang_detection"],
            "hang_minutes": "30",
        }
    )
    assert spec.replicas == 4
    assert {r.name: r.quantity for r in spec.resources} == {
        "baidu.com/a800_80g_cgpu": 8,
        "cpu": 32,
        "memory": 256,
    }
    assert spec.priority is Priority.HIGH
    assert [(e.name, e.value) for e in spec.envs] == [("EPOCHS", "3"), ("LR", "0.1")]
    assert spec.datasources[0].mount_path == "/mnt/data"
    assert spec.enable_rdma
    assert spec.fault_tolerance
    assert spec.fault_tolerance_config is not None
    assert spec.fault_tolerance_config.hang_detection_timeout_minutes == 30


def test_fault_tolerance_fields_from_the_form_and_from_json() -> None:
    form = job_spec({**BASE, "restart_limit": "3", "fault_patterns": "NCCL timeout\n\n Xid 79 "})
    config = form.fault_tolerance_config
    assert config is not None
    assert form.fault_tolerance
    assert (config.enable_hang_detection, config.fault_tolerance_limit) == (False, 3)
    assert config.custom_patterns == ("NCCL timeout", "Xid 79")
    spec, _ = job_spec_from_json(
        '{"name": "j", "image": "i", "command": "c", "hang_minutes": 30, "fault_patterns": ["OOM"]}'
    )
    assert spec.fault_tolerance_config is not None
    assert spec.fault_tolerance_config.enable_hang_detection  # a timeout means detection
    assert spec.fault_tolerance_config.custom_patterns == ("OOM",)
    too_many = "\n".join(f"p{i}" for i in range(21))
    assert problems({**BASE, "restart_limit": "101", "fault_patterns": too_many}) == {
        "restart_limit": "invalid.number",
        "fault_patterns": "invalid.text",
    }
    assert problems({**BASE, "fault_patterns": ["ok", 7]}) == {"fault_patterns": "invalid.text"}


def test_the_smallest_form_has_one_replica_and_no_extras() -> None:
    spec = job_spec(BASE)
    assert spec.replicas == 1
    assert spec.resources == ()
    assert spec.fault_tolerance_config is None
    assert not spec.enable_rdma


def test_each_bad_field_is_named() -> None:
    assert problems({}) == {
        "name": "invalid.name",
        "image": "invalid.required",
        "command": "invalid.required",
    }
    found = problems({**BASE, "replicas": "-1", "gpus": "99", "hang_minutes": "0"})
    assert found == {
        "replicas": "invalid.number",
        "gpus": "invalid.number",
        "hang_minutes": "invalid.number",
    }
    assert problems({**BASE, "labels": "=x"}) == {"labels": "invalid.lines"}
    assert problems({**BASE, "priority": "urgent"}) == {"priority": "invalid.choice"}
    assert problems({**BASE, "pfs": "pfs-data"}) == {"mount": "invalid.mount"}
    assert problems({**BASE, "image": "a\nb"}) == {"image": "invalid.text"}


def test_a_json_spec_reads_like_the_form() -> None:
    spec, pool = job_spec_from_json(
        '{"name": "j1", "image": "i", "command": "c", "envs": {"A": "1"}, '
        '"pool": "p", "rdma": true}'
    )
    assert pool == "p"
    assert spec.envs[0].name == "A"
    assert spec.enable_rdma
    for text in ("[]", '{"name": "j1", "surprise": 1}', "{", '{"pool": 3, ' + '"name": "j"}'):
        with pytest.raises(FormErrors):
            job_spec_from_json(text)


def test_queue_quotas_turn_into_aihc_names_and_bytes() -> None:
    spec = queue_spec(
        {
            "deserved_gpu": "8",
            "deserved_memory": "2",
            "capability_gpu": "16",
            "options": ["reclaimable"],
        },
        name="q",
        gpu_resource="baidu.com/a800",
    )
    assert spec.deserved == {"baidu.com/a800": 8, "memory": 2}  # GiB, as AIHC counts it
    assert spec.capability == {"baidu.com/a800": 16}
    assert spec.guarantee is None
    assert spec.reclaimable
    assert spec.disable_oversell
    with pytest.raises(FormErrors) as caught:
        queue_spec(
            {"deserved_cpu": "nan", "deserved_gpu": "9", "capability_gpu": "1"},
            name="q",
            gpu_resource="g",
        )
    assert set(caught.value.problems) == {"deserved_cpu", "deserved_gpu"}
