"""Job create at most once without trusting `clientToken` (AIHC-NOTES §6).

No Baidu client sends `clientToken` on v1 job create (Go `services/aihc/resource/client.go:236-244`
sends `resourcePoolId`, `queueID` and `username`; the `aihc` 1.1.1 CLI, `aihc_cli_py/job.py:151`,
only `resourcePoolId`), so the live service may ignore it. Each create therefore carries a label
holding its request key, and after an outcome that may hide a made job the client looks for that
label before trying again.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.aihc.errors import AihcConflict, AihcError, AihcServerError, AihcTransportError
from bot.domain import Job, JobRef, JobSpec, Page

REQUEST_LABEL = "aihc-bot/request"
"""The label that holds a create's request key. Job labels are Kubernetes labels: the key is a
DNS-subdomain prefix and a name of at most 63 characters, the value 63 characters at most of
letters, digits and `-_.`, starting and ending with a letter or digit."""

TOKEN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")
"""A request key usable both as `clientToken` and as a label value."""

CREATE_ATTEMPTS = 3
"""Most create requests one job create sends, each after a look that found nothing."""

LOOKUP_PAGES = 2
"""How many pages of the newest jobs a look covers: a lost create is among the newest."""

RECOVERED = "recovered"
"""What a found job's request id starts with: AIHC's answer to its create was never read."""

_MAYBE_ACTED_STATUSES = frozenset({500, 502, 503, 504})


def check_token(token: str) -> None:
    """Raise unless `token` can serve as `clientToken` and as a label value."""
    if not TOKEN.match(token):
        raise AihcError("clientToken must be 1-63 letters, digits or -_. (ending on either end)")


def labelled(spec: JobSpec, token: str) -> JobSpec:
    """Return `spec` with its request key in `REQUEST_LABEL`."""
    return spec.model_copy(update={"labels": {**spec.labels, REQUEST_LABEL: token}})


def may_have_acted(error: AihcError) -> bool:
    """Say whether a failed create may have made the job: no answer, or a server error."""
    if isinstance(error, AihcServerError):
        return error.status in _MAYBE_ACTED_STATUSES
    return isinstance(error, AihcTransportError)


def is_taken(error: AihcError) -> bool:
    """Say whether a create was refused because the name is taken, perhaps by our own job."""
    return isinstance(error, AihcConflict)


def recovered_ref(job: Job, error: AihcError) -> JobRef:
    """Return the reference of a job found by its label after `error` hid its create's answer."""
    failed = getattr(error, "request_id", "") or ""
    request_id = f"{RECOVERED}:{failed}" if failed else RECOVERED
    return JobRef(job_id=job.id, job_name=job.name, request_id=request_id)


async def find_labelled(pages: AsyncIterator[Page[Job]], token: str) -> Job | None:
    """Return the newest job whose `REQUEST_LABEL` is `token`, looking through `pages`."""
    # List items carry their labels: Go reads them (`api/v1/aiJob.go:25`, in the item type that
    # `OpenAPIJobListResponseResult.Jobs`, :257-259, holds).
    async for page in pages:
        for job in page.items:
            if job.labels.get(REQUEST_LABEL) == token:
                return job
    return None


async def create(
    send: Callable[[], Awaitable[JobRef]],
    find: Callable[[AihcError], Awaitable[JobRef | None]],
    pause: Callable[[int], Awaitable[None]],
) -> JobRef:
    """Send a create until answered, looking with `find` for its job before every new attempt.

    A refusal is not tried again, except that a name taken may be taken by this very request's
    job; an outcome that may hide a made job (`may_have_acted`) is tried again after a pause and
    a look that found nothing, `CREATE_ATTEMPTS` times at most.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return await send()
        except AihcError as error:
            lost = may_have_acted(error)
            if not (lost or is_taken(error)):
                raise
            if lost:
                # A job just made may take a moment to be listed.
                await pause(attempt)
            found = await find(error)
            if found is not None:
                return found
            if not lost or attempt >= CREATE_ATTEMPTS:
                raise
