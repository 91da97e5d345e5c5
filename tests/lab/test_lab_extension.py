"""The JupyterLab extension as a leader uses it: a launcher card opens their own copy of an
exercise, they answer, and the sidebar's progress follows. Headless Chromium, offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.languages import translator
from buyin_workbook.store import WorkbookStore
from tests.plugin.pages import visit
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium


def test_launcher_card_own_copy_answer_and_sidebar_progress(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    root = tmp_path / "work"
    root.mkdir()
    db_url = f"sqlite:///{tmp_path / 'lab.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.remember_plan(store.create_plan("New on-call rota").id)

    guard = OfflineGuard()
    url = servers.lab(root, db_url)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    guard.watch(page)
    page.goto(url, wait_until="domcontentloaded")

    # The sidebar first: the plan, with the choice exercise not started.
    page.locator(".jp-SideBar [title='Buy-in Workbook']").click()
    expect(page.locator(".bw-lab-sidebar")).to_be_visible()
    choice = (
        page.locator(".bw-lab-plan")
        .filter(has_text="New on-call rota")
        .locator(".bw-lab-exercise[data-exercise='choice']")
    )
    expect(choice.locator(".bw-lab-progress")).to_have_text("not started", timeout=60_000)

    # The launcher's card makes the user's own copy and opens it, ready to use: its cells
    # run by themselves.
    section = page.locator(".jp-Launcher-section").filter(has_text="Buy-in Workbook")
    expect(section.locator(".jp-LauncherCard")).to_have_count(6, timeout=60_000)
    section.locator(".jp-LauncherCard").filter(has_text="How much choice can I give?").click()
    expect(page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text(
        "01-how-much-choice.ipynb", timeout=60_000
    )
    assert (root / "buyin-workbook" / "01-how-much-choice.ipynb").is_file()

    # Answer one question in the copy.
    page.get_by_role("button", name="+ The deadline").click(timeout=90_000)

    # The sidebar sees it, with no reload.
    expect(choice.locator(".bw-lab-progress")).to_have_text("in progress", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "lab-sidebar.png"))

    # The facilitator's notebook, from its own card: its charts drawn by the workbook, with
    # no network. (A workspace of its own, so the exercise's tab is not restored beside it.)
    page.goto(f"{url}/workspaces/facilitator")
    page.locator(".jp-LauncherCard").filter(has_text="My course cohort in figures").click(
        timeout=60_000
    )
    expect(page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text(
        "06-cohort.ipynb", timeout=60_000
    )
    assert (root / "buyin-workbook" / "06-cohort.ipynb").is_file()
    charts = page.locator(".jp-Notebook .bw-VegaChart[data-drawn] svg")
    expect(charts).to_have_count(2, timeout=90_000)
    expect(page.locator(".jp-Notebook .bw-VegaChart").first).to_have_attribute(
        "aria-label", "The goal's foundations: the spread of each item across the cohort."
    )
    assert "Error loading script" not in page.locator(".jp-Notebook").inner_text()
    page.close()
    assert guard.blocked == [], f"JupyterLab asked the network for {guard.blocked}"

    # The packaged notebooks stay pristine; the copy is the user's.
    copy = json.loads((root / "buyin-workbook" / "01-how-much-choice.ipynb").read_text())
    assert "ChoiceExercise()" in "".join(copy["cells"][0]["source"])


def test_the_extension_speaks_jupyterlabs_language(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    """With JupyterLab in German (its Settings → Language, its language pack installed), the
    extension's own words are German: the sidebar, its buttons and progress, the launcher's
    cards and the palette's commands; no English word left but the names. By keyboard."""
    from tests.plugin.axe import violations
    from tests.plugin.languages import english_left

    root = tmp_path / "work"
    root.mkdir()
    db_url = f"sqlite:///{tmp_path / 'lab.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.remember_plan(store.create_plan("Neuer Bereitschaftsplan").id)
    guard = OfflineGuard()
    url = servers.lab(root, db_url, locale="de_DE")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    guard.watch(page)
    page.goto(url, wait_until="domcontentloaded")

    # The launcher's cards name the exercises in German (the server's words).
    section = page.locator(".jp-Launcher-section").filter(has_text="Buy-in Workbook")
    expect(section.locator(".jp-LauncherCard")).to_have_count(6, timeout=60_000)
    expect(section).to_contain_text("Wie viel Wahl kann ich geben?")

    page.locator(".jp-SideBar [title='Buy-in Workbook']").click()
    sidebar = page.locator(".bw-lab-sidebar")
    choice = sidebar.locator(".bw-lab-exercise[data-exercise='choice']")
    expect(choice.locator(".bw-lab-progress")).to_have_text("nicht begonnen", timeout=60_000)
    shown = sidebar.inner_text()
    names = ("Buy-in Workbook", "Neuer Bereitschaftsplan")
    assert english_left(shown, names=names) == [], shown
    titles = [
        sidebar.locator("button").nth(n).get_attribute("title") or ""
        for n in range(sidebar.locator("button").count())
    ]
    assert english_left(" ".join(titles), names=names) == [], titles
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page, ".bw-lab-sidebar") == [], width
    page.set_viewport_size({"width": 1400, "height": 900})

    # The palette, by keyboard: the summary's command in German, and it opens the summary.
    page.keyboard.press("Control+Shift+C")
    page.keyboard.type("Zusammenfassung")
    command = page.locator(".lm-CommandPalette-item").filter(has_text="Zusammenfassungsbericht")
    expect(command.first).to_be_visible(timeout=30_000)
    assert english_left(command.first.inner_text(), names=names) == []
    page.close()

    # The choice exercise opened as an app (Voila in JupyterLab's server, no key): its skip
    # link and landmarks speak German too, as does its <html lang>.
    shutil.copy(notebooks_dir() / "01-how-much-choice.ipynb", root)
    app = browser.new_page(viewport={"width": 1400, "height": 900})
    guard.watch(app)
    visit(app, f"{url.removesuffix('/lab')}/voila/render/01-how-much-choice.ipynb")
    app.wait_for_selector(".bw-plan-picker", timeout=120_000)
    german = translator("de")
    skip = german.gettext("Skip to the exercise")
    assert skip != "Skip to the exercise"
    expect(app.locator(".bw-skip")).to_have_text(skip, timeout=30_000)
    expect(app.locator("#bw-nav")).to_have_attribute("aria-label", german.gettext("Workbook pages"))
    expect(app.locator("html")).to_have_attribute("lang", "de")
    table = app.locator(".jp-OutputArea-output[role=region]").first
    expect(table).to_have_attribute(
        "aria-label", german.gettext("Table (scrolls sideways on a narrow screen)")
    )
    labels = " ".join(
        app.locator("[aria-label]").nth(n).get_attribute("aria-label") or ""
        for n in range(app.locator("[aria-label]").count())
    )
    assert english_left(labels + " " + app.locator(".bw-skip").inner_text(), names=names) == []
    shown = app.locator("#rendered_cells").inner_text()  # names the database's file too
    assert english_left(shown, names=(*names, str(tmp_path / "lab.sqlite"))) == [], shown
    for width in (390, 1400):
        app.set_viewport_size({"width": width, "height": 900})
        assert violations(app) == [], width
    app.close()
    assert guard.blocked == [], f"JupyterLab asked the network for {guard.blocked}"
