"""The kernels of `jupyter workbook serve`: how many pages a link may hold, the workbook's
own error pages and logs without keys, what an open page does when its kernel is killed or
`serve` restarts, and a database damaged while serving. Real servers, headless Chromium."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from buyin_workbook.pages import workbook_pages
from buyin_workbook.store import WorkbookStore
from tests.plugin.coach import add_client, seed_clients
from tests.plugin.pages import kernel_id, open_app
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import (
    OfflineGuard,
    Served,
    ServerFactory,
    fetch,
    free_port,
    kernel_processes,
    needs_chromium,
)
from tests.plugin.soak import kernels_of

pytestmark = needs_chromium

CHOICE = "voila/render/01-how-much-choice.ipynb"


@pytest.fixture(scope="module")
def limited(
    file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A server that starts a kernel per page (no pool) and lets a link hold two."""
    tmp = tmp_path_factory.mktemp("limited")
    db_url = f"sqlite:///{tmp / 'coach.sqlite'}"
    keys, ids = seed_clients(db_url, "Kim", "Kit")
    with WorkbookStore(db_url, client_id=ids["Kim"]) as kim:
        plan = kim.create_plan("Kim's plan")
        kim.remember_plan(plan.id)
        kim.save_answer(plan.id, "motivators", "members", [{"id": "m1", "name": "Ana"}])
        keys["member"] = kim.add_member_link(plan.id, "m1", "Ana")
        ids["Kim's plan"] = plan.id
    with WorkbookStore(db_url, client_id=ids["Kit"]) as kit:
        plan = kit.create_plan("Kit's plan")
        kit.save_answer(plan.id, "motivators", "members", [{"id": "m1", "name": "Jo"}])
        keys["Kit's member"] = kit.add_member_link(plan.id, "m1", "Jo")
    url = file_servers.workbook(
        db_url,
        "--pool-size=0",
        "--max-pages-per-link=2",
        "--cull-idle-timeout=60",
        "--cull-interval=10",
    )
    yield Served(url, db_url, keys, ids, url.log)


def fetch_all_at_once(urls: list[str]) -> list[tuple[int, str]]:
    with ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(fetch, urls))


def test_a_link_may_hold_only_so_many_pages_at_once(limited: Served):
    for key, notebook, tries in (
        (limited.keys["Kit"], "02-am-i-bought-in.ipynb", 4),
        (limited.keys["Kit's member"], "about-me.ipynb", 3),
    ):
        answers = fetch_all_at_once([f"{limited.url}voila/render/{notebook}?key={key}"] * tries)
        codes = sorted(code for code, _body in answers)
        assert codes == [200, 200] + [429] * (tries - 2), codes
        refused = [body for code, body in answers if code == 429]
        assert all("the most it may have at once" in body for body in refused)
        # In the visitor's words, with the way back to their own page.
        assert all("<h1>Too many pages open</h1>" in body for body in refused)
        assert all("Too Many Requests" not in body for body in refused)
        assert all(f'href="/?key={key}">Back to your exercises' in body for body in refused)
        assert all("https:" not in body for body in refused)
    assert len(kernels_of(limited.url)) == 4  # two pages for each link, and no more


def test_error_pages_are_the_workbooks_own_and_keep_keys_out_of_the_log(limited: Served):
    key = limited.keys["Kim"]
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for path, status in (
        (f"voila/render/nowhere.ipynb?key={key}", 404),
        (f"nowhere?key={key}", 404),
        # Voila's static files answer 403 for a file not among them.
        (f"voila/static/nowhere.js?key={key}", 403),
        (f"voila/render/01-how-much-choice.ipynb?key={wrong}", 403),
        (f"coach?key={key}", 403),
        (f"coach/clients/1/plans/{10**23}?key={limited.keys['coach']}", 404),
    ):
        request = urllib.request.Request(limited.url + path)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                code, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            code, headers, body = error.code, error.headers, error.read()
        assert code == status, path
        html = body.decode()
        assert "https:" not in html and "cdn" not in html.lower(), path
        assert "Buy-in Workbook" in html, path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["Cache-Control"] == "no-store", path
    log = limited.log.read_text()
    for secret in (*limited.keys.values(), wrong):
        assert secret not in log
    assert "[secret]" in log  # the requests were logged, their keys replaced


def test_after_its_kernel_is_killed_a_page_says_its_typing_is_not_saved(browser, limited: Served):
    guard = OfflineGuard()
    url = f"{limited.url}voila/render/02-am-i-bought-in.ipynb?key={limited.keys['Kim']}"
    page, errors = open_app(browser, url, guard)
    box = page.locator(".bw-sentence textarea")
    box.fill("Ship the pilot by June")
    expect(page.locator(".bw-save-status")).to_contain_text("All answers saved")
    for pid in kernel_processes(kernel_id(page)):
        os.kill(pid, signal.SIGKILL)
    box.press_sequentially(" to two teams", delay=20)
    banner = page.locator(".bw-page-guard-banner[data-state=lost]")
    expect(banner).to_contain_text("Changes made since then are not saved", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "serve-connection-lost.png"))
    page.locator(".bw-page-guard-reload").click()
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    expect(page.locator(".bw-page-guard-banner")).to_contain_text(
        "Put back the answer you had typed before the reload", timeout=60_000
    )
    expect(page.locator(".bw-sentence textarea")).to_have_value(
        "Ship the pilot by June to two teams"
    )
    with WorkbookStore(limited.db_url, client_id=limited.ids["Kim"]) as kim:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = kim.answers(limited.ids["Kim's plan"], "selfcheck")["sentence"]
            if answer.value == "Ship the pilot by June to two teams":
                break
            time.sleep(0.3)
        assert answer.value == "Ship the pilot by June to two teams"
    page.close(run_before_unload=True)
    assert guard.blocked == []
    assert [e for e in errors if "WebSocket" not in e] == []


