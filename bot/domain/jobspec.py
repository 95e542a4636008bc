"""What a job create asks AIHC for."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, SecretStr

from bot.domain.models import Datasource, DomainModel, EnvVar, Resource
from bot.domain.status import JobFramework, Priority


class ImagePullCredentials(DomainModel):
    """Registry credentials for a private image; the password never leaves as plain text."""

    username: str
    password: SecretStr


class FaultToleranceConfig(DomainModel):
    """Fault tolerance tuning: hang detection, how often to restart, which log lines are faults."""

    enable_hang_detection: bool = False
    hang_detection_timeout_minutes: int | None = None
    fault_tolerance_limit: int | None = None
    """How many times AIHC may restart the job after a fault (Go: `faultToleranceLimit`)."""
    custom_patterns: tuple[str, ...] = ()
    """Log patterns AIHC treats as a fault (Go: `customFaultTolerancePattern`)."""


class JobSpec(DomainModel):
    """A training job to create; None leaves a setting to AIHC's default."""

    name: str
    image: str
    command: str
    replicas: int = 1
    queue: str | None = None
    framework: JobFramework = JobFramework.PYTORCH
    priority: Priority | None = None
    resources: tuple[Resource, ...] = ()
    envs: tuple[EnvVar, ...] = ()
    labels: Mapping[str, str] = Field(default_factory=dict)
    datasources: tuple[Datasource, ...] = ()
    enable_rdma: bool = False
    fault_tolerance: bool = False
    fault_tolerance_config: FaultToleranceConfig | None = None
    enable_bccl: bool = False
    image_credentials: ImagePullCredentials | None = None
