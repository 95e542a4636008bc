"""Run `python -m bot` as `aihc-bot`."""

from bot.cli import main

raise SystemExit(main())
