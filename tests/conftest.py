"""Shared fixtures: the NER model is loaded once per test session."""

from __future__ import annotations

import pytest

from generator.ingest.entities import Analyzer
from generator.pipeline import default_analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The build's own analyser (one per process), so end-to-end builds share its model."""
    return default_analyzer()
