"""What a job and its pods say and offer: events, logs, metrics, nodes, the web terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.aihc import convert_jobs, wire
from bot.aihc.errors import AihcAnswerTooLarge
from bot.aihc.operations import OperationsBase, _require, _unix, queue_param
from bot.aihc.transport import result_of
from bot.domain import Event, JobFramework, JobMetrics, JobNodes, MetricType, PodLogs, WebTerminal
from bot.domain.logtext import ANSWER_BYTES, TAIL_LINES, bound_lines, unread_line

LOG_PAGES = 10
"""Most pages of one pod's log read for one answer."""


@dataclass(frozen=True)
class LogAsk:
    """What one `pod_logs` call asks of every page it reads."""

    pool_id: str
    job_id: str
    pod_name: str
    start: datetime | None
    chunk: int | None
    queue: str


class PodOperations(OperationsBase):
    """A job's events, its pods' events and logs, its metrics, nodes and terminal."""

    async def job_events(
        self,
        pool_id: str,
        job_id: str,
        *,
        framework: JobFramework | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        queue: str = "",
    ) -> list[Event]:
        """Fetch a job's events (sent bare, without a `result` wrapper).

        `queue` is for v2, which needs it; Go's v1 client sends none here (client.go:328-350).
        """
        params = self._event_params(pool_id, job_id, framework, start, end)
        reply = await self._get("job.events", ("aijobs", job_id, "events"), params)
        return self._events(reply)

    async def pod_events(
        self,
        pool_id: str,
        job_id: str,
        pod_name: str,
        *,
        framework: JobFramework | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        queue: str = "",
    ) -> list[Event]:
        """Fetch one pod's events (`queue`: for v2; v1 sends none, Go client.go:352-378)."""
        params = self._event_params(pool_id, job_id, framework, start, end)
        path = ("aijobs", job_id, "pods", pod_name, "events")
        return self._events(await self._get("pod.events", path, params))

    async def pod_logs(
        self,
        pool_id: str,
        job_id: str,
        pod_name: str,
        *,
        start: datetime | None = None,
        max_lines: int | None = None,
        chunk: int | None = None,
        queue: str = "",
    ) -> PodLogs:
        """Fetch a pod's log lines, oldest first, bounded as `bot.domain.logtext` says.

        Pages named by `nextMarker` are followed, at most `LOG_PAGES` of them, and the newest
        `max_lines` lines of all kept; a marker that comes back unchanged ends the walk.
        """
        ask = LogAsk(pool_id, job_id, pod_name, start, chunk, queue)
        logs = await self._log_page(ask, max_lines, "")
        lines, seen = list(logs.lines), {""}
        for _ in range(LOG_PAGES - 1):
            if logs.next_marker in seen:
                break
            seen.add(logs.next_marker)
            logs = await self._log_page(ask, max_lines, logs.next_marker)
            lines = list(bound_lines([*lines, *logs.lines]))
        if max_lines is not None:
            lines = lines[max(0, len(lines) - max_lines) :]
        left = "" if logs.next_marker in seen else logs.next_marker
        return logs.model_copy(update={"lines": tuple(lines), "next_marker": left})

    async def _log_page(self, ask: LogAsk, max_lines: int | None, marker: str) -> PodLogs:
        """Fetch one page of a pod's log; an answer over `ANSWER_BYTES` is asked again smaller.

        Megabyte lines thus cost a few more calls, never a long parse on the event loop.
        """
        lines = max_lines
        while True:
            try:
                fields = await self._log_answer(ask, lines, marker)
                break
            except AihcAnswerTooLarge as error:
                if lines == 1:
                    unread = (unread_line(ANSWER_BYTES),)
                    return PodLogs(job_id=ask.job_id, pod_name=ask.pod_name, lines=unread)
                lines = _fewer_lines(lines, error.size)
        payload = wire.LogPayload.model_validate(fields)
        return convert_jobs.logs_from_wire(payload, job_id=ask.job_id, pod_name=ask.pod_name)

    async def _log_answer(self, ask: LogAsk, max_lines: int | None, marker: str) -> object:
        """Ask for one page of a pod's log (at most `ANSWER_BYTES`); return the answer's fields."""
        # `chunk` as the document spells it; Go sends `chunck` (bce-sdk-go
        # services/aihc/resource/client.go:399): which one the service reads is unverified.
        # Go sends the job's queue when it has it (client.go:404); we do in managed pools only,
        # where it matters, and never refuse without it: Go does not.
        params = [
            ("resourcePoolId", ask.pool_id),
            ("startTime", _unix(ask.start)),
            ("chunk", ask.chunk),
            *(queue_param(ask.pool_id, ask.queue) if ask.queue else []),
            ("maxLines", max_lines),
            # `marker` as Go sends it (client.go:401).
            ("marker", marker or None),
        ]
        path = ("aijobs", ask.job_id, "pods", ask.pod_name, "logs")
        reply = await self._get("pod.logs", path, params, max_bytes=ANSWER_BYTES)
        return result_of(reply)

    async def job_metrics(
        self,
        pool_id: str,
        job_id: str,
        metric_type: MetricType,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        time_step: int | None = None,
        queue: str = "",
    ) -> JobMetrics:
        """Fetch one metric's series for every pod of a job (`queue`: for v2 alone)."""
        params = [
            ("resourcePoolId", pool_id),
            ("metricType", metric_type.value),
            ("startTime", _unix(start)),
            ("endTime", _unix(end)),
            ("timeStep", time_step),
        ]
        reply = await self._get("job.metrics", ("aijobs", job_id, "metrics"), params)
        payload = wire.MetricsPayload.model_validate(result_of(reply))
        return convert_jobs.metrics_from_wire(payload, job_id=job_id, metric_type=metric_type)

    async def job_nodes(self, pool_id: str, job_id: str, *, queue: str = "") -> JobNodes:
        """Fetch the names of the nodes a job runs on (`queue`: for v2 alone)."""
        path = ("aijobs", job_id, "nodes")
        reply = await self._get("job.nodes", path, [("resourcePoolId", pool_id)])
        payload = wire.JobNodesPayload.model_validate(result_of(reply))
        return convert_jobs.job_nodes_from_wire(payload, job_id=job_id)

    async def web_terminal(
        self,
        pool_id: str,
        job_id: str,
        pod_name: str,
        *,
        handshake_timeout: int | None = None,
        ping_timeout: int | None = None,
        queue: str = "",
    ) -> WebTerminal:
        """Fetch a web terminal URL into one pod (a credential: show it only ephemerally)."""
        params = [
            ("resourcePoolId", pool_id),
            ("handshakeTimeoutSecond", handshake_timeout),
            ("pingTimeoutSecond", ping_timeout),
            *queue_param(pool_id, queue),
        ]
        path = ("aijobs", job_id, "pods", pod_name, "webterminal")
        reply = await self._get("pod.webterminal", path, params)
        url = wire.WebTerminalPayload.model_validate(result_of(reply)).web_terminal_url
        return WebTerminal(url=_require(url, "a web terminal URL"))


def _fewer_lines(asked: int | None, size: int | None) -> int:
    """Return how many lines to ask for once `asked` came to `size` bytes, too many."""
    current = asked if asked is not None else TAIL_LINES
    # Aim at half the bound, so lines of uneven length still fit on the next call.
    guess = current * ANSWER_BYTES // (2 * size) if size else current // 4
    return max(1, min(current // 2, guess))
