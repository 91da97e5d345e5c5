"""Browser fixtures: Debian's Chromium through Playwright, cut off from the network."""

from __future__ import annotations

import pytest

from tests._servers import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield launched
        launched.close()
