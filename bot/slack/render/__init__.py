"""Pure renderers: domain objects in, Block Kit dicts out; time and language are arguments.

Every string from AIHC or from people is escaped (`escape`) before it enters mrkdwn, and every
builder cuts its text to the Block Kit limit, so each message passes `validate_message`.
"""

from bot.slack.render.charts import ChartFile, metrics_chart
from bot.slack.render.errors import (
    MAX_CHOICES,
    aihc_error_blocks,
    ambiguous_prompt,
    choice_action_id,
    choice_blocks,
    no_pool_blocks,
    not_found_blocks,
    notice_blocks,
    unexpected_error_blocks,
)
from bot.slack.render.events import events_blocks
from bot.slack.render.fallback import fallback_text
from bot.slack.render.help import (
    help_blocks,
    unknown_command_blocks,
    usage_blocks,
    usage_line,
)
from bot.slack.render.jobs import STATUS_EMOJI, job_card_blocks, jobs_blocks
from bot.slack.render.limits import Block, validate_message
from bot.slack.render.logs import logs_blocks, logs_file_text, logs_fit
from bot.slack.render.metrics import metrics_blocks, sparkline
from bot.slack.render.pools import job_nodes_blocks, nodes_blocks, pool_blocks, pools_blocks
from bot.slack.render.queues import queue_blocks, queues_blocks
from bot.slack.render.text import escape, truncate
from bot.slack.render.waiting import not_waiting_blocks, why_blocks, why_lines

__all__ = [
    "MAX_CHOICES",
    "STATUS_EMOJI",
    "Block",
    "ChartFile",
    "aihc_error_blocks",
    "ambiguous_prompt",
    "choice_action_id",
    "choice_blocks",
    "escape",
    "events_blocks",
    "fallback_text",
    "help_blocks",
    "job_card_blocks",
    "job_nodes_blocks",
    "jobs_blocks",
    "logs_blocks",
    "logs_file_text",
    "logs_fit",
    "metrics_blocks",
    "metrics_chart",
    "no_pool_blocks",
    "nodes_blocks",
    "not_found_blocks",
    "not_waiting_blocks",
    "notice_blocks",
    "pool_blocks",
    "pools_blocks",
    "queue_blocks",
    "queues_blocks",
    "sparkline",
    "truncate",
    "unexpected_error_blocks",
    "unknown_command_blocks",
    "usage_blocks",
    "usage_line",
    "validate_message",
    "why_blocks",
    "why_lines",
]
