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
from bot.aihc.wire.tolerant import (
    AnObject,
    Count,
    Flag,
    Number,
    Objects,
    OptInt,
    Text,
    Time,
    WirePayload,
)


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


# DescribeResourcePoolOverview (Go resourcepool.go:107-109, :217-302). What the live service puts
# in `accleratorType` and `accleratorDescriptor` (Go's spelling) is unverified: the descriptor is
# read as the GPU resource name jobs request, v1's `gpuDetail[].gpuDescriptor`, as the simulator
# serves it. Only what the bot reads is typed; `taskPodList`, CPU and memory figures are dropped.


class StatisticPayload(WirePayload):
    """Totals of one resource (Go ResourceStatistic, :242-256): float64s in Go."""

    capacity: Number = None
    allocated: Number = None


class NodeAmountPayload(WirePayload):
    """A node's amount of resources (Go NodeResourceAmount, :296-302); absent means 0."""

    gpu_num: Count = 0


class NodeResourcePayload(WirePayload):
    """One node's GPUs (Go NodeResource, :285-294)."""

    acclerator_type: Text = ""
    acclerator_descriptor: Text = ""
    capacity: Annotated[NodeAmountPayload, AnObject] = Field(default_factory=NodeAmountPayload)
    allocated: Annotated[NodeAmountPayload, AnObject] = Field(default_factory=NodeAmountPayload)


def _objects_by_key(value: object) -> dict[str, object]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, Mapping)}


class PoolStatisticPayload(WirePayload):
    """One pool's figures (Go ResourcePoolStatistic, :266-283); nodes keyed by name."""

    resource_pool_id: Text = ""
    accelerators_statistic: Annotated[StatisticPayload, AnObject] = Field(
        default_factory=StatisticPayload
    )
    node_resource_statistic: Annotated[
        dict[str, NodeResourcePayload], BeforeValidator(_objects_by_key)
    ] = Field(default_factory=dict)


class TypeStatisticPayload(WirePayload):
    """The pools of one pool type (Go ResourcePoolsStatisticWithType, :217-225)."""

    type: Text = ""
    resource_pool_statistics: Annotated[list[PoolStatisticPayload], Objects] = Field(
        default_factory=list
    )


class OverviewPayload(WirePayload):
    """DescribeResourcePoolOverview (Go DescribeResourcePoolOverviewResponse, :107-109)."""

    resource_pools_statistic_with_type: Annotated[list[TypeStatisticPayload], Objects] = Field(
        default_factory=list
    )
