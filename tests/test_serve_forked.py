"""`serve --fork-kernels`: every page's kernel is a fork of one warm parent, works as any
other kernel, and ends with its page and with the server."""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest

from tests._pages import offline_page, visit, wait_for_chart
from tests._servers import (
    OfflineGuard,
    chromium_missing_reason,
    link_key,
    workbook_cli,
    workbook_server,
)
from workbook.store import WorkbookStore

pytestmark = pytest.mark.skipif(
    chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
)


def _fork_servers() -> list[psutil.Process]:
    return [
        process
        for process in psutil.process_iter(["cmdline"])
        if "workbook.serve._fork_server" in " ".join(process.info["cmdline"] or ())
        and process.parent() is not None
        and "serve" in " ".join(process.parent().cmdline())
    ]


def _children_once(server: psutil.Process, count: int, seconds: float = 60) -> set[int]:
    """The fork server's children (its kernels) once there are ``count`` of them."""
    deadline = time.monotonic() + seconds
    while len(pids := {c.pid for c in server.children()}) != count:
        if time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert len(pids) == count, f"{len(pids)} forked kernels, not {count}"
    return pids


def _gone(processes: list[psutil.Process], seconds: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=seconds)
    return not alive


def test_forked_kernels_serve_a_page_and_end_with_it_and_with_the_server(browser, tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key = link_key(workbook_cli(db_url, "clients", "add", "Fern"))
    with WorkbookStore(db_url) as coach:
        client_id = coach.find_client("Fern").id
    with WorkbookStore(db_url, client_id=client_id) as store:
        plan = store.create_plan("Fern's plan")
        store.remember_plan(plan.id)
        store.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "Rota"}])
        for dimension in ("what", "how"):
            for moment, level in (("today", 2), ("possible", 5)):
                store.save_answer(plan.id, "choice", f"rating/d1/{dimension}/{moment}", level)

    with workbook_server(db_url, tmp_path / "serve.log", "--fork-kernels") as url:
        (server,) = _fork_servers()
        # The pool is forked too: one warm kernel per page, each a child of the fork server.
        pooled = _children_once(server, 5)

        guard = OfflineGuard()
        page, errors = offline_page(browser, guard)
        visit(page, f"{url}voila/render/01-how-much-choice.ipynb?key={key}")
        wait_for_chart(page, ".bw-chart")
        page.locator(".bw-reflection-hardest textarea").fill("Forked, and it still saves")
        deadline, saved = time.monotonic() + 30, None
        while saved != "Forked, and it still saves" and time.monotonic() < deadline:
            time.sleep(0.3)
            with WorkbookStore(db_url, client_id=client_id) as store:
                answer = store.answers(plan.id, "choice").get("reflection/hardest")
            saved = answer.value if answer else None
        assert saved == "Forked, and it still saves"
        assert errors == [] and guard.blocked == []
        # The page holds one kernel more than the pool (a pooled one, and a fork refilled the
        # pool; or, if the pooled one was not ready, a fork of its own): no fork ended.
        during = _children_once(server, 6)
        assert pooled < during

        # The closed page hands its kernel back: exactly one fork ends, the pool stays.
        page.close(run_before_unload=True)
        after = _children_once(server, 5)
        assert after < during
        survivors = [psutil.Process(pid) for pid in after]
    assert _gone([server, *survivors], 30), "the fork server or a kernel outlived serve"
