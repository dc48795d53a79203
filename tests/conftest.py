"""Shared fixtures: the NER model is loaded once per test session."""

from __future__ import annotations

import pytest

from generator.entities import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One Analyzer for the whole session; its spaCy model loads on first use."""
    return Analyzer()
