"""The facilitator's notebook as an app (Voila, as JupyterLab's "Open as app" shows it): the
made-up cohort's figures and charts, offline, read well narrow and wide."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from buyin_workbook import notebooks_dir
from tests.plugin.axe import violations
from tests.plugin.pages import offline_page, unexpected_requests, visit
from tests.plugin.servers import OfflineGuard, ServerFactory, needs_chromium

pytestmark = needs_chromium

NOTEBOOK = notebooks_dir() / "06-cohort.ipynb"


def test_the_facilitators_notebook_as_an_app_has_no_serious_axe_finding(
    servers: ServerFactory, browser, tmp_path: Path
) -> None:
    url = servers.voila(NOTEBOOK, f"sqlite:///{tmp_path / 'voila.sqlite'}")
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, url)
    charts = page.locator(".bw-VegaChart[data-drawn] svg")
    expect(charts).to_have_count(2, timeout=120_000)
    found = {}
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(800)  # the charts redraw to their width
        found[width] = violations(page)
    assert found == {390: [], 1400: []}
    assert errors == []
    page.close()
    assert unexpected_requests(guard) == []
