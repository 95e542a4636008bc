"""The simulator's whole state: its settings, clock, world, faults and call counts."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Literal

from bot.simulator.admission import admit
from bot.simulator.auth import Credentials, WallClock, _wall
from bot.simulator.clock import SimClock, wall_clock_start
from bot.simulator.faults import Faults
from bot.simulator.populate import PopulateSpec, populate
from bot.simulator.scenarios import build
from bot.simulator.stats import Stats
from bot.simulator.world import World

NO_FAULTS = Faults()
DEFAULT_ACCESS_KEY = "aihc-sim-access-key"
DEFAULT_SECRET_KEY = "aihc-sim-secret-key"  # noqa: S105 - a documented local default, not a secret
Shapes = Literal["live", "document"]
SHAPES: tuple[Shapes, ...] = ("live", "document")
Api = Literal["v1", "v2", "both"]
APIS: tuple[Api, ...] = ("both", "v1", "v2")
DEFAULT_LOG_PAGE_LINES = 1000


@dataclass(frozen=True, slots=True)
class SimConfig:
    """How to start a simulator; `start=None` starts the clock at the real current time."""

    access_key: str = DEFAULT_ACCESS_KEY
    secret_key: str = DEFAULT_SECRET_KEY
    seed: int = 0
    scenario: str = "demo"
    clock_speed: float = 1.0
    start: float | None = None
    wall_clock: WallClock = field(default=_wall)
    allow_remote_control: bool = False
    replay_client_tokens: bool = False
    """Answer a repeated job-create `clientToken` with the job it first made. Off by default:
    no Baidu client sends one on v1 create, so the live service may well ignore it."""
    shapes: Shapes = "live"
    """`live`: answer with the fields Baidu's Go SDK reads (nested queues and their job counts,
    log pages named by `nextMarker`, `runningAt`, pod `reason`, `gpuDetail`, ...). `document`:
    answer exactly as the v1 document's examples do, none of those."""
    log_page_lines: int = DEFAULT_LOG_PAGE_LINES
    """Most log lines one live-shapes answer holds; the rest follow by `nextMarker`."""
    api: Api = "both"
    """Which AIHC API to serve: the v1 REST routes, the v2 actions on `/`, or both; the other
    one answers 404."""

    @property
    def live(self) -> bool:
        """Say whether answers take the live service's shapes."""
        return self.shapes == "live"


class Simulator:
    """One simulated AIHC service."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.credentials = Credentials(config.access_key, config.secret_key)
        start = config.start if config.start is not None else wall_clock_start()
        self.clock = SimClock(start, speed=config.clock_speed)
        self.stats = Stats()
        self._faults = Faults()
        self._faulted_calls = 0
        self.seed = config.seed
        self.scenario = config.scenario
        self.fault_rng = random.Random(f"{config.seed}/faults")
        self.world = build(config.scenario, config.seed, self.clock.now())
        # Writes to the control API must carry it: a web page open in a browser on this machine
        # can reach loopback, but cannot learn a token that only this process and its output hold.
        self.control_token = secrets.token_urlsafe(32)

    @property
    def faults(self) -> Faults:
        """Return the faults set through the control API."""
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._faults = faults
        self._faulted_calls = 0

    def faults_for_call(self) -> Faults:
        """Return the faults one v1 call meets, counting down those set for the next calls."""
        limit = self._faults.next_calls
        if not limit:
            return self._faults
        if self._faulted_calls >= limit:
            return NO_FAULTS
        self._faulted_calls += 1
        return self._faults

    def now(self) -> float:
        """Read the simulated clock, first bringing the world up to that moment."""
        moment = self.clock.now()
        self.world.sync(moment)
        admit(self.world, moment)
        return moment

    def reset(self, seed: int, scenario: str) -> World:
        """Wipe the world and build `scenario` for `seed` at the current simulated time."""
        self.world = build(scenario, seed, self.clock.now())
        self.seed, self.scenario = seed, scenario
        self.fault_rng = random.Random(f"{seed}/faults")
        return self.world

    def populate(self, spec: PopulateSpec) -> World:
        """Replace the world with a bulk one for benchmarks."""
        self.world = populate(self.seed, self.clock.now(), spec)
        self.scenario = "populate"
        return self.world
