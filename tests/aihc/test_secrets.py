"""Secrets in AIHC answers never leave the client."""

from __future__ import annotations

import json

from bot.aihc.convert_jobs import job_body
from bot.domain import ImagePullCredentials, JobSpec
from tests.aihc.fake import FakeAihc, fixture, ok

PASSWORD = "hunter2-Sup3rSecret!"
JOB = "pytorchjob-19d38d07-3e04-49ef-8428-d792881fc5fa"


def job_detail_with_secrets() -> dict[str, object]:
    body = fixture("job_detail_response")
    result = body["result"]
    pod = result["podList"]["pods"][0]
    raw_request = json.loads(pod["objectMeta"]["annotations"]["aijob.cce.baidubce.com/raw-request"])
    raw_request["imagePullSecretUsername"] = "robot"
    raw_request["imagePullSecretPassword"] = PASSWORD
    pod["objectMeta"]["annotations"]["aijob.cce.baidubce.com/raw-request"] = json.dumps(raw_request)
    pod["envs"].append({"name": "REGISTRY_PASSWORD", "value": PASSWORD})
    result["jobSpec"] = {
        "image": "registry.example.com/private/train:1",
        "imageConfig": {"username": "robot", "password": PASSWORD},
        "envs": [{"name": "HF_TOKEN", "value": PASSWORD}, {"name": "EPOCHS", "value": "3"}],
    }
    result["labels"].append({"key": "db-password", "value": PASSWORD})
    assert PASSWORD in json.dumps(body)
    return body


async def test_password_appears_nowhere_in_the_job(fake: FakeAihc) -> None:
    fake.on("GET", f"/api/v1/aijobs/{JOB}", ok(job_detail_with_secrets()))
    async with fake.client() as client:
        job = await client.get_job("cce-6zwnp4zf", JOB)
    assert PASSWORD not in repr(job)
    assert PASSWORD not in str(job)
    assert PASSWORD not in job.model_dump_json()
    assert PASSWORD not in json.dumps(job.model_dump(mode="json"))
    assert "raw-request" not in job.model_dump_json()
    # what is not secret survives
    assert [e.name for e in job.envs] == ["EPOCHS"]
    assert job.labels["aaaaa"] == "bbbb"
    assert "db-password" not in job.labels
    assert job.pods[0].name == "job-test-3-master-0"


def test_image_credentials_are_hidden_until_serialised_for_the_wire() -> None:
    spec = JobSpec(
        name="private",
        image="registry.example.com/private/train:1",
        command="python train.py",
        image_credentials=ImagePullCredentials(username="robot", password=PASSWORD),
    )
    assert PASSWORD not in repr(spec)
    assert PASSWORD not in spec.model_dump_json()
    assert job_body(spec)["jobSpec"]["imageConfig"] == {"username": "robot", "password": PASSWORD}
