"""Faults injected into the v1 routes: errors, throttling, latency and dropped connections."""

from __future__ import annotations

import asyncio
import random
from dataclasses import asdict, dataclass

from bot.simulator.errors import ApiError

_ERROR_CODES = {
    500: ("InternalError", "We encountered an internal error. Please try again."),
    502: ("BadGateway", "Bad gateway."),
    503: ("ServiceUnavailable", "Service is temporarily unavailable. Please try again."),
    504: ("GatewayTimeout", "Gateway timeout."),
}
RETRY_AFTER_SECONDS = 1


class DropConnection(Exception):
    """Raised to close the client's connection without an answer."""


@dataclass(frozen=True, slots=True)
class Faults:
    """What `PUT /_sim/faults` sets; a PUT replaces all of it, absent keys fall back to none."""

    error_rate: float = 0.0
    error_status: int = 500
    throttle_rate: float = 0.0
    latency_ms: float = 0.0
    drop_rate: float = 0.0
    drop_after_rate: float = 0.0
    """Share of calls served in full whose answer is then lost: the service acted, nobody heard."""
    next_calls: int = 0
    """The faults hit only the next this many v1 calls, then lapse; 0 keeps them until replaced."""

    def as_dict(self) -> dict[str, float | int]:
        """Return the settings as the control API shows them."""
        return asdict(self)


def parse_faults(body: dict[str, object]) -> Faults:
    """Read a faults body; raise ValueError naming the first bad key."""
    known = set(Faults.__dataclass_fields__)
    unknown = sorted(set(body) - known)
    if unknown:
        raise ValueError(f"unknown fault setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    values: dict[str, float] = {}
    for key, value in body.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"{key} must be a number")
        values[key] = float(value)
    for key in ("error_rate", "throttle_rate", "drop_rate", "drop_after_rate"):
        if not 0.0 <= values.get(key, 0.0) <= 1.0:
            raise ValueError(f"{key} must be between 0 and 1")
    if not 0.0 <= values.get("latency_ms", 0.0) <= 60_000:
        raise ValueError("latency_ms must be between 0 and 60000")
    status = values.pop("error_status", 500.0)
    if status != int(status) or not 400 <= status <= 599:
        raise ValueError("error_status must be an HTTP error status (400-599)")
    calls = values.pop("next_calls", 0.0)
    if calls != int(calls) or not 0 <= calls <= 10_000:
        raise ValueError("next_calls must be a whole number from 0 to 10000")
    return Faults(error_status=int(status), next_calls=int(calls), **values)


async def inject(faults: Faults, rng: random.Random) -> bool:
    """Apply the faults to one v1 call before it is served; True: drop its answer afterwards.

    Half the drops happen before the service acts and half after it acted, the answer lost on
    the way back: that second kind is why a job create is looked for before it is tried again.
    `drop_after_rate` gives only the second kind.
    """
    if faults.latency_ms > 0:
        await asyncio.sleep(faults.latency_ms / 1000)
    if faults.drop_rate and rng.random() < faults.drop_rate:
        if rng.random() < 0.5:
            raise DropConnection
        return True
    if faults.drop_after_rate and rng.random() < faults.drop_after_rate:
        return True
    if faults.throttle_rate and rng.random() < faults.throttle_rate:
        raise ApiError(
            429, "RequestLimitExceeded", "Request rate limit exceeded, please retry later."
        )
    if faults.error_rate and rng.random() < faults.error_rate:
        code, message = _ERROR_CODES.get(faults.error_status, ("InternalError", "Injected fault."))
        raise ApiError(faults.error_status, code, message)
    return False
