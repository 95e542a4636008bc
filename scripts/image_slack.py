"""A Slack stand-in for scripts/image-smoke: the repo's FakeSlack plus a route that asks a bot.

    python scripts/image_slack.py --port P --token xoxb-… --secret S [--host H] [--public-url U]

`POST /_smoke/ask` with `{"events_url": …, "text": "pools"}` sends that `/aihc` command to the
bot signed as Slack signs it, waits (bounded) for the answer on its response_url and returns the
answer's body; 504 when none came. Runs until SIGTERM or SIGINT. It runs on the host with the
repo's `.venv`, or inside a container of the bot's own image (the wheel carries `bot.workspace`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from aiohttp import web

from bot.signals import stop_on_signals
from bot.workspace import DEFAULT_CHANNEL, DEFAULT_USER, FakeSlack, SlackSender

ANSWER_SECONDS = 30.0


def build_parser() -> argparse.ArgumentParser:
    """Return the command line: where to listen, the URL bots reach it by, token and secret."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--public-url", help="the base URL bots reach this server by")
    parser.add_argument("--token", required=True, help="the one bot token accepted")
    parser.add_argument("--secret", required=True, help="the signing secret the bots check")
    return parser


def ask_route(fake: FakeSlack, secret: str) -> web.RouteDef:
    """Return the route that sends one signed slash command and answers with its reply."""

    async def ask(request: web.Request) -> web.Response:
        asked = await request.json()
        url = fake.response_url(channel=DEFAULT_CHANNEL, user=DEFAULT_USER)
        key = url.rsplit("/", 1)[1]
        async with SlackSender(str(asked["events_url"]), secret) as sender:
            acked = await sender.slash_command(
                str(asked["text"]), user_id=DEFAULT_USER, response_url=url
            )
        if acked.status_code != 200:
            return web.json_response({"ack": acked.status_code, "body": acked.text}, status=502)
        try:
            posts = await fake.wait_for(lambda: fake.responses(key), timeout=ANSWER_SECONDS)
        except TimeoutError as error:
            return web.json_response({"error": str(error)}, status=504)
        return web.json_response(posts[0].body, dumps=lambda v: json.dumps(v, ensure_ascii=False))

    return web.post("/_smoke/ask", ask)


async def run(args: argparse.Namespace) -> None:
    """Serve the fake Slack until a stop signal."""
    fake = FakeSlack(token=args.token)
    fake.app.add_routes([ask_route(fake, args.secret)])
    await fake.start(args.host, args.port)
    if args.public_url:
        # Bound to 0.0.0.0 in a container, the fake would mint response_urls no bot can reach.
        fake.url = args.public_url.rstrip("/") + "/"
        fake.workspace.base_url = fake.url
    sys.stderr.write(f"fake Slack on {args.host}:{args.port}, reached at {fake.url}\n")
    try:
        with stop_on_signals(asyncio.Event()) as stopping:
            await stopping.wait()
    finally:
        await fake.stop()


def main() -> None:
    """Parse the command line and serve."""
    asyncio.run(run(build_parser().parse_args()))


if __name__ == "__main__":
    main()
