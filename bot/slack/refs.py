"""Small typed references that round-trip through button values and modal metadata."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Priority

_ID = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_OPTIONAL_ID = Field(
    default=None, min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
)


class JobKey(BaseModel):
    """A job in a pool: the whole value of every job card button."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pool: str = _ID
    job: str = _ID
    queue: str | None = _OPTIONAL_ID
    """Set for a job in a managed pool, which AIHC reaches only through its queue."""
    priority: Priority | None = None
    """Set on the options of the priority menu only."""

    def args(self) -> dict[str, str]:
        """Return the job's command arguments: `job`, `pool`, and `queue` when set."""
        named = {"job": self.job, "pool": self.pool}
        return named | ({"queue": self.queue} if self.queue else {})

    def encode(self) -> str:
        """Serialise for a button value (far below Slack's 2,000 and 150 character limits)."""
        return self.model_dump_json(exclude_none=True)


MAX_HOME_PAGE = 1_000


class HomePage(BaseModel):
    """A page of the App Home tab: the value of its Refresh, Next and Previous buttons, and the
    published view's `private_metadata` (so that an action on Home re-publishes that page)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int = Field(default=0, ge=0, le=MAX_HOME_PAGE)
    at: int | None = Field(default=None, ge=0)
    """When the view was published (epoch seconds); in its metadata only, not in buttons."""

    def encode(self) -> str:
        """Serialise for a button value or the view's metadata."""
        return self.model_dump_json()
