"""The `aihc-bot simulator` subcommand."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.simulator.scenarios import SCENARIOS
from bot.simulator.server import run_forever
from bot.simulator.state import APIS, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SHAPES, SimConfig


def _speed(raw: str) -> float:
    value = float(raw)
    if value < 0:
        raise argparse.ArgumentTypeError("clock speed must be >= 0")
    return value


def add_simulator_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the simulator's options (DESIGN §3.1) to its subparser."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (0: any free)")
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY, help="accepted access key")
    parser.add_argument("--secret-key", default=DEFAULT_SECRET_KEY, help="its secret key")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the world (same seed, same world)"
    )
    parser.add_argument("--scenario", choices=SCENARIOS, default="demo", help="world to start with")
    parser.add_argument(
        "--clock-speed",
        type=_speed,
        default=1.0,
        help="simulated seconds per real second (0 freezes it; /_sim/clock/advance moves it)",
    )
    parser.add_argument(
        "--shapes",
        choices=SHAPES,
        default="live",
        help="answer as the live service does (Baidu's Go SDK) or as the v1 document's examples",
    )
    parser.add_argument(
        "--api",
        choices=APIS,
        default="both",
        help="serve the AIHC v1 routes, the v2 actions (/?action=...), or both (default)",
    )


def run_simulator(args: argparse.Namespace) -> int:
    """Serve the simulator until interrupted; return the exit status."""
    config = SimConfig(
        access_key=args.access_key,
        secret_key=args.secret_key,
        seed=args.seed,
        scenario=args.scenario,
        clock_speed=args.clock_speed,
        shapes=args.shapes,
        api=args.api,
    )
    try:
        asyncio.run(run_forever(config, host=args.host, port=args.port))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        sys.stderr.write(f"aihc-bot simulator: cannot listen on {args.host}:{args.port}: {exc}\n")
        return 1
    return 0
