"""Shared fixtures: the NER model is loaded once per test session; headless Chromium once per module."""

from __future__ import annotations

import pytest

from generator.ingest.entities import Analyzer
from generator.pipeline import default_analyzer


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (each test opens its own pages or context)."""
    from tests.helpers import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM

    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The build's own analyser (one per process), so end-to-end builds share its model."""
    return default_analyzer()
