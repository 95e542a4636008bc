"""AIHC API v2 wire models of pools and queues (`<X>Payload`), read tolerantly.

Typed after Baidu's Go SDK (bce-sdk-go 691631049de9, services/aihc/v2/api/resourcepool.go and
queue.go), the only source that types these answers: Baidu's Python SDK 0.9.79 reads them into
untyped objects. v2 answers carry their fields at the top level, beside `requestId`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field

from bot.aihc.wire.pools import _pruned
from bot.aihc.wire.tolerant import AnObject, Count, Flag, Objects, OptInt, Text, Time, WirePayload


class AssociatedResourcePayload(WirePayload):
    """A resource bound to a pool (Go AssociateResource, resourcepool.go:148-154)."""

    provider: Text = ""
    id: Text = ""


class PoolConfigurationPayload(WirePayload):
    """A pool's switches (Go Configuration, resourcepool.go:136-146); only what v1 also has."""

    forbid_delete: Flag = None


class PoolV2Payload(WirePayload):
    """A resource pool, flat (Go ResourcePool, resourcepool.go:111-134)."""

    resource_pool_id: Text = ""
    name: Text = ""
    type: Text = ""
    region: Text = ""
    description: Text = ""
    created_by: Text = ""
    created_at: Time = None
    updated_at: Time = None
    phase: Text = ""
    k8s_version: Text = Field("", alias="k8sVersion")
    # `omitempty` in Go (resourcepool.go:132): absent means none.
    node_num: Count = 0
    configuration: Annotated[PoolConfigurationPayload, AnObject] = Field(
        default_factory=PoolConfigurationPayload
    )
    associated_resources: Annotated[list[AssociatedResourcePayload], Objects] = Field(
        default_factory=list
    )


class PoolListV2Payload(WirePayload):
    """One page of DescribeResourcePools (Go DescribeResourcePoolsResponse, :92-101)."""

    extra_aliases: ClassVar[Mapping[str, str]] = {"total": "total_count"}
    resource_pools: Annotated[list[PoolV2Payload], Objects] = Field(default_factory=list)
    total_count: OptInt = None


class AcceleratorCardPayload(WirePayload):
    """Cards of one type in a quota (Go AcceleratorCard, resourcepool.go:304-307)."""

    accelerator_count: Text = ""
    accelerator_type: Text = ""


class AmountPayload(WirePayload):
    """A queue quota (Go ResourceAmount, queue.go:85-89): milli-cores, GiB, cards by type."""

    milli_cpu_cores: Text = ""
    memory_gi: Text = ""
    accelerator_card_list: Annotated[list[AcceleratorCardPayload], Objects] = Field(
        default_factory=list
    )


class QueueV2Payload(WirePayload):
    """A queue with its children nested (Go QueueSpec, queue.go:48-83)."""

    queue_id: Text = ""
    queue_name: Text = ""
    description: Text = ""
    queue_type: Text = ""
    resource_pool_id: Text = ""
    created_at: Time = None
    parent_queue: Text = ""
    opened: Flag = None
    reclaimable: Flag = None
    disable_oversell: Flag = None
    queueing_strategy: Text = ""
    # Each `omitempty` (queue.go:71-74): a quota left out reads as an empty one.
    capability: Annotated[AmountPayload, AnObject] = Field(default_factory=AmountPayload)
    deserved: Annotated[AmountPayload, AnObject] = Field(default_factory=AmountPayload)
    guarantee: Annotated[AmountPayload, AnObject] = Field(default_factory=AmountPayload)
    allocated: Annotated[AmountPayload, AnObject] = Field(default_factory=AmountPayload)
    # `omitempty` ints in Go (queue.go:77-79): the service leaves out a count of 0.
    running_jobs: Count = 0
    inqueue_jobs: Count = 0
    pending_jobs: Count = 0
    children: Annotated[list[QueueV2Payload], BeforeValidator(_pruned)] = Field(
        default_factory=list
    )


class QueueListV2Payload(WirePayload):
    """DescribeQueues (Go DescribeResourceQueuesResponse, queue.go:35-42): the tops of a tree."""

    queues: Annotated[list[QueueV2Payload], Objects] = Field(default_factory=list)
    total_count: OptInt = None
