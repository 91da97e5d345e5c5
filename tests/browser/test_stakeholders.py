""" "Who else must buy in, and who will sell with me?" as a Voila app in headless Chromium,
with the network cut off."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.store import WorkbookStore
from tests.plugin.pages import open_app, selected_text, unexpected_requests, wait_for_chart
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium

NOTEBOOK = notebooks_dir() / "04-stakeholders.ipynb"
HOSTILE = "VP Eng <img src=x onerror=window.hacked=1>"
CASE = "It ends our Friday release pain <script>window.hacked=2</script>"


def choose(scope: Any, css_class: str, starts_with: str) -> None:
    """Pick, with the mouse, the option of a dropdown whose label starts so."""
    select = scope.locator(f".{css_class} select")
    label = select.locator(f"option[value^='{starts_with}']").first.inner_text()
    select.select_option(label=label.replace("\xa0", " "))


def wait_for_store(db_url: str, check: Any, timeout: float = 30) -> dict[str, Any]:
    """Until the first plan's saved answers pass ``check``; returns them."""
    deadline = time.monotonic() + timeout
    values: dict[str, Any] = {}
    while time.monotonic() < deadline:
        with WorkbookStore(db_url) as store:
            plan = store.list_plans()[0]
            values = {k: a.value for k, a in store.answers(plan.id, "stakeholders").items()}
        if check(values):
            return values
        time.sleep(0.2)
    raise AssertionError(f"not saved within {timeout} s: {values}")


def test_fill_in_see_the_grid_reload_and_find_everything(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'voila.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.remember_plan(store.create_plan("Q3 platform migration").id)
    guard = OfflineGuard()
    url = servers.voila(NOTEBOOK, db_url)
    page, errors = open_app(browser, url, guard)
    expect(page.locator(".bw-plan-name input")).to_have_value("Q3 platform migration")

    # Step 2 by keyboard: type the name, Tab to the level and pick it with the arrow keys.
    page.locator(".bw-new-name input").click()
    page.keyboard.type(HOSTILE)
    page.keyboard.press("Tab")
    expect(page.locator(".bw-new-level select")).to_be_focused()
    page.keyboard.press("ArrowDown")
    assert selected_text(page, ".bw-new-level") == "Executive"
    page.locator(".bw-stakeholder-add").click()
    expect(page.locator(".bw-stakeholder-card")).to_have_count(1)
    # Typed markup shows as text and never runs.
    expect(page.locator(".bw-stakeholder-name").first).to_have_text(HOSTILE)
    vp = page.locator(".bw-stakeholder-card").first
    expect(vp.locator(".bw-stakeholder-concern textarea")).to_have_value(
        "What it returns for what it costs, which risks it brings and how they are "
        "covered, how it serves the company's goals, and when it pays off."
    )

    # By mouse: a peer team, then the same name again, refused.
    page.locator(".bw-new-name input").fill("Payments team")
    page.locator(".bw-new-level select").select_option(label="Peer team")
    page.locator(".bw-stakeholder-add").click()
    expect(page.locator(".bw-stakeholder-card")).to_have_count(2)
    page.locator(".bw-new-name input").fill("payments  TEAM")
    page.locator(".bw-stakeholder-add").click()
    expect(page.locator(".bw-stakeholder-message")).to_contain_text("already on your list")
    expect(page.locator(".bw-stakeholder-card")).to_have_count(2)

    payments = page.locator(".bw-stakeholder-card").nth(1)
    for card, power, interest, state in (
        (vp, "5", "4", "Formal compliance"),
        (payments, "3", "5", "Commitment"),
    ):
        choose(card, "bw-stakeholder-power", power)
        choose(card, "bw-stakeholder-interest", interest)
        choose(card, "bw-stakeholder-state", state)
    vp.locator(".bw-stakeholder-concern textarea").fill("Payback within a year")

    payments.locator(".bw-stakeholder-champion input").check()
    payments.locator(".bw-stakeholder-audience input").fill("the other team leads")
    payments.locator(".bw-stakeholder-case textarea").click()
    page.keyboard.type(CASE)
    choose(payments, "bw-stakeholder-role", "Seller")

    # Steps 3 and 4, and a next conversation in the result.
    page.locator(".bw-obstacle-timing select").select_option(label="Yes, it is true of this plan")
    page.locator(".bw-strategy-quick_win select").select_option(label="Not yet")
    page.locator(".bw-conversation-add").click()
    page.locator(".bw-conversation-who input").fill("VP Eng")
    page.locator(".bw-conversation-about input").fill("Payback and the Q4 risk")
    page.locator(".bw-conversation-when input").fill("2027-01-15")

    reading = page.locator(".bw-reading")
    expect(reading).to_contain_text(
        f"Start with the key players who are not bought in yet: {HOSTILE}."
    )
    expect(reading).to_contain_text(
        "Enable rather than sell: you plan to make the case to Payments team yourself"
    )
    expect(reading).to_contain_text("Obstacle present: Poor timing.")
    expect(reading).to_contain_text("Strategy missing: A quick win shown.")
    expect(reading).to_contain_text(
        "1 conversation planned, with VP Eng about “Payback and the Q4 risk”, by 15 Jan 2027"
    )
    expect(page.locator(".bw-champions")).to_contain_text(CASE)
    wait_for_chart(page, ".bw-chart")
    values = wait_for_store(
        db_url,
        lambda v: (
            any(key.endswith("/case") and value == CASE for key, value in v.items())
            and (v.get("conversations") or [{}])[0].get("by_when") == "2027-01-15"
        ),
    )
    vp_id = values["stakeholders"][0]["id"]
    assert values["stakeholders"][0]["name"] == HOSTILE
    assert values[f"stakeholder/{vp_id}/power"] == 5
    assert values["obstacle/timing/answer"] == "yes"
    wait_for_store(
        db_url, lambda v: v.get(f"stakeholder/{vp_id}/concern") == "Payback within a year"
    )
    assert page.evaluate("window.hacked === undefined")
    assert errors == []

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".bw-stakeholder-card", timeout=90_000)
    wait_for_chart(page, ".bw-chart")
    expect(page.locator(".bw-stakeholder-card")).to_have_count(2)
    expect(page.locator(".bw-stakeholder-name").first).to_have_text(HOSTILE)
    vp = page.locator(".bw-stakeholder-card").first
    payments = page.locator(".bw-stakeholder-card").nth(1)
    assert selected_text(vp, ".bw-stakeholder-power").startswith("5 ")
    assert selected_text(payments, ".bw-stakeholder-state").startswith("Commitment")
    expect(vp.locator(".bw-stakeholder-concern textarea")).to_have_value("Payback within a year")
    expect(payments.locator(".bw-stakeholder-champion input")).to_be_checked()
    expect(payments.locator(".bw-stakeholder-case textarea")).to_have_value(CASE)
    expect(page.locator(".bw-conversation-who input")).to_have_value("VP Eng")
    expect(page.locator(".bw-conversation-when input")).to_have_value("2027-01-15")
    expect(page.locator(".bw-reading")).to_contain_text("Obstacle present: Poor timing.")
    assert page.evaluate("window.hacked === undefined")

    # Tall enough for the whole result, so that all of it is painted.
    page.set_viewport_size({"width": 1100, "height": 2600})
    page.locator(".bw-result").scroll_into_view_if_needed()
    page.locator(".bw-result").screenshot(path=str(SCREENSHOTS / "stakeholders-voila-result.png"))
    page.close()
    url.stop()
    assert unexpected_requests(guard) == []
