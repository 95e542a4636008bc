"""The `aihc-bot` command line; each subcommand of DESIGN §3.1 is added as it is built."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence

from bot import __version__
from bot.demo import add_demo_arguments
from bot.simulator.cli import add_simulator_arguments, run_simulator
from bot.store.cli import run_migrate

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str, name: str) -> Handler:
    """Import a subcommand's module only when it runs, so `--help` stays fast."""

    def handler(args: argparse.Namespace) -> int:
        function: Handler = getattr(importlib.import_module(module), name)
        return function(args)

    return handler


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand built so far."""
    parser = argparse.ArgumentParser(
        prog="aihc-bot",
        description="Drive Baidu AIHC (百舸) GPU training from Slack.",
    )
    parser.add_argument("--version", action="version", version=f"aihc-bot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="<command>")
    serve = subparsers.add_parser("serve", help="run the bot: migrations, Slack listeners, server")
    serve.set_defaults(handler=_lazy("bot.serve", "run_serve"))
    check = subparsers.add_parser("check", help="validate settings; reach AIHC, Slack, database")
    check.set_defaults(handler=_lazy("bot.check", "run_check"))
    migrate = subparsers.add_parser("migrate", help="upgrade the database to the newest schema")
    migrate.set_defaults(handler=run_migrate)
    simulator = subparsers.add_parser("simulator", help="run the AIHC v1 simulator")
    add_simulator_arguments(simulator)
    simulator.set_defaults(handler=run_simulator)
    demo = subparsers.add_parser("demo", help="simulator + bot + a local Slack workspace to open")
    add_demo_arguments(demo)
    demo.set_defaults(handler=_lazy("bot.demo.run", "run_demo"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    return handler(args)
