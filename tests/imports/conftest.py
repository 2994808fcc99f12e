"""Fixtures shared by the imports' tests."""

from __future__ import annotations

import pytest

from tests import factories as f


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def position(org):
    return f.PositionFactory(code="LT1")
