"""What the browser tests do to an exercise page, written once."""

from __future__ import annotations

import time
from typing import Any

from tests._servers import OfflineGuard
from workbook.store import WorkbookStore


def open_app(browser: Any, url: str, guard: OfflineGuard) -> tuple[Any, list[str]]:
    """A page on ``url`` cut off from the network; collects script errors and dialogs."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    # Voila streams the page while a fresh kernel runs the notebook: allow a busy machine.
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(".bw-plan-picker", timeout=90_000)
    return page, errors


def unexpected_requests(guard: OfflineGuard) -> list[str]:
    """Every request that tried to leave the machine (the workbook's template makes none)."""
    return list(guard.blocked)


def wait_for_saved(db_url: str, exercise: str, key: str, value: object,
                   timeout: float = 30) -> None:
    """Until the store holds ``value`` under ``key`` in the first plan."""
    deadline = time.monotonic() + timeout
    answer = None
    while time.monotonic() < deadline:
        with WorkbookStore(db_url) as store:
            plans = store.list_plans()
            answer = store.answers(plans[0].id, exercise).get(key) if plans else None
        if answer is not None and answer.value == value:
            return
        time.sleep(0.2)
    raise AssertionError(f"{key} was not saved within {timeout} s (last: {answer})")


def wait_for_image(page: Any, selector: str) -> None:
    """Until an SVG chart image is decoded and has a size, i.e. drawn."""
    page.wait_for_function(
        "(selector) => { const img = document.querySelector(selector);"
        " return img && img.complete && img.naturalWidth > 200; }",
        arg=f"{selector} img[src^='data:image/svg+xml']", timeout=60_000)


def selected_text(page: Any, selector: str) -> str:
    """The visible text of a select's chosen option (ipywidgets uses no-break spaces)."""
    return page.locator(f"{selector} select").first.evaluate(
        "el => el.options[el.selectedIndex].text").replace("\xa0", " ")
