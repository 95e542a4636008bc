"""BCE-style errors: every failure answers `{"requestId", "code", "message"}` with its status."""

from __future__ import annotations


class ApiError(Exception):
    """An error the simulated service answers with, as a real BCE service would."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def job_not_found(job_id: str) -> ApiError:
    """Answer a read or change of a job that does not exist (or was deleted)."""
    return ApiError(404, "cce.warning.GetAIJobByJobIdFailed", "not found job")


def pool_not_found(pool_id: str) -> ApiError:
    """Answer a request naming a pool that does not exist."""
    return ApiError(404, "cce.warning.ResourcePoolNotFound", f"resource pool {pool_id} not found")


def queue_not_found(name: str) -> ApiError:
    """Answer a request naming a queue that does not exist in the pool."""
    return ApiError(404, "cce.warning.QueueNotFound", f"queue {name} not found")


def pod_not_found(pod: str) -> ApiError:
    """Answer a request naming a pod the job does not have."""
    return ApiError(404, "cce.warning.PodNotFound", f"pod {pod} not found")


def invalid(message: str) -> ApiError:
    """Answer a missing or malformed query or path parameter."""
    return ApiError(400, "cce.warning.InvalidParameter", message)


def inappropriate(message: str) -> ApiError:
    """Answer a well-formed JSON body that does not fit the operation."""
    return ApiError(400, "InappropriateJSON", message)


def malformed_json() -> ApiError:
    """Answer a body that is not JSON."""
    return ApiError(400, "MalformedJSON", "The JSON you provided was not well-formed.")
