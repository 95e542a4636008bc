"""Prometheus metrics of one bot process: commands, AIHC calls and their latencies."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class BotMetrics:
    """Counters and histograms on a registry of their own (one per process, one per test)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "aihc_bot_commands",
            "Slash commands handled, by command and outcome.",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.command_seconds = Histogram(
            "aihc_bot_command_seconds",
            "Time from a slash command's arrival to its answer, by command.",
            ["command"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.aihc_calls = Counter(
            "aihc_bot_aihc_calls",
            "AIHC API attempts, by operation and HTTP status (0: no answer).",
            ["operation", "status"],
            registry=self.registry,
        )
        self.aihc_seconds = Histogram(
            "aihc_bot_aihc_call_seconds",
            "AIHC API attempt latency, by operation.",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe_aihc(self, operation: str, status: int, seconds: float) -> None:
        """Count one AIHC attempt (the AIHC transport's observer)."""
        self.aihc_calls.labels(operation, str(status)).inc()
        self.aihc_seconds.labels(operation).observe(seconds)

    def observe_command(self, command: str, outcome: str, seconds: float) -> None:
        """Count one answered command."""
        self.commands.labels(command, outcome).inc()
        self.command_seconds.labels(command).observe(seconds)

    def exposition(self) -> bytes:
        """Render every metric in the Prometheus text format."""
        return generate_latest(self.registry)