def test_after_serve_restarts_an_open_page_says_so_and_a_reload_keeps_the_typing(
    servers: ServerFactory, browser, tmp_path: Path
):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, robin_id = add_client(db_url, "Robin")
    with WorkbookStore(db_url, client_id=robin_id) as robin:
        plan = robin.create_plan("Robin's plan")
        robin.remember_plan(plan.id)
    port = free_port()
    guard = OfflineGuard()
    url = servers.workbook(db_url, "--pool-size=0", port=port)
    page, _errors = open_app(browser, f"{url}voila/render/02-am-i-bought-in.ipynb?key={key}", guard)
    page.locator(".bw-sentence textarea").fill("Ship the pilot by June")
    expect(page.locator(".bw-save-status")).to_contain_text("All answers saved")
    url.stop()
    restarted = servers.workbook(db_url, "--pool-size=0", port=port)
    page.locator(".bw-sentence textarea").press_sequentially(" to two teams", delay=20)
    expect(page.locator(".bw-page-guard-banner[data-state=lost]")).to_contain_text(
        "not saved", timeout=60_000
    )
    page.locator(".bw-page-guard-reload").click()
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    expect(page.locator(".bw-sentence textarea")).to_have_value(
        "Ship the pilot by June to two teams", timeout=60_000
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with WorkbookStore(db_url, client_id=robin_id) as robin:
            saved = robin.answers(plan.id, "selfcheck")["sentence"].value
        if saved == "Ship the pilot by June to two teams":
            break
        time.sleep(0.3)
    assert saved == "Ship the pilot by June to two teams"
    page.close(run_before_unload=True)
    restarted.stop()
    assert guard.blocked == []


def test_a_database_damaged_while_serving_tells_visitors_in_plain_words(
    servers: ServerFactory, tmp_path: Path
):
    """A client reads that the server cannot read or save answers just now, never where
    the database is or what SQLite said; the coach's log names the damage."""
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, dana_id = add_client(db_url, "Dana")
    url = servers.workbook(db_url, "--pool-size=0")
    assert fetch(f"{url}?key={key}")[0] == 200  # the server's store is open
    with WorkbookStore(db_url, client_id=dana_id) as dana:
        plan = dana.create_plan("Dana's plan")
        for index in range(100):
            dana.save_answer(plan.id, "choice", f"k{index}", "x" * 300)
    path = tmp_path / "coach.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as raw:
        raw.seek(4096)
        raw.write(b"\xff" * 4096 * 40)
    for page in ("", CHOICE):
        status, body = fetch(f"{url}{page}?key={key}")
        assert status == 503, page
        assert "cannot read or save answers just now" in body, page
        assert "Everything saved before is kept" in body, page
        assert str(tmp_path) not in body and "damaged" not in body and "sqlite" not in body
        assert "Traceback" not in body and "SELECT" not in body and "https:" not in body
    url.stop()  # the log complete
    logged = url.log.read_text()
    assert "has been damaged" in logged and str(path) in logged


def test_the_pool_preheats_every_page_but_the_members_own():
    """Voila's own filter, with serve's deny list: a member's page is never kept warm."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from buyin_workbook import notebooks_dir
    from buyin_workbook.apps.serveapp import _VOILA_DEFAULTS

    manager = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    denied = SimpleNamespace(**_VOILA_DEFAULTS["VoilaKernelManager"])

    def preheated(path: str) -> bool:
        return bool(manager._notebook_filter(denied, Path(path)))

    served = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
    assert [name for name in served if preheated(name)] == [
        page.notebook for page in workbook_pages()
    ]
    assert not preheated("about-me.ipynb") and not preheated("team/about-me.ipynb")
    assert preheated("team/not-about-me.ipynb")


def test_a_page_that_holds_its_kernel_is_counted_once():
    """A page being opened counts toward the caps until it holds a kernel, then by that
    kernel alone: counted twice, a crowd on warm kernels was told the server was full."""
    from buyin_workbook.serve.handlers import _ClaimingKernels
    from buyin_workbook.serve.kernels import WorkbookKernelManager

    async def story() -> None:
        kernels = WorkbookKernelManager(max_page_kernels=3)
        for _ in range(2):  # two pages of one link being opened
            kernels.opening("a-link", +1)
        kernel_id = await _ClaimingKernels(kernels, "a-link").start_kernel(kernel_name="python3")
        try:
            assert kernels.pages_open("a-link") == 2  # one holds its kernel, one still opening
            assert not kernels.pages_full()  # 2 of 3
        finally:
            await kernels.shutdown_kernel(kernel_id, now=True)

    asyncio.run(story())
