"""Stop a long-running command on SIGTERM or SIGINT: what `docker stop`, Kubernetes and Ctrl-C send.

A process that leaves SIGTERM to its default action dies without cleaning up; as a container's
PID 1 it ignores the signal altogether, so `docker stop` waits its grace period and kills it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[asyncio.Event]:
    """Set `stop` when SIGTERM or SIGINT arrives while inside; run on the event loop's thread."""
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        # Not in the main thread (tests run servers in threads), or not on Unix: no handler.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    try:
        yield stop
    finally:
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
