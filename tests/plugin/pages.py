"""What the browser tests do to an exercise page, written once."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import expect

from buyin_workbook.store import WorkbookStore
from tests.plugin.servers import OfflineGuard


def offline_page(browser: Any, guard: OfflineGuard) -> tuple[Any, list[str]]:
    """A new page (in its own context) cut off from the network; collects script errors
    and dialogs."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    guard.watch(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    return page, errors


def visit(page: Any, url: str) -> Any:
    """Go to ``url``; Voila streams a page while its kernel starts, so allow a busy machine."""
    return page.goto(url, wait_until="domcontentloaded", timeout=180_000)


def open_app(browser: Any, url: str, guard: OfflineGuard) -> tuple[Any, list[str]]:
    """An exercise app on ``url``, offline, once its plan step is on screen."""
    page, errors = offline_page(browser, guard)
    visit(page, url)
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    return page, errors


def kernel_id(page: Any) -> str:
    """The id of the kernel behind an app page."""
    return page.evaluate(  # type: ignore[no-any-return]
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def create_plan(page: Any, name: str) -> None:
    page.locator(".bw-plan-new-name input").fill(name)
    page.locator(".bw-plan-create").click()
    expect(page.locator(".bw-plan-message")).to_contain_text(f"Plan “{name}” created.")


def unexpected_requests(guard: OfflineGuard) -> list[str]:
    """Every request that tried to leave the machine (the workbook's template makes none)."""
    return list(guard.blocked)


def wait_for_saved(
    db_url: str, exercise: str, key: str, value: object, timeout: float = 30
) -> None:
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


#: A chart drawn in the page by the workbook's renderer: SVG marks, named for screen readers.
CHART_SVG = ".bw-VegaChart[role=img][aria-label] svg.marks"


def wait_for_chart(page: Any, selector: str) -> None:
    """Until the page's own renderer has drawn the chart under ``selector`` as SVG elements
    with a real size (not an image sent by the kernel)."""
    page.wait_for_function(
        "(selector) => { const svg = document.querySelector(selector);"
        " return svg && svg.getBoundingClientRect().width > 200"
        " && svg.querySelectorAll('path, text').length > 3; }",
        arg=f"{selector} {CHART_SVG}",
        timeout=60_000,
    )
    images = page.locator(f"{selector} img").count()
    assert images == 0, f"{selector} shows {images} image(s): charts must be drawn in the page"


def selected_text(page: Any, selector: str) -> str:
    """The visible text of a select's chosen option (ipywidgets uses no-break spaces)."""
    return (
        page.locator(f"{selector} select")
        .first.evaluate("el => el.options[el.selectedIndex].text")
        .replace("\xa0", " ")
    )


def seed_charted_plan(store: WorkbookStore, name: str) -> int:
    """A plan with every exercise answered far enough to draw all its charts; its id.

    The plan is remembered as the one worked on, so each exercise opens on it.
    """
    from buyin_workbook.exercises.motivators import load_content as motivators_content
    from buyin_workbook.exercises.motivators.model import Member, MotivatorsAnswers
    from tests.exercises.choice.test_charts import rated
    from tests.exercises.selfcheck.test_scoring import answers as selfcheck_answers
    from tests.exercises.stakeholders.test_scoring import complete

    order = [motivator.id for motivator in motivators_content().motivators]
    motivators = MotivatorsAnswers(
        leader_order=order,
        effects={order[0]: "feeds", order[-1]: "threatens"},
        members=[Member("m1", "Dana"), Member("m2", "Sam")],
        guesses={"m1": order[::-1], "m2": order[1:] + order[:1]},
    )
    plan = store.create_plan(name)
    for exercise, answers in (
        ("choice", rated()),
        ("selfcheck", selfcheck_answers()),
        ("motivators", motivators),
        ("stakeholders", complete()),
    ):
        for key, value in answers.to_store().items():
            store.save_answer(plan.id, exercise, key, value)
    store.remember_plan(plan.id)
    return plan.id
