"""Errors of the use cases, turned into words only by the Slack layer.

```
ServiceError
├── NoPoolKnown        no --pool, no channel default, no AIHC_DEFAULT_POOL
├── NotFound           no pool, queue, job or pod goes by that reference
│   └── NotAmongNewest   none among the newest entries one command may search; older ones
│                        were not searched (give the id instead)
├── Ambiguous          several pools or jobs go by that name; carries the candidates
├── TooMany            a list longer than one command may walk (narrow it: a queue, an id)
├── QueueNeeded        a managed pool lists its jobs only queue by queue: name the queue
├── Unavailable        the AIHC API version the bot speaks has no such operation
├── Refused            (services.admin) the actor lacks the role; names who could grant it
└── SubscriptionRefused  (services.subscriptions) the actor may not change this subscription
```
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.domain import ApiVersion, offers

Kind = Literal["pool", "queue", "job", "pod"]
ListKind = Literal["pool", "queue", "job", "node"]


class ServiceError(Exception):
    """Base of the use cases' errors."""


class NoPoolKnown(ServiceError):
    """The command needs a pool and none was named or configured."""


@dataclass
class NotFound(ServiceError):
    """Nothing of this kind goes by this reference."""

    kind: Kind
    ref: str


@dataclass
class NotAmongNewest(NotFound):
    """Nothing goes by this name among the `searched` newest entries; older ones went unsearched."""

    searched: int = 0


@dataclass
class QueueNeeded(ServiceError):
    """A managed pool (`aihc-serverless`, `aihc-bhcmp`) pages its jobs only within a queue."""

    pool: str


@dataclass
class Unavailable(ServiceError):
    """The AIHC API the bot speaks has no action for `operation` (e.g. `queue.create` in v2)."""

    operation: str
    version: str


def require_offered(version: ApiVersion, operation: str) -> None:
    """Raise `Unavailable` unless AIHC API `version` has an action for `operation`."""
    if not offers(version, operation):
        raise Unavailable(operation, version.value)


@dataclass
class TooMany(ServiceError):
    """A list has more than `limit` entries, more than one command may walk."""

    kind: ListKind
    limit: int

    def __str__(self) -> str:
        return f"more than {self.limit} {self.kind}s to walk"


@dataclass(frozen=True)
class Candidate:
    """One of several things a name matched: how to show it and its unambiguous id."""

    label: str
    id: str


@dataclass
class Ambiguous(ServiceError):
    """Several things of this kind go by this name."""

    kind: Kind
    ref: str
    candidates: Sequence[Candidate]
