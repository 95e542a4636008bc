"""An AIHC v1 simulator: the v1 routes, bce-auth-v1, a living world and a control API."""

from bot.simulator.app import build_app
from bot.simulator.server import Running, serve
from bot.simulator.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, Simulator

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_SECRET_KEY",
    "Running",
    "SimConfig",
    "Simulator",
    "build_app",
    "serve",
]
