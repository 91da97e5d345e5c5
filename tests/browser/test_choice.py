"""The choice exercise as a Voila app in headless Chromium, with the network cut off."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.exercises.choice import load_content
from buyin_workbook.store import WorkbookStore
from tests.plugin.pages import (
    CHART_SVG,
    open_app,
    selected_text,
    unexpected_requests,
    wait_for_chart,
    wait_for_saved,
)
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium

NOTEBOOK = notebooks_dir() / "01-how-much-choice.ipynb"
REFLECTION = "The deadline <script>window.hacked=1</script> é 🚀"


def _pick(page, css_class: str, nth: int, label: str) -> None:
    page.locator(f".{css_class} select").nth(nth).select_option(label=label)


def test_fill_in_reload_and_find_everything(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'voila.sqlite'}"
    guard = OfflineGuard()
    url = servers.voila(NOTEBOOK, db_url)
    page, errors = open_app(browser, url, guard)

    # Step 1 by keyboard: type the plan's name and press the button with Enter.
    page.locator(".bw-plan-new-name input").fill("Q3 platform migration")
    page.locator(".bw-plan-create").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".bw-suggestion")

    # Step 2: two suggestions by mouse, one free entry, one refused duplicate.
    page.get_by_role("button", name="+ The deadline").click()
    page.get_by_role("button", name="+ The tools we use").click()
    page.locator(".bw-decision-text input").fill("<img src=x onerror=alert(1)>Rollout")
    page.locator(".bw-decision-add").click()
    # As a person would: see it listed and the box cleared before typing the next one.
    expect(page.locator(".bw-decision-label")).to_have_count(3)
    expect(page.locator(".bw-decision-text input")).to_have_value("")
    page.locator(".bw-decision-text input").fill("the DEADLINE")
    page.locator(".bw-decision-add").click()
    page.wait_for_selector(".bw-decision-message .bw-message-error")
    assert "already on the list" in page.locator(".bw-decision-message").inner_text()
    assert page.locator(".bw-decision-label").count() == 3

    # Step 3: rate every decision; the third has no headroom left.
    content = load_content()
    plan_levels = [
        {"what-today": 1, "what-possible": 4, "how-today": 3, "how-possible": 6},
        {"what-today": 2, "what-possible": 3, "how-today": 4, "how-possible": 7},
        {"what-today": 3, "what-possible": 3, "how-today": 5, "how-possible": 5},
    ]
    # The first level by keyboard alone: focus the box, one step down from "Choose".
    page.locator(".bw-rate-what-today select").first.focus()
    page.keyboard.press("ArrowDown")
    for card, levels in enumerate(plan_levels):
        for css, value in levels.items():
            if (card, css) == (0, "what-today"):
                continue
            level = content.level(value)
            _pick(page, f"bw-rate-{css}", card, f"{level.label}: {level.meaning}")
    # Step 4: the Tell ratings ask what holds the leader.
    page.wait_for_selector(".bw-constraint-card")
    first = page.locator(".bw-constraint-card").first
    first.locator("select").select_option(label="My own comfort or habit")
    first.get_by_text("Self-imposed").click()
    # Step 6: a reflection with script in it, typed by keyboard.
    reflection = page.locator(".bw-reflection-hardest textarea")
    reflection.click()
    page.keyboard.type(REFLECTION)

    wait_for_chart(page, ".bw-chart")
    expect(page.locator(".bw-reading")).to_contain_text("You could hand over")
    # Saved as typed: the store holds the sentence without any save button pressed.
    wait_for_saved(db_url, "choice", "reflection/hardest", REFLECTION)
    expect(page.locator(".bw-save-status")).to_contain_text("All answers saved")

    # Nothing typed ran as code; it shows as text.
    assert page.evaluate("window.hacked === undefined")
    decision_list = page.locator(".bw-decision-list").inner_text()
    assert "<img src=x onerror=alert(1)>Rollout" in decision_list
    assert errors == []

    # Reload: a new kernel, everything restored from the store.
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".bw-rating-card", timeout=90_000)
    wait_for_chart(page, ".bw-chart")
    assert page.locator(".bw-decision-label").all_inner_texts() == [
        "The deadline",
        "The tools we use",
        "<img src=x onerror=alert(1)>Rollout",
    ]
    # The keyboard's choice, and one by mouse.
    assert selected_text(page, ".bw-rate-what-today").startswith("1 · Tell")
    assert selected_text(page, ".bw-rate-how-possible").startswith("6 · Inquire")
    assert page.locator(".bw-reflection-hardest textarea").input_value() == REFLECTION
    assert page.locator(".bw-constraint-card input[type=radio]:checked").count() >= 1
    assert "You could hand over" in page.locator(".bw-reading").inner_text()
    # The chart draws the label as SVG text: shown as typed, nothing inside it parsed.
    chart = page.locator(f".bw-chart {CHART_SVG}")
    assert "<img src=x onerror=alert(1)>Rollout" in chart.locator("text").all_text_contents()
    assert chart.locator("img, script, foreignObject").count() == 0
    assert page.evaluate("window.hacked === undefined")

    page.set_viewport_size({"width": 1100, "height": 1500})
    page.locator(".bw-rating-card").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "choice-voila-ratings.png"))
    page.locator(".bw-result").screenshot(path=str(SCREENSHOTS / "choice-voila-result.png"))

    # On a phone-sized window the charts shrink to fit instead of running off the edge.
    page.set_viewport_size({"width": 390, "height": 900})
    for selector in (".bw-chart", ".bw-headroom-chart"):
        # The renderer redraws a chart after the window's resize settles, not at once.
        page.wait_for_function(
            """(css) => { const r = document.querySelector(css).getBoundingClientRect();
                          return r.left >= 0 && r.right <= 390; }""",
            arg=f"{selector} {CHART_SVG}",
            timeout=15_000,
        )
        box = page.locator(f"{selector} {CHART_SVG}").bounding_box()
        assert box is not None and box["width"] > 200, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (selector, box)
    page.close()

    url.stop()
    assert unexpected_requests(guard) == [], "the app asked the network for something"

    with WorkbookStore(db_url) as store:
        (plan,) = store.list_plans()
        saved = store.answers(plan.id, "choice")
    assert plan.name == "Q3 platform migration"
    assert saved["reflection/hardest"].value == REFLECTION
    assert len(saved["decisions"].value) == 3


#: Where the keyboard's focus is: the nearest workbook class of the focused element (or what
#: it is), so a test can say where the focus must be after each step.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return 'the page'; }
  const owner = element.closest('[class*="bw-"]');
  const named = owner ? [...owner.classList].find(name => name.startsWith('bw-')) : '';
  return `${element.tagName.toLowerCase()} ${named}`;
}"""


