""" "Am I bought in myself?" as a Voila app in headless Chromium, with the network cut off."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.store import WorkbookStore
from tests.plugin.pages import (
    open_app,
    selected_text,
    unexpected_requests,
    wait_for_chart,
    wait_for_saved,
)
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium

NOTEBOOK = notebooks_dir() / "02-am-i-bought-in.ipynb"
SENTENCE = "We’ll leverage synergies <img src=x onerror=window.hacked=1> by Q3 🚀"


def test_fill_in_reload_and_find_everything(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'voila.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.remember_plan(store.create_plan("New on-call rota").id)
    guard = OfflineGuard()
    url = servers.voila(NOTEBOOK, db_url)
    page, errors = open_app(browser, url, guard)
    expect(page.locator(".bw-plan-name input")).to_have_value("New on-call rota")

    # Step 2: the attitude by keyboard (arrow keys move within the radio group).
    page.get_by_label("Formal compliance", exact=False).first.focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Genuine compliance", exact=False).first).to_be_checked()
    page.get_by_label("Bought in: I am personally all in").check()

    # Step 3 by mouse.
    for foundation_id, score in {
        "clear": 4,
        "compelling": 2,
        "realistic": 3,
        "consistent": 4,
        "understood": 5,
    }.items():
        select = page.locator(f".bw-score-{foundation_id} select")
        label = select.locator(f"option[value^='{score}']").first.inner_text()
        select.select_option(label=label.replace("\xa0", " "))
    page.locator(".bw-evidence-compelling input").fill("Two people asked why we bother")

    # Step 4: typed by keyboard, shown back as text.
    page.locator(".bw-sentence textarea").click()
    page.keyboard.type(SENTENCE)
    expect(page.locator(".bw-findings")).to_contain_text("Vague words: “leverage”")
    expect(page.locator(".bw-findings")).to_contain_text("Names a time (Q3)")

    # Step 5.
    page.locator(".bw-mover-add").click()
    page.locator(".bw-mover-what input").fill("Budget for a second team confirmed")
    page.locator(".bw-mover-from_whom input").fill("My director")

    expect(page.locator(".bw-reading")).to_contain_text("premature")
    wait_for_chart(page, ".bw-chart")
    wait_for_chart(page, ".bw-ladder-chart")
    wait_for_saved(db_url, "selfcheck", "sentence", SENTENCE)
    wait_for_saved(
        db_url, "selfcheck", "foundation/compelling/evidence", "Two people asked why we bother"
    )
    assert page.evaluate("window.hacked === undefined")
    assert errors == []

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".bw-foundation-card", timeout=90_000)
    wait_for_chart(page, ".bw-chart")
    expect(page.get_by_label("Genuine compliance", exact=False).first).to_be_checked()
    assert selected_text(page, ".bw-score-compelling").startswith("2")
    assert page.locator(".bw-sentence textarea").input_value() == SENTENCE
    assert page.locator(".bw-mover-from_whom input").input_value() == "My director"
    expect(page.locator(".bw-reading")).to_contain_text("Weakest foundation: Compelling")
    assert page.evaluate("window.hacked === undefined")

    page.set_viewport_size({"width": 1100, "height": 1500})
    page.locator(".bw-result").screenshot(path=str(SCREENSHOTS / "selfcheck-voila-result.png"))
    page.close()
    url.stop()
    assert unexpected_requests(guard) == []
