"""Fixtures of the AIHC client tests."""

from __future__ import annotations

import pytest

from tests.aihc.fake import FakeAihc


@pytest.fixture
def fake() -> FakeAihc:
    """A fresh fake AIHC server."""
    return FakeAihc()
