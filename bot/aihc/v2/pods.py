"""A job's events, logs, metrics, nodes and terminal over AIHC API v2's actions.

Requests as Baidu's Python SDK 0.9.79 sends them (baidubce/services/aihc/modules/job/
job_client.py, cited per action), times as Unix seconds in the body; answers read as
`bot.aihc.v2.answers` says. The bounded walk of a pod's log pages is the v1 client's
(`bot.aihc.pods`).
"""

from __future__ import annotations

from datetime import datetime

from bot.aihc import convert_jobs, wire
from bot.aihc.operations import _require, _unix
from bot.aihc.pods import LogAsk
from bot.aihc.v2.answers import fields
from bot.aihc.v2.one_job import OneJobActions
from bot.domain import Event, JobFramework, JobMetrics, JobNodes, MetricType, WebTerminal
from bot.domain.logtext import ANSWER_BYTES


class PodActions(OneJobActions):
    """DescribeJobEvents, DescribePodEvents, DescribeJobLogs, DescribeJobMetrics,
    DescribeJobNodes, DescribeJobWebterminal."""

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
        """Fetch a job's events (DescribeJobEvents, job_client.py:216-229: no `framework`)."""
        window = {"startTime": _unix(start), "endTime": _unix(end)}
        reply = await self._on_job(
            "job.events", "DescribeJobEvents", pool_id, job_id, queue, window
        )
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
        """Fetch one pod's events (DescribePodEvents, Python's `DescribeJobPodEvents`,
        job_client.py:328-348)."""
        extra = {"podName": pod_name, "startTime": _unix(start), "endTime": _unix(end)}
        reply = await self._on_job("pod.events", "DescribePodEvents", pool_id, job_id, queue, extra)
        return self._events(reply)

    async def _log_answer(self, ask: LogAsk, max_lines: int | None, marker: str) -> object:
        """Ask DescribeJobLogs for one page (job_client.py:268-297); return its fields.

        Python's `chunkSize` is v1's `chunk` (lines per record; one by default in v2, :258).
        """
        extra = {
            "podName": ask.pod_name,
            "startTime": _unix(ask.start),
            "maxLines": max_lines,
            "chunkSize": ask.chunk,
            "marker": marker or None,
        }
        reply = await self._on_job(
            "pod.logs",
            "DescribeJobLogs",
            ask.pool_id,
            ask.job_id,
            ask.queue,
            extra,
            max_bytes=ANSWER_BYTES,
        )
        return fields(reply)

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
        """Fetch one metric's series for every pod (DescribeJobMetrics, job_client.py:584-607)."""
        # Python's `rateInterval` is left out, as Python leaves it by default (:599-601).
        extra = {
            "metricType": metric_type.value,
            "startTime": _unix(start),
            "endTime": _unix(end),
            "timeStep": time_step,
        }
        reply = await self._on_job(
            "job.metrics", "DescribeJobMetrics", pool_id, job_id, queue, extra
        )
        payload = wire.MetricsPayload.model_validate(fields(reply))
        return convert_jobs.metrics_from_wire(payload, job_id=job_id, metric_type=metric_type)

    async def job_nodes(self, pool_id: str, job_id: str, *, queue: str = "") -> JobNodes:
        """Fetch the names of a job's nodes (DescribeJobNodes, job_client.py:402-416)."""
        reply = await self._on_job("job.nodes", "DescribeJobNodes", pool_id, job_id, queue)
        payload = wire.JobNodesPayload.model_validate(fields(reply))
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
        """Fetch a web terminal URL into one pod (DescribeJobWebterminal, job_client.py:447-466;
        a credential: show it only ephemerally)."""
        extra = {
            "podName": pod_name,
            "handshakeTimeoutSecond": handshake_timeout,
            "pingTimeoutSecond": ping_timeout,
        }
        reply = await self._on_job(
            "pod.webterminal", "DescribeJobWebterminal", pool_id, job_id, queue, extra
        )
        url = wire.WebTerminalPayload.model_validate(fields(reply)).web_terminal_url
        return WebTerminal(url=_require(url, "a web terminal URL"))
