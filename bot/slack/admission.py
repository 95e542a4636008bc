"""Bound the work people can start: at most a few requests in flight per person, and a few
dozen in all; beyond that a request is answered "busy" at once instead of queueing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

PER_PERSON = 3
TOTAL = 20


class Busy(Enum):
    """Why a request was not admitted."""

    PERSON = "person"
    ALL = "all"


@dataclass
class Ticket:
    """One admitted request; release it when its work ends (twice is harmless)."""

    _admission: Admission
    _person: tuple[str, str]
    _released: bool = field(default=False)

    def release(self) -> None:
        """Give the place back."""
        if not self._released:
            self._released = True
            self._admission._leave(self._person)


class Admission:
    """Count requests in flight per person (workspace, user) and in all."""

    def __init__(self, *, per_person: int = PER_PERSON, total: int = TOTAL) -> None:
        self.per_person = per_person
        self.total = total
        self._running: Counter[tuple[str, str]] = Counter()
        self._all = 0

    def admit(self, team_id: str, user_id: str) -> Ticket | Busy:
        """Take a place for one request, or say why there is none."""
        person = (team_id, user_id)
        if self._running[person] >= self.per_person:
            return Busy.PERSON
        if self._all >= self.total:
            return Busy.ALL
        self._running[person] += 1
        self._all += 1
        return Ticket(self, person)

    def in_flight(self, team_id: str = "", user_id: str = "") -> int:
        """Return the requests in flight: one person's, or everyone's."""
        return self._running[(team_id, user_id)] if user_id else self._all

    def _leave(self, person: tuple[str, str]) -> None:
        self._all -= 1
        self._running[person] -= 1
        if self._running[person] <= 0:
            del self._running[person]
