"""The choice exercise in JupyterLab, as the README's start command opens it, offline."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.exercises.choice import load_content
from buyin_workbook.store import WorkbookStore
from tests.plugin.axe import violations
from tests.plugin.pages import wait_for_chart
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    kernel_processes,
    needs_chromium,
)

pytestmark = needs_chromium

NOTEBOOK = "01-how-much-choice.ipynb"


def test_run_the_notebook_in_jupyterlab_and_answer(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    root = tmp_path / "work"
    root.mkdir()
    shutil.copy(notebooks_dir() / NOTEBOOK, root / NOTEBOOK)
    db_url = f"sqlite:///{tmp_path / 'lab.sqlite'}"
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("New on-call rota")
        store.remember_plan(plan.id)

    first_prompt = load_content().reflections[0].id
    guard = OfflineGuard()
    url = servers.lab(root, db_url)
    page = browser.new_page(viewport={"width": 1300, "height": 950})
    guard.watch(page)
    page.goto(f"{url}/tree/{NOTEBOOK}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=90_000)

    page.get_by_role("menuitem", name="Run").click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(".bw-plan-picker", timeout=90_000)
    expect(page.locator(".bw-plan-name input")).to_have_value("New on-call rota")

    page.get_by_role("button", name="+ The deadline").click()
    expect(page.locator(".bw-decision-label")).to_have_text(["The deadline"])
    content = load_content()
    for css, value in (
        ("what-today", 1),
        ("what-possible", 4),
        ("how-today", 2),
        ("how-possible", 6),
    ):
        level = content.level(value)
        page.locator(f".bw-rate-{css} select").select_option(
            label=f"{level.label}: {level.meaning}"
        )
    # The chart is drawn in the page by the workbook's renderer, with no network.
    wait_for_chart(page, ".bw-chart")
    reference = page.locator(".jp-OutputArea-output table.bw-reference")
    expect(reference).to_contain_text("7 · Delegate")  # a real table, not program output
    # axe-core on the workbook's part of the page (JupyterLab's own parts have findings
    # of their own; at a phone's width JupyterLab leaves a notebook no room at all, so
    # the narrow width is checked on the served pages, test_accessibility.py).
    found = violations(page, {"include": [[".jp-Notebook .jp-OutputArea-output"]]})
    assert found == [], "\n".join(found)

    expect(page.locator(".bw-save-status")).to_contain_text("All answers saved")

    # The kernel dies: the exercise says its typing is no longer saved, and the reload
    # (here: run the notebook again) puts the typing back and saves it.
    with urllib.request.urlopen(f"{url.removesuffix('/lab')}/api/sessions") as response:
        (session,) = json.load(response)
    for pid in kernel_processes(session["kernel"]["id"]):
        os.kill(pid, signal.SIGKILL)
    expect(page.locator(".bw-page-guard-banner[data-state=lost]")).to_contain_text(
        "not saved", timeout=60_000
    )
    # JupyterLab says so too, in a dialog of its own: the leader closes it.
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_role("button").last.click(timeout=30_000)
    expect(dialog).to_have_count(0)
    note = page.locator(f".bw-reflection-{first_prompt} textarea")
    note.press_sequentially("Typed as the kernel died", delay=20)
    page.locator(".bw-page-guard-reload").click()
    expect(page.locator(f".bw-reflection-{first_prompt} textarea")).to_have_value(
        "Typed as the kernel died", timeout=120_000
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with WorkbookStore(db_url) as store:
            kept = store.answers(plan.id, "choice").get(f"reflection/{first_prompt}")
        if kept is not None and kept.value == "Typed as the kernel died":
            break
        time.sleep(0.3)
    assert kept is not None and kept.value == "Typed as the kernel died"
    page.close()

    # "Open as app": Voila's preview inside JupyterLab shows the workbook's own template
    # (the notebooks name it), which fetches nothing from outside (Voila's default asks
    # two CDNs for an icon font and MathJax).
    preview_guard = OfflineGuard()
    preview = browser.new_page(viewport={"width": 1000, "height": 900})
    preview_guard.watch(preview)
    preview.goto(
        f"{url.removesuffix('/lab')}/voila/render/{NOTEBOOK}", wait_until="domcontentloaded"
    )
    preview.wait_for_selector(".bw-plan-picker", timeout=90_000)
    expect(preview.locator('meta[name="application-name"]')).to_have_attribute(
        "content", "Buy-in Workbook"
    )
    assert preview_guard.blocked == [], preview_guard.blocked
    preview.close()

    url.stop()
    assert guard.blocked == [], f"JupyterLab asked the network for {guard.blocked}"
    with WorkbookStore(db_url) as store:
        saved = store.answers(plan.id, "choice")
    assert [d["label"] for d in saved["decisions"].value] == ["The deadline"]
    (decision_id,) = [d["id"] for d in saved["decisions"].value]
    assert saved[f"rating/{decision_id}/how/possible"].value == 6
