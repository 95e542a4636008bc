"""`aihc-bot demo`: the simulator, the bot and a local Slack workspace in the browser, together.

This module stays light (only the command's options), so that `aihc-bot --help` does not load
the bot; `bot.demo.run` holds the rest and is imported only when the demo runs.
"""

from __future__ import annotations

import argparse

DEFAULT_PORT = 8800


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 (any free one) to 65535")
    return value


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the demo's options to its subparser."""
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT,
        help=f"port of the local workspace page on 127.0.0.1 (default {DEFAULT_PORT}; 0: any)",
    )  # fmt: skip
    parser.add_argument(
        "--bot-port", type=_port, default=0, help="port of the bot's HTTP server (default: any)"
    )
    parser.add_argument(
        "--simulator-port", type=_port, default=0, help="port of the AIHC simulator (default: any)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated world")
    parser.add_argument("--verbose", action="store_true", help="log what the bot does")
