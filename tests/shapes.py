"""Which shapes the suite's simulators answer in, live unless `pytest --sim-shapes=document`.

Live shapes are what Baidu's Go SDK reads from the service; document shapes are the v1
document's examples exactly. The suite passes in both (`SimConfig.shapes`).
"""

from __future__ import annotations

from bot.simulator.state import Shapes

_chosen: list[Shapes] = ["live"]


def choose(shapes: Shapes) -> None:
    """Set the shapes every simulator the suite starts answers in."""
    _chosen[0] = shapes


def suite_shapes() -> Shapes:
    """Return the shapes chosen for this run."""
    return _chosen[0]
