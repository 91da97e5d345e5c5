"""The summary app builds the report; its HTML export opens offline with every chart drawn."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.store import WorkbookStore
from tests.plugin.pages import open_app, unexpected_requests, wait_for_chart
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.samples import choice_done
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium

NOTEBOOK = notebooks_dir() / "05-summary.ipynb"


def test_build_export_and_open_the_html_report_offline(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'voila.sqlite'}"
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Q3 <b>platform</b> migration")
        store.remember_plan(plan.id)
        choice_done(store, plan.id)
        values = {k: a.value for k, a in store.answers(plan.id, "choice").items()}
        store.take_snapshot(
            plan.id, "choice", reason="completed", figures=EXERCISES["choice"].figures(values)
        )
        store.save_answer(plan.id, "choice", "rating/d0/what/possible", 7)
    guard = OfflineGuard()
    url = servers.voila(NOTEBOOK, db_url)
    page, errors = open_app(browser, url, guard)
    expect(page.locator(".bw-progress")).to_contain_text("in progress")

    # An action, then a snapshot from the summary: the trend needs two.
    page.locator(".bw-action-add").click()
    page.locator(".bw-action-what input").fill("Ask the team <img src=x onerror=alert(1)>")
    page.locator(".bw-snapshot").click()
    expect(page.locator(".bw-snapshot-message")).to_contain_text("Snapshot saved of")
    wait_for_chart(page, ".bw-trend-chart")
    wait_for_chart(page, ".bw-report-chart")

    with page.expect_download(timeout=60_000) as download_info:
        page.locator(".bw-export-html button").click()  # one press downloads
    saved = tmp_path / "report.html"
    download_info.value.save_as(saved)
    assert errors == []
    page.close()
    url.stop()
    assert unexpected_requests(guard) == []

    # The exported file on its own, offline: every chart is an image that decoded.
    offline = OfflineGuard()
    report = browser.new_page(viewport={"width": 1000, "height": 1400})
    offline.watch(report)
    report.goto(saved.as_uri())
    expect(report.locator("h1")).to_have_text("Q3 <b>platform</b> migration")
    images = report.locator("figure img")
    expect(images).to_have_count(3)  # two choice charts and the history trend
    drawn = report.evaluate(
        "Array.from(document.images).map(img => img.complete && img.naturalWidth > 100)"
    )
    assert drawn == [True, True, True]
    assert report.evaluate("document.scripts.length") == 0
    expect(report.locator("table").first).to_contain_text(
        "Ask the team <img src=x onerror=alert(1)>"
    )
    report.screenshot(path=str(SCREENSHOTS / "summary-report.png"))
    report.close()
    assert offline.blocked == []
