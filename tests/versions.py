"""Marks for tests of what one AIHC API version alone offers."""

from __future__ import annotations

import pytest

v1_only = pytest.mark.parametrize("api_version", ["v1"])
"""Run an end-to-end test on v1 alone: it exercises what v2 lacks (node lists, queue writes);
v2's one-line refusal of those is tested in `tests/slack/test_api_versions.py`."""
