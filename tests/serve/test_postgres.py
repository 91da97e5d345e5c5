"""A coaching practice on PostgreSQL: two `jupyter workbook serve` processes on one database
(as behind a proxy), a client working through one and seen through the other, a revoke made
with the CLI stopping the link on both."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from buyin_workbook.store import WorkbookStore
from tests.plugin.databases import PostgresServer
from tests.plugin.pages import offline_page, visit
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    fetch,
    link_key,
    needs_chromium,
    workbook_cli,
)

pytestmark = needs_chromium


def test_two_serve_processes_share_one_postgresql_database(
    servers: ServerFactory, browser, postgres: PostgresServer
):
    db_url = postgres.new_database()
    dana_key = link_key(workbook_cli(db_url, "clients", "add", "Dana"))
    coach_key = link_key(workbook_cli(db_url, "clients", "coach-link"))
    options = ("--pool-size=0",)
    first = servers.workbook(db_url, *options)
    second = servers.workbook(db_url, *options)
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{second}?key={dana_key}")
    expect(page.locator(".bw-client-name")).to_have_text("Dana")
    page.locator(".bw-landing-exercise[data-exercise=choice] a").click()
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    page.locator(".bw-plan-new-name input").fill("Dana's <b>merger</b> plan")
    page.locator(".bw-plan-new-name input").press("Enter")
    page.wait_for_selector(".bw-suggestion")
    page.locator(".bw-suggestion").first.click()
    with WorkbookStore(db_url) as coach:
        (dana,) = coach.clients()
    deadline = time.monotonic() + 30
    saved = None
    while time.monotonic() < deadline and not saved:
        with WorkbookStore(db_url, client_id=dana.id) as store:
            plans = store.list_plans()
            saved = plans and store.answers(plans[0].id, "choice").get("decisions")
        time.sleep(0.3)
    assert saved, "the decision typed through the second server reached the database"

    # The first server shows it on the coach's dashboard, the name as text.
    status, dashboard = fetch(f"{first}coach?key={coach_key}")
    assert status == 200 and "Dana" in dashboard
    assert "Dana&#39;s &lt;b&gt;merger&lt;/b&gt; plan" in dashboard
    # A revoke made with the CLI stops the link on both servers at once.
    workbook_cli(db_url, "clients", "revoke", "Dana")
    for server in (first, second):
        assert fetch(f"{server}?key={dana_key}")[0] == 403
    assert errors == [] and guard.blocked == []