def _tab_to(page, css: str, limit: int = 80) -> None:
    """Press Tab until the focus is in ``css`` (fails if it never gets there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(css) => document.activeElement.closest(css) !== null", css):
            return
    raise AssertionError(f"{css} cannot be reached with Tab (focus: {page.evaluate(FOCUS)})")


def _focus(page) -> str:
    return page.evaluate(FOCUS)  # type: ignore[no-any-return]


def _settled_revision(db_url: str, plan_id: int, quiet: float = 1.5, timeout: float = 30) -> int:
    """The plan's revision once no save has landed for ``quiet`` seconds: a removal saves the
    list, then deletes the removed decision's answers, after the page already shows it."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        with WorkbookStore(db_url) as store:
            revision = store.get_plan(plan_id).revision
        if revision != last:
            last, since = revision, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return revision
        time.sleep(0.2)
    raise AssertionError(f"the plan kept changing for {timeout} s (revision {last})")


def test_the_choice_exercise_by_keyboard_alone(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    """Tab, Enter, Space and the arrows only: a plan, decisions added and removed, ratings
    and a reflection; after each add or remove the focus is somewhere sensible, and a
    rating arrowed through several levels is saved once, at the level it settled on."""
    db_url = f"sqlite:///{tmp_path / 'voila.sqlite'}"
    guard = OfflineGuard()
    url = servers.voila(NOTEBOOK, db_url)
    page, errors = open_app(browser, url, guard)
    expect(page.locator(".bw-plan-new-name input")).to_be_visible()
    page.locator("body").focus()

    _tab_to(page, ".bw-plan-new-name")
    page.keyboard.type("Keyboard plan")
    page.keyboard.press("Enter")
    expect(page.locator(".bw-plan-message")).to_contain_text("Plan “Keyboard plan” created.")
    expect(page.locator(".bw-plan-select select")).to_be_focused()

    # Suggestions: Enter on one, Space on the next; the focus moves along the row.
    _tab_to(page, ".bw-suggestion")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.locator(".bw-decision-label")).to_have_count(1)
    focused_suggestion = page.locator(".bw-suggestion:focus")
    expect(focused_suggestion).not_to_have_text(first)  # the next one, not the page
    second = focused_suggestion.inner_text()
    page.keyboard.press(" ")
    expect(page.locator(".bw-decision-label")).to_have_count(2)
    expect(focused_suggestion).not_to_have_text(second)

    # A decision of one's own, with Enter in its box: the box keeps the focus.
    _tab_to(page, ".bw-decision-text")
    page.keyboard.type("Who joins the rota")
    page.keyboard.press("Enter")
    expect(page.locator(".bw-decision-label")).to_have_count(3)
    expect(page.locator(".bw-decision-text input")).to_be_focused()
    expect(page.locator(".bw-decision-text input")).to_have_value("")

    # Removing the first decision puts the focus on the remove button now in its place.
    page.locator("body").focus()
    _tab_to(page, ".bw-decision-remove")
    removed = page.evaluate("document.activeElement.title")
    page.keyboard.press("Enter")
    expect(page.locator(".bw-decision-label")).to_have_count(2)
    # The focus is on the remove button now in its place (another decision's).
    expect(page.locator(".bw-decision-remove:focus")).to_have_count(1)
    expect(page.locator(".bw-decision-remove:focus")).not_to_have_attribute("title", removed)

    # A rating arrowed down three levels at once is saved once, at the last level.
    with WorkbookStore(db_url) as store:
        (plan,) = store.list_plans()
    before = _settled_revision(db_url, plan.id)
    _tab_to(page, ".bw-rate-what-today")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert _focus(page) == "select bw-rate-what-today"
    decision = page.evaluate(
        "document.activeElement.closest('.bw-rating-card')"
        ".querySelector('.bw-rate-what-today select').selectedIndex"
    )
    assert decision == 3
    with WorkbookStore(db_url) as store:
        first_id = store.answers(plan.id, "choice")["decisions"].value[0]["id"]
    wait_for_saved(db_url, "choice", f"rating/{first_id}/what/today", 3)
    with WorkbookStore(db_url) as store:
        assert store.get_plan(plan.id).revision == before + 1

    # A reflection, typed after tabbing to it.
    prompt = load_content().reflections[0].id
    _tab_to(page, f".bw-reflection-{prompt}")
    page.keyboard.type("Nobody asked the team about the rota.")
    wait_for_saved(
        db_url, "choice", f"reflection/{prompt}", "Nobody asked the team about the rota."
    )
    assert _focus(page) != "the page"
    assert errors == []
    page.close()
    url.stop()
    assert unexpected_requests(guard) == []
