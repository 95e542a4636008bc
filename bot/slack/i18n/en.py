"""English messages. Templates are mrkdwn without Slack's `<…>` syntax: renderers escape them whole.

Parameters are filled raw (renderers escape the result), so `{name}` inside backticks is safe.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Job statuses (AIHC-NOTES §3) and priorities.
    "status.Created": "Created",
    "status.Pending": "Pending",
    "status.Scheduled": "Scheduled",
    "status.Starting": "Starting",
    "status.Running": "Running",
    "status.Restarting": "Restarting",
    "status.Abnormal": "Abnormal",
    "status.Succeeded": "Succeeded",
    "status.Failed": "Failed",
    "status.Stopped": "Stopped",
    "status.ManualTermination": "Stopped by a user",
    "status.Cancelled": "Cancelled",
    "status.Unknown": "Unknown",
    "priority.high": "high",
    "priority.normal": "normal",
    "priority.low": "low",
    # Durations and ages.
    "unit.d": "{n}d",
    "unit.h": "{n}h",
    "unit.m": "{n}m",
    "unit.s": "{n}s",
    "time.ago": "{duration} ago",
    "time.just_now": "just now",
    # Field labels.
    "field.status": "Status",
    "field.queue": "Queue",
    "field.priority": "Priority",
    "field.framework": "Framework",
    "field.replicas": "Replicas",
    "field.gpus": "GPUs",
    "field.image": "Image",
    "field.creator": "Created by",
    "field.created": "Created",
    "field.running_for": "Running for",
    "field.waiting": "Waiting for",
    "field.age": "Age",
    "field.took": "Took",
    "field.queued": "Queued for",
    "field.ran": "Ran for",
    "field.bccl": "BCCL",
    "field.finished": "Finished",
    "field.id": "Id",
    "field.phase": "Phase",
    "field.nodes": "Nodes",
    "field.region": "Region",
    "field.k8s": "Kubernetes",
    "field.type": "Type",
    "field.state": "State",
    "field.parent": "Parent queue",
    "field.strategy": "Queueing",
    "field.reclaimable": "Reclaimable",
    "field.oversell": "Oversell",
    "value.yes": "yes",
    "value.no": "no",
    "value.root": "root",
    # Table column headings (plain text, monospace).
    "table.name": "NAME",
    "table.status": "STATUS",
    "table.queue": "QUEUE",
    "table.gpus": "GPUS",
    "table.age": "AGE",
    "table.id": "ID",
    "table.phase": "PHASE",
    "table.nodes": "NODES",
    "table.node": "NODE",
    "table.pod": "POD",
    "table.restarts": "RESTARTS",
    "table.gpu_type": "GPU TYPE",
    "table.flags": "FLAGS",
    "table.type": "TYPE",
    "table.state": "STATE",
    "table.gpus_used": "GPUS USED",
    "table.resource": "RESOURCE",
    "table.deserved": "DESERVED",
    "table.guarantee": "GUARANTEE",
    "table.capability": "CAPABILITY",
    "table.allocated": "ALLOCATED",
    "table.jobs_rqp": "JOBS R/I/P",
    "table.cpu": "CPU",
    "table.memory": "MEMORY",
    # Jobs.
    "job.gpus_total": "{total} ({per} × {replicas})",
    "job.gpus_per_replica": "{per} per replica",
    "job.pods_title": "*Pods* ({count})",
    "job.pods_more": "… and {count} more pods",
    "bccl.success": "injected",
    "bccl.failed": "injection failed",
    "bccl.because": "{status}: {reason}",
    "job.pod_ended": "`{pod}` stopped: *{reason}*",
    "job.pod_ended_at": "`{pod}` stopped: *{reason}* at {when}",
    "job.no_pods": "No pods yet.",
    "job.id_line": "Job `{id}` · pool `{pool}`",
    "jobs.none": "No jobs match. :sparkles:",
    "jobs.no_more": "No more jobs.",
    "jobs.none_among": "No job matches among jobs {first}–{last} (newest first).",
    "jobs.matched": "{count} matching among jobs {first}–{last} (newest first)",
    "jobs.more_older": "*More* looks at the next {count} older jobs.",
    # Lists.
    "list.showing": "Showing {first}–{last} of {total}",
    "list.showing_from": "Showing {first}–{last}",
    "list.more": "More",
    "list.rows_hidden": "… and {count} more not shown",
    # Pools, nodes, queues.
    "pools.title": "*Resource pools* ({count})",
    "pools.none": "No resource pools found.",
    "pool.id_line": "Pool `{id}`",
    "nodes.title": "*Nodes of pool {pool}* ({count})",
    "nodes.none": "This pool has no nodes.",
    "nodes.summary": ":warning: {cordoned} cordoned · {failed} failed",
    "nodes.gpu_resources": "GPU resource names: {names}",
    "flag.cordoned": "cordoned",
    "flag.failed": "failed",
    "job_nodes.title": "*Nodes of job `{job}`* ({count})",
    "job_nodes.none": "The job is not on any node yet.",
    "queues.title": "*Queues of pool {pool}* ({count})",
    "queues.none": "This pool has no queues besides the root queue.",
    "queue.id_line": "Queue in pool `{pool}`",
    "queue.quotas_title": "*Quotas*",
    "queue.no_quotas": "No quotas set.",
    # Events, logs, metrics.
    "events.none": "No events.",
    "events.summary": "Events: {count} · warnings: {warnings}",
    "events.more": "… and {count} more events",
    "logs.none": "No log lines.",
    "logs.cut": "Showing the last {shown} of {total} lines.",
    "logs.capped": (
        "The tail is capped at {cap} lines: up to {private} in answers only you see, "
        "{shared} in shared ones."
    ),
    "metrics.title": "*{metric}* of job `{job}`",
    "metrics.none": "No data for this period.",
    "metrics.pod_none": "no data",
    "metrics.stats": "min {min} · avg {avg} · max {max}",
    "metrics.more": "… and {count} more pods",
    "metrics.scale": "Scale: {low} to {high}",
    "metrics.chart_title": "{metric} of job {job}, last {since}",
    "metrics.chart_y": "{metric} ({unit})",
    "metrics.chart_x": "Time (UTC)",
    "metrics.chart_alt": (
        "Line chart of {metric} for job {job} over the last {since}: one line per pod, "
        "{pods} pods, values from {low} to {high}."
    ),
    "metrics.chart_dm": "The chart is in your direct messages with the bot.",
    "metrics.chart_here": "The chart is posted in this channel.",
    # Training progress (issue 14), read from the rank-0 log.
    "progress.step": "step {step}",
    "progress.step_of": "step {step} / {total} ({percent} %)",
    "progress.epoch": "epoch {epoch}",
    "progress.pace": "{secs} s/step",
    "progress.eta": "ETA {duration}",
    "progress.loss": "loss {loss} {spark}",
    # Help: one summary and one usage line per command id the grammar declares.
    "help.pool.list": "List the resource pools.",
    "help.pool.show": "Show one resource pool.",
    "help.pool.nodes": "List a pool's nodes, cordoned and failed ones first.",
    "help.queue.list": "List a pool's queues.",
    "help.queue.show": "Show a queue and its quotas.",
    "help.job.list": "List jobs, newest first.",
    "help.job.show": "Show a job's card.",
    "help.job.events": "Show a job's or a pod's events, warnings first.",
    "help.job.logs": "Show the tail of a pod's log (rank 0 by default).",
    "help.job.metrics": "Show a metric per pod as sparklines; `--chart` sends a PNG chart too.",
    "help.job.nodes": "List the nodes a job runs on.",
    "help.job.why": "Say why a queued job waits: quota, free GPUs, jobs ahead.",
    # Why a queued job waits (bot.insight.waiting); GPU counts are of the job's GPU type.
    "why.title": "*Why `{job}` waits* ({status})",
    "why.asks": "Asks for {replicas} × {per} `{resource}` in queue `{queue}`.",
    "why.not_waiting": "`{job}` is not waiting for resources: it is {status}.",
    "why.nothing": (
        "Nothing AIHC reports explains the wait: the queue's quota, the free GPUs and the jobs "
        "ahead all leave room. It should start soon; `job events` may say more."
    ),
    "why.capability": (
        "Queue `{queue}` is at its capability: {allocated} of {limit} GPUs allocated, and this "
        "job needs {need} more."
    ),
    "why.capability_never": (
        "The job needs {need} GPUs, more than queue `{queue}`'s capability of {limit}: it cannot "
        "start in this queue."
    ),
    "why.deserved": (
        "Queue `{queue}` is at its deserved share with oversell disabled: {allocated} of {limit} "
        "GPUs allocated, and this job needs {need} more."
    ),
    "why.deserved_never": (
        "The job needs {need} GPUs, more than queue `{queue}`'s deserved {limit}, and oversell "
        "is disabled: it cannot start in this queue."
    ),
    "why.borrow": (
        "Queue `{queue}` would go past its deserved {deserved} GPUs ({allocated} allocated + "
        "{need}): oversell is allowed, so it waits for GPUs other queues leave idle."
    ),
    "why.borrow_reclaimable": (
        "The queue is reclaimable: on borrowed GPUs the job may be preempted when their owners "
        "want them back."
    ),
    "why.nodes_free": "Free GPUs of this type on schedulable nodes: {free}; the job needs {need}.",
    "why.nodes_replica": (
        "No schedulable node has {per} free GPUs for one replica (the most on one node: {largest})."
    ),
    "why.nodes_spread": (
        "Only {placeable} of {replicas} replicas fit on the free GPUs ({per} on one node each)."
    ),
    "why.nodes_excluded": "Not counted: {cordoned} cordoned and {failed} failed node(s).",
    "why.reclaim": (
        "AIHC may reclaim {gpus} GPUs that reclaimable queues use beyond their deserved share "
        "({queues})."
    ),
    "why.ahead": (
        "{count} job(s) wait ahead of it in queue `{queue}` (by priority, then queueing order): "
        "{names}"
    ),
    "why.ahead_at_least": (
        "At least {count} job(s) wait ahead of it in queue `{queue}` (by priority, then queueing "
        "order): {names}"
    ),
    "why.ahead_more": "and {count} more.",
    "why.strict_fifo": "The queue is StrictFIFO: nothing behind the first job passes it.",
    "help.help": "Show the commands, or one command's usage.",
    "help_page.title": "*`{command}` commands*",
    "help_page.group.pool": "Pools",
    "help_page.group.queue": "Queues",
    "help_page.group.job": "Jobs",
    "help_page.group.help": "Help",
    "help_page.short": "(short: `{short}`)",
    "help_page.share": "Answers are only visible to you; add `--share` to post one in the channel.",
    "help_page.one": "`{command} help <command>` explains one command.",
    "help_page.usage": "Usage: `{usage}`",
    "unknown.text": "I don't understand `{text}`.",
    "unknown.suggest": "Did you mean `{command}`?",
    "unknown.help": "`{command}` lists every command.",
    # Errors and choices.
    "error.aihc": "AIHC refused the request: {message}",
    "error.aihc_ids": "code `{code}` · request id `{request_id}`",
    "error.unexpected": (
        "Something went wrong on our side. Error id `{error_id}`: an admin can find the details "
        "in the bot's log under that id."
    ),
    "error.no_pool": (
        "Which resource pool? Add `--pool <pool>` to the command, or ask an admin to set this "
        "channel's default with `/aihc config pool <pool>` (or the bot-wide `AIHC_DEFAULT_POOL`)."
    ),
    "error.not_found": "No {kind} `{ref}` found.",
    "error.unavailable": "`{operation}` is not available in AIHC API {version}.",
    "error.queue_needed": (
        "Pool `{pool}` is shared by many accounts: AIHC lists its jobs one queue at a time. "
        "Add `--queue <queue>` (see `/aihc queues --pool {pool}`)."
    ),
    "health.pending_notice": "*{name}* has waited {waited} in queue `{queue}`:",
    "health.restarts": ":repeat: restarted {count}× in {span}",
    "notify.restarted": (
        "*{name}* was restarted by fault tolerance ({count} now, {total} in all); now *{status}*."
    ),
    "health.gpu": "GPU {percent} % {spark}",
    "health.hung": ":hourglass: looks hung since {since}",
    "health.idle": ":zzz: GPUs idle since {since}",
    "health.hang_notice": "*{name}* looks hung: no new log line and no progress for {silent}.",
    "health.hang_notice_gpu": (
        "*{name}* looks hung: no new log line and no progress for {silent}, GPUs at {percent} %."
    ),
    "health.last_line": "Last log line:",
    "health.resumed_notice": "*{name}* is moving again after standing still for {stood}.",
    "health.idle_notice": (
        "*{name}* keeps {gpus} GPUs idle: nearly unused for {idle} (now {percent} %), "
        "{gpu_hours} GPU-hours so far."
    ),
    "error.too_many": (
        "More than {limit} to go through in one command (pools, queues or nodes): "
        "name the one you want by its id."
    ),
    "kind.pool": "resource pool",
    "kind.queue": "queue",
    "kind.job": "job",
    "kind.pod": "pod",
    "choice.ambiguous": "More than one {kind} matches “{ref}”. Which one do you mean?",
    "choice.more": "… and {count} more: name it by its id instead.",
    "choice.not_yours": "Only {who} can choose here; run the command yourself to choose.",
    "entry.too_long": "That command is too long (over {limit} characters); nothing was run.",
    "entry.busy.person": (
        "You already have {limit} commands running; busy, try again in a moment."
    ),
    "entry.busy.all": "The bot is busy with other commands; try again in a moment.",
    # Titles the handlers pass to renderers (raw text, escaped there).
    "jobs.title": "Jobs in pool {pool}",
    "events.title": "Events of {target}",
    "logs.title": "Log of pod {pod}",
    # Command problems the grammar raises (params: option, value, options, name).
    "problem.quotes": "A quote is not closed; check the `\"` and `'` in the command.",
    "problem.unknown_option": "`{option}` is not an option here; try one of {options}.",
    "problem.needs_value": "`{option}` needs a value.",
    "problem.missing": "`{name}` is missing.",
    "problem.extra": "`{value}` is one word too many.",
    "problem.bad_value": "`{value}` is not a valid `{option}`.",
    "problem.bad_duration": (
        "`{value}` is not a duration for `{option}`: use e.g. `90s`, `10m`, `2h`, `1d`, "
        "up to 30 days."
    ),
    "problem.bad_count": "`{option}` takes a number of lines (1 or more), not `{value}`.",
    "problem.bad_status": (
        "`{value}` is not a job status; try Running, Pending, Failed, Succeeded or Stopped."
    ),
    "problem.bad_metric": (
        "`{value}` is not a metric type; try GpuUsage, GpuMemoryUsage, CpuUsage or MemoryUsage."
    ),
    "problem.bad_name": "`{option}` must be a name of 1 to 253 printable characters.",
    "aihc.unreachable": "AIHC did not answer in time; please try again in a minute.",
    # Actions and admin (issue 6): refusals, notices, card controls, modals, audit.
    "role.operator": "operator",
    "role.admin": "admin",
    "refused.role": "You need the *{role}* role to do this.",
    "refused.owner_or_role": "Only the job's owner or someone with the *{role}* role can do this.",
    "refused.channel_pool": (
        "This channel may not act on pool `{pool}`: an admin limited it to other pools "
        "(`/aihc config pools`)."
    ),
    "refused.ask": "Ask an admin to grant it:",
    "refused.no_admins": (
        "No admin is set up yet: whoever runs the bot can name one in `BOT_ADMINS`."
    ),
    "action.request_id": "AIHC request id `{request_id}`",
    "action.stop.done": "{who} stopped job `{job}`.",
    "action.stop.ended": "Job `{job}` has already ended ({status}); nothing to stop.",
    "action.stop.just_done": "{who} stopped job `{job}` a moment ago; nothing more to do.",
    "action.delete.done": "{who} deleted job `{job}`.",
    "action.delete.gone": "Job `{job}` is already gone.",
    "action.priority.done": "{who} set the priority of job `{job}` to {priority}.",
    "action.priority.same": "Job `{job}` already has priority {priority}, or has ended.",
    "action.create.done": "{who} created job `{job}` (`{id}`) in pool `{pool}`.",
    "action.create.use_form": (
        "Type `/aihc job create` to open the form, or give the spec as JSON: "
        '`/aihc job create {{"name": …, "image": …, "command": …}}`.'
    ),
    "action.queue.created": "{who} created queue `{queue}` in pool `{pool}`.",
    "action.queue.updated": "{who} updated queue `{queue}` in pool `{pool}`.",
    "action.queue.deleted": "{who} deleted queue `{queue}` from pool `{pool}`.",
    "action.bad_value": "This button's value is not one the bot made; nothing was done.",
    "action.failed": "That did not work: {message}",
    "terminal.text": (
        "Web terminal into pod `{pod}`. Only you can see this; the link works like a password, "
        "so do not share it."
    ),
    "terminal.open": "Open terminal",
    "card.stop": "Stop",
    "card.priority": "Priority",
    "card.logs": "Logs",
    "card.events": "Events",
    "card.chart": "Chart",
    "card.refresh": "Refresh",
    "card.subscribe": "Subscribe here",
    "confirm.stop.title": "Stop this job?",
    "confirm.stop.text": "Job {job} will be stopped and its pods ended. This cannot be undone.",
    "confirm.stop.yes": "Stop it",
    "confirm.priority.title": "Change the priority?",
    "confirm.priority.text": "Job {job} moves in its queue with its new priority.",
    "confirm.priority.yes": "Change it",
    "confirm.delete.title": "Delete this job?",
    "confirm.delete.text": (
        "Job {job} will be deleted with its pods and logs. This cannot be undone."
    ),
    "confirm.delete.yes": "Delete it",
    "confirm.no": "Cancel",
    "role.granted": "{who} now has the *{role}* role.",
    "role.had": "{who} already had the *{role}* role.",
    "role.revoked": "{who} no longer has the *{role}* role.",
    "role.not_had": "{who} did not have the *{role}* role.",
    "roles.title": "*Roles*",
    "roles.line": "{role}:",
    "roles.bot_admins": "admins from `BOT_ADMINS`:",
    "roles.none": "No roles granted yet.",
    "roles.rules": (
        "Everyone reads. Operators, and a job's owner, stop and re-prioritise jobs and open "
        "terminals. Admins also delete jobs, change queues, configure channels, grant roles "
        "and read the audit trail."
    ),
    "link.done": (
        "{who} is now linked to AIHC user `{aihc_user}`: jobs created as that user count as theirs."
    ),
    "config.pool.done": "This channel's default pool is now `{pool}`.",
    "config.pools.done": "This channel may now act on these pools only: {pools}.",
    "config.pools.all": "This channel may act on every pool again.",
    "audit.title": "*Audit trail* (newest {count})",
    "audit.none": "No audit entries yet.",
    "audit.ok": "ok",
    "audit.refused": "refused",
    "audit.failed": "failed",
    "table.time": "TIME (UTC)",
    "table.user": "USER",
    "table.action": "ACTION",
    "table.target": "TARGET",
    "table.result": "RESULT",
    "table.request_id": "AIHC REQUEST ID",
    "help.job.stop": "Stop a job (its owner or an operator).",
    "help.job.delete": "Delete a job (admins).",
    "help.job.priority": "Change a job's priority (its owner or an operator).",
    "help.job.terminal": "Get a web terminal link into a pod, only for you.",
    "help.job.create": "Create a job: opens a form, or takes the spec as JSON.",
    "help.queue.create": "Create a queue from flags, or in a form without flags (admins).",
    "help.queue.update": "Change a queue's quotas and settings (admins).",
    "help.queue.delete": "Delete a queue (admins).",
    "help.config.pool": "Set this channel's default pool (admins).",
    "help.config.pools": "Limit this channel to some pools, or `all` (admins).",
    "help.admin.grant": "Grant a role (admins).",
    "help.admin.revoke": "Revoke a role (admins).",
    "help.admin.roles": "Show who holds which role.",
    "help.admin.link": "Link a Slack user to their AIHC user name (admins).",
    "help.admin.audit": "Show the newest audit entries (admins).",
    "help_page.group.config": "Channel settings",
    "help_page.group.admin": "Roles and audit",
    "problem.bad_user": "`{value}` is not a Slack user; mention them, e.g. `@wang`.",
    "problem.bad_role": "`{value}` is not a role; use `operator` or `admin`.",
    "problem.bad_priority": "`{value}` is not a priority; use `high`, `normal` or `low`.",
    "problem.bad_audit_count": "`{option}` takes a number from 1 to 50, not `{value}`.",
    "problem.bad_pools": "`{value}` is not a list of pools; write `pool-a,pool-b` or `all`.",
    "problem.bad_quota": "`{value}` is not a quota; write e.g. `gpu=8,cpu=64,memory=512` (GiB).",
    "problem.bad_yes_no": "`{option}` takes `yes` or `no`, not `{value}`.",
    "problem.bad_strategy": (
        "`{value}` is not a queueing strategy; use StrictFIFO or BestEffortFIFO."
    ),
    "problem.bad_spec": "The job spec is not valid: {detail}",
    "modal.loading": "Loading…",
    "modal.loading_text": "Reading the pool's queues and GPU types…",
    "modal.cancel": "Cancel",
    "modal.create": "Create",
    "modal.save": "Save",
    "modal.refused_title": "Not allowed",
    "modal.job.title": "New training job",
    "modal.job.intro": "Pool `{pool}`. The job is labelled with your Slack user.",
    "modal.job.name": "Name",
    "modal.job.image": "Image",
    "modal.job.command": "Command",
    "modal.job.replicas": "Replicas",
    "modal.job.gpu_type": "GPU type",
    "modal.job.gpus": "GPUs per replica",
    "modal.job.cpu": "CPU cores per replica",
    "modal.job.memory": "Memory per replica (GiB)",
    "modal.job.queue": "Queue",
    "modal.job.priority": "Priority",
    "modal.job.pfs": "PFS datasource",
    "modal.job.mount": "Mount path",
    "modal.job.envs": "Environment variables (NAME=value, one a line)",
    "modal.job.labels": "Labels (key=value, one a line)",
    "modal.job.options": "Options",
    "modal.job.rdma": "RDMA",
    "modal.job.fault_tolerance": "Fault tolerance",
    "modal.job.hang_detection": "Hang detection",
    "modal.job.hang_minutes": "Hang timeout (minutes)",
    "modal.job.restart_limit": "Restarts after a fault (at most)",
    "modal.job.fault_patterns": "Log lines that mean a fault (one pattern a line)",
    "modal.queue.create_title": "New queue",
    "modal.queue.update_title": "Update queue",
    "modal.queue.intro": "Queue `{queue}` in pool `{pool}`. Memory in GiB.",
    "modal.queue.quota": "{resource}: {kind}",
    "modal.queue.options": "Options",
    "modal.queue.oversell": "Allow oversell",
    "modal.queue.reclaimable": "Reclaimable",
    "modal.queue.strategy": "Queueing strategy",
    "quota.deserved": "deserved",
    "quota.guarantee": "guarantee",
    "quota.capability": "capability",
    "resource.gpu": "GPUs",
    "resource.cpu": "CPU cores",
    "resource.memory": "Memory (GiB)",
    "invalid.name": "Use 1 to 63 lowercase letters, digits and dashes, starting with a letter.",
    "invalid.required": "Fill this in.",
    "invalid.text": "At most {max} characters, on one line.",
    "invalid.number": "A whole number from {low} to {high}.",
    "invalid.quantity": "A number from 0 to {high}.",
    "invalid.lines": "Line {line}: write NAME=value.",
    "invalid.mount": "An absolute path such as /mnt/data, needed with a datasource.",
    "invalid.gpu_type": "Choose a GPU type for the GPUs.",
    "invalid.quota_order": "Guarantee must not exceed deserved, nor deserved capability.",
    "invalid.choice": "Choose one of the options.",
    # Watching (issue 7): notifications, likely causes, subscriptions.
    "notify.transition": "*{name}* is now *{new}* (was {old}).",
    "notify.failed": "*{name}* failed (was {old}).",
    "notify.cause": "Likely cause: {cause}",
    "notify.log_title": "Last {count} log lines of `{pod}`",
    "notify.events_title": "*Warning events*",
    "notify.event_line": "`{reason}` ×{count}: {message}",
    "notify.events_head": "New warning events on *{name}*",
    "notify.logs_head": "New log lines of `{pod}`",
    "notify.logs_skipped": "… {count} earlier new lines not shown",
    "notify.gone": "*{name}* was deleted from AIHC (last seen {old}).",
    "notify.summary_head": "{count} jobs changed at once:",
    "notify.summary_line": "*{name}*: {old} → {new}",
    "notify.summary_more": "… and {count} more",
    "cause.cuda_oom": "CUDA out of memory: lower the batch size or use more GPUs.",
    "cause.nccl": "NCCL timeout: a collective hung; check the network and the slowest rank.",
    "cause.gpu_xid": "GPU Xid/ECC error: a hardware fault on a node; cordon it and retry.",
    "cause.image_pull": "The image could not be pulled: check its name and the pull secret.",
    "cause.eviction": "A pod was evicted or preempted (node pressure or a higher priority job).",
    "cause.python": "A Python exception in the training code: see the traceback below.",
    "cause.unknown": "Unknown; see the log and the events below.",
    "watch.what_sep": ", ",
    "watch.what.status": "status",
    "watch.what.events": "events",
    "watch.what.logs": "logs",
    "watch.what.progress": "progress",
    "watch.what.hang": "hangs",
    "watch.what.idle": "idle GPUs",
    "watch.what.pending": "why it waits",
    "watch.kind.job": "job",
    "watch.kind.queue": "queue",
    "watch.kind.pool": "pool",
    "watch.title": "*Subscriptions of this channel* ({count})",
    "watch.none": "This channel follows nothing yet. Try `/aihc subscribe <job>`.",
    "watch.row": "*{kind}* `{ref}` · {what}",
    "watch.row_on": "only on: {statuses}",
    "watch.row_mention": "on failure pings {who}",
    "watch.owner": "the owner",
    "watch.row_muted": "muted until {until}",
    "watch.row_paused": "paused: {reason}",
    "watch.paused.archived": "the channel was archived",
    "watch.paused.removed": "the bot was removed from the channel; invite it and subscribe again",
    "watch.paused.other": "Slack refused messages ({code})",
    "watch.remove": "Remove",
    "watch.subscribed": "This channel now follows {kind} `{ref}` ({what}).",
    "watch.unsubscribed": "This channel no longer follows {kind} `{ref}`.",
    "watch.not_subscribed": "This channel does not follow {kind} `{ref}`.",
    "watch.muted": "Muted {kind} `{ref}` until {until}.",
    "watch.unmuted": "Unmuted {kind} `{ref}`.",
    "watch.removed": "Subscription removed.",
    "watch.gone": "That subscription was already removed.",
    "watch.unavailable": "That job or pool cannot be found right now; try the command instead.",
    "watch.refused.role": "You need the *{role}* role to change what this channel follows.",
    "watch.refused.owner_or_role": (
        "Only the job's owner or someone with the *{role}* role can subscribe a channel to it."
    ),
    "watch.refused.channel_pool": "This channel may not use pool `{pool}`.",
    "problem.bad_what": (
        "`{value}` is not a list of notices: status, events, logs, progress, hang, idle, pending "
        "(e.g. `status,hang`)."
    ),
    "problem.bad_mention": "`{value}` is not `owner` or a @mention of a person.",
    "help_page.group.watch": "Watching",
    "help.watch.subscribe": (
        "Follow a job here: a status card, with its changes in the thread "
        "(every notice but logs unless you name some)."
    ),
    "help.watch.subscribe_queue": (
        "Follow every job of a queue in this channel (default: status, events, hang, idle)."
    ),
    "help.watch.subscribe_pool": (
        "Follow every job of a pool in this channel (default: status, events, hang, idle)."
    ),
    "help.watch.unsubscribe": "Stop following a job in this channel.",
    "help.watch.unsubscribe_queue": "Stop following a queue in this channel.",
    "help.watch.unsubscribe_pool": "Stop following a pool in this channel.",
    "help.watch.list": "List what this channel follows, with buttons to remove.",
    "help.watch.mute": "Silence a job's notices here for a while (e.g. `2h`).",
    "help.watch.mute_queue": "Silence a queue's notices here for a while.",
    "help.watch.mute_pool": "Silence a pool's notices here for a while.",
    "help.watch.unmute": "Hear about a muted job again.",
    "help.watch.unmute_queue": "Hear about a muted queue again.",
    "help.watch.unmute_pool": "Hear about a muted pool again.",
    # Digest schedules (issue 16): commands, answers, the subscriptions line.
    "help_page.group.digest": "Digests",
    "help.digest.daily": (
        "Post this channel's digest every day at a local time (default 09:00, in your Slack "
        "time zone unless `--tz` names one; operators)."
    ),
    "help.digest.weekly": "Post this channel's digest every Monday at a local time (operators).",
    "help.digest.off": "Stop this channel's digest (operators).",
    "help.digest.now": "Post this channel's digest now (operators).",
    "digest.period.daily": "daily",
    "digest.period.weekly": "weekly (Mondays)",
    "digest.scheduled": "This channel gets a {period} digest at {at} ({zone}); the next on {next}.",
    "digest.stopped": "This channel no longer gets a digest.",
    "digest.none": "This channel gets no digest.",
    "digest.queued": "This channel's {period} digest is on its way.",
    "digest.row": "*Digest* · {period} at {at} ({zone}) · next {next}",
    "problem.bad_time": "`{value}` is not a time of day: write it like `09:00` (24-hour clock).",
    "problem.bad_zone": "`{value}` is not a time zone: name one like `Asia/Shanghai` or `UTC`.",
    "problem.bad_period": "`{value}` is not `daily` or `weekly`.",
    "digest.title_daily": "Daily digest · {start} to {end}",
    "digest.title_weekly": "Weekly digest · {start} to {end}",
    "digest.pools": "Pools: {names}",
    "digest.queues": "Queues: {names}",
    "digest.jobs_read": "{count} jobs read",
    "digest.partial": "only the newest jobs were read: older ones are left out",
    "digest.nothing": "Nothing ran, finished or waited here in this period.",
    "digest.finished": "*Finished:* {counts}",
    "digest.outcome": "{count} {status}",
    "digest.causes": "*Likely causes of the failures*",
    "digest.cause_line": "{cause} × {count}: {jobs}",
    "digest.cause.cuda_oom": "CUDA out of memory",
    "digest.cause.nccl": "NCCL timeout",
    "digest.cause.gpu_xid": "GPU Xid/ECC error",
    "digest.cause.image_pull": "image pull failed",
    "digest.cause.eviction": "evicted or preempted",
    "digest.cause.python": "Python exception",
    "digest.cause.unknown": "unknown",
    "digest.hours_queue": "*GPU-hours by queue* ({total} in all)",
    "digest.hours_owner": "*GPU-hours by owner*",
    "digest.hours_line": "`{name}` {hours}",
    "digest.owner_unknown": "(no owner given)",
    "digest.more": "… and {count} more",
    "digest.waiting": "*Waiting longest*",
    "digest.waiting_line": "`{job}` in `{queue}` · waiting {duration}",
    "digest.waiting_line_unknown": "`{job}` in `{queue}` · waiting",
    "digest.running": "*Running now*",
    "digest.running_line": "`{job}` in `{queue}` · {gpus} GPUs · for {duration}",
    "digest.running_line_short": "`{job}` in `{queue}`",
    "digest.idle": "*Idle GPUs*",
    "digest.idle_line": "`{job}` · {gpus} GPUs nearly unused for {duration} · {hours} GPU-hours",
    "digest.chart_title": "{period} digest · {start} to {end}",
    "digest.chart_hours": "GPU-hours per day, by queue",
    "digest.chart_hours_y": "GPU-hours",
    "digest.chart_outcomes": "Jobs finished per day, by outcome",
    "digest.chart_outcomes_y": "Jobs",
    "digest.chart_other": "other queues",
    "digest.chart_none": "Nothing in this period.",
    "digest.chart_alt": (
        "Bar charts of the {period} digest from {start} to {end}: {hours} GPU-hours in "
        "{queues} queues, and {finished} jobs finished ({counts})."
    ),
    "digest.period_daily": "Daily",
    "digest.period_weekly": "Weekly",
    "home.title": "Your AIHC jobs",
    "home.role": "Your role: *{role}*",
    "home.role_member": "member (you read everything and act on the jobs you own)",
    "home.linked": "Linked AIHC user: `{user}`",
    "home.not_linked": (
        "No AIHC user is linked to you: the jobs you create from Slack show here; an admin can "
        "link yours with `/aihc link @you <aihc-user>`."
    ),
    "home.refresh": "Refresh",
    "home.updated": "Updated {when}",
    "home.incomplete": "Only the newest jobs of each pool were read.",
    "home.unreadable": "The jobs of {pools} could not be read just now.",
    "home.running": "Running ({count})",
    "home.pending": "Waiting ({count})",
    "home.failed": "Failed in the last 7 days ({count})",
    "home.none": (
        "You own no running, waiting or recently failed job. Jobs you create from Slack, and "
        "those of the AIHC user linked to you, show here."
    ),
    "home.place": "in pool `{pool}`",
    "home.running_for": "Running for {span}",
    "home.waiting_for": "Waiting for {span}",
    "home.ended": "Ended {when}",
    "home.cause": "Likely cause: {cause}",
    "home.not_watched": "No progress known: it shows once a channel follows the job.",
    "home.channels": "Followed in",
    "home.channels_more": "and {count} more",
    "home.no_channels": "No channel follows it.",
    "home.page": "Page {page} of {pages}",
    "home.previous": "Previous",
    "home.next": "Next",
}
