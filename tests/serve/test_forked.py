"""Forked kernels, `serve`'s default on Linux: every page's kernel is a fork of one warm
parent, works as any other kernel, ends with its page and with the server, and outlives the
fork server; plain kernels stay one option away."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import psutil
import pytest

from buyin_workbook.store import WorkbookStore
from tests.plugin.coach import add_client
from tests.plugin.pages import offline_page, visit, wait_for_chart
from tests.plugin.protocol import Visit, has_class, http_client
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    kernel_processes,
    needs_chromium,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="serve forks its kernels on Linux only"
)
CHECK = "02-am-i-bought-in.ipynb"


def _fork_servers(serve: psutil.Process | None = None) -> list[psutil.Process]:
    """The fork servers of one `serve` (or of any)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if "buyin_workbook.serve._fork_server" not in " ".join(process.info["cmdline"] or ()):
            continue
        with_parent = process.parent()
        if with_parent is None or "serve" not in " ".join(with_parent.cmdline()):
            continue
        if serve is None or with_parent.pid == serve.pid:
            found.append(process)
    return found


def _one_fork_server(serve: psutil.Process, seconds: float = 60) -> psutil.Process:
    deadline = time.monotonic() + seconds
    while len(found := _fork_servers(serve)) != 1 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert len(found) == 1, f"{len(found)} fork servers"
    return found[0]


def _kernel_process(kernel_id: str) -> psutil.Process:
    (pid,) = kernel_processes(kernel_id)
    return psutil.Process(pid)


def _client_with_plan(db_url: str, name: str) -> tuple[str, int, int]:
    """A client's key, id and the plan they work on."""
    key, client_id = add_client(db_url, name)
    with WorkbookStore(db_url, client_id=client_id) as store:
        plan = store.create_plan(f"{name}'s plan")
        store.remember_plan(plan.id)
    return key, client_id, plan.id


def _sentence(db_url: str, client_id: int, plan_id: int) -> str | None:
    with WorkbookStore(db_url, client_id=client_id) as store:
        answer = store.answers(plan_id, "selfcheck").get("sentence")
    return answer.value if answer else None


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


@needs_chromium
def test_forked_kernels_serve_a_page_and_end_with_it_and_with_the_server(
    servers: ServerFactory, browser, tmp_path: Path
):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, client_id = add_client(db_url, "Fern")
    with WorkbookStore(db_url, client_id=client_id) as store:
        plan = store.create_plan("Fern's plan")
        store.remember_plan(plan.id)
        store.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "Rota"}])
        for dimension in ("what", "how"):
            for moment, level in (("today", 2), ("possible", 5)):
                store.save_answer(plan.id, "choice", f"rating/d1/{dimension}/{moment}", level)

    url = servers.workbook(db_url)
    server = _one_fork_server(psutil.Process(url.process.pid))
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
    url.stop()
    assert _gone([server, *survivors], 30), "the fork server or a kernel outlived serve"


def test_when_the_fork_server_dies_pages_live_on_and_a_new_one_is_started(
    servers: ServerFactory, tmp_path: Path
):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    people = [_client_with_plan(db_url, name) for name in ("Ada", "Bo", "Cy")]

    async def open_page(url: str, key: str) -> Visit:
        page = Visit(f"{url}voila/render/{CHECK}?key={key}")
        await page.open(http_client(), has_class("bw-plan-picker"), 120)
        return page

    url = servers.workbook(db_url, "--pool-size=0")
    serve = psutil.Process(url.process.pid)
    first = _one_fork_server(serve)

    async def story() -> None:
        ada = await open_page(url, people[0][0])
        assert _kernel_process(ada.kernel_id).ppid() == first.pid
        first.kill()
        first.wait(10)
        # Ada's page goes on: its kernel was the fork server's child, not its thread.
        await ada.type_answer("bw-sentence", "Ada, after the fork server died")
        # Bo's page opens at once (plain, or forked by the new fork server).
        bo = await open_page(url, people[1][0])
        await bo.type_answer("bw-sentence", "Bo, while it restarted")
        second = _one_fork_server(serve)
        assert second.pid != first.pid
        deadline = time.monotonic() + 60
        while "ready" not in url.log.read_text() and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
        cy = await open_page(url, people[2][0])
        assert _kernel_process(cy.kernel_id).ppid() == second.pid
        await cy.type_answer("bw-sentence", "Cy, forked again")
        for page in (ada, bo, cy):
            await page.leave(http_client())

    asyncio.run(story())
    assert "The fork server (pid" in url.log.read_text()
    url.stop()
    said = [_sentence(db_url, client, plan) for _key, client, plan in people]
    assert said == [
        "Ada, after the fork server died",
        "Bo, while it restarted",
        "Cy, forked again",
    ]


def test_the_fork_server_forks_with_no_thread_socket_or_database_open(
    servers: ServerFactory, tmp_path: Path
):
    """What cannot cross a fork (threads, ZeroMQ, event loops, database connections) is
    opened by each kernel after it, never by the parent."""
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    url = servers.workbook(db_url)
    parent = _one_fork_server(psutil.Process(url.process.pid))
    _children_once(parent, 5)  # the pool's kernels have been forked from it
    assert parent.num_threads() == 1
    sockets = parent.net_connections(kind="all")
    assert [(c.family, Path(c.laddr).name) for c in sockets] == [
        (socket.AF_UNIX, "fork.sock")  # only the one it listens on for fork requests
    ]
    assert not [f.path for f in parent.open_files() if "sqlite" in f.path]
    # Each kernel runs its own threads (ZeroMQ's, its control, the serve watcher).
    kernel = psutil.Process(next(iter(c.pid for c in parent.children())))
    assert kernel.num_threads() > 1


def test_a_forked_kernel_ends_when_serve_is_killed(servers: ServerFactory, tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    url = servers.workbook(db_url)
    serve = psutil.Process(url.process.pid)
    parent = _one_fork_server(serve)
    kernels = [psutil.Process(pid) for pid in _children_once(parent, 5)]
    os.kill(serve.pid, signal.SIGKILL)  # no shutdown: the kernels must notice alone
    assert _gone([parent, *kernels], 30), "a kernel or the fork server outlived serve"


def test_plain_kernels_stay_one_option_away(servers: ServerFactory, tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, client_id, plan_id = _client_with_plan(db_url, "Dee")
    url = servers.workbook(db_url, "--plain-kernels")
    serve = psutil.Process(url.process.pid)

    async def story() -> None:
        page = Visit(f"{url}voila/render/{CHECK}?key={key}")
        await page.open(http_client(), has_class("bw-plan-picker"), 120)
        assert _kernel_process(page.kernel_id).ppid() == serve.pid
        await page.type_answer("bw-sentence", "Plain, as Jupyter starts them")
        await page.leave(http_client())

    asyncio.run(story())
    assert _fork_servers(serve) == []
    url.stop()
    assert _sentence(db_url, client_id, plan_id) == "Plain, as Jupyter starts them"


def test_interrupt_and_restart_are_refused_and_the_page_keeps_working(
    servers: ServerFactory, tmp_path: Path
):
    """Voila's pages never interrupt or restart their kernel, and serve offers no route to
    (forked or plain alike): the page's own cookies get a refusal, the kernel stays."""
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, client_id, plan_id = _client_with_plan(db_url, "Eve")
    url = servers.workbook(db_url)

    async def story() -> None:
        page = Visit(f"{url}voila/render/{CHECK}?key={key}")
        http = http_client()
        await page.open(http, has_class("bw-plan-picker"), 120)
        before = _kernel_process(page.kernel_id)
        cookie = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
        for action in ("interrupt", "restart"):
            reply = await http.fetch(
                f"{url}api/kernels/{page.kernel_id}/{action}",
                method="POST",
                body=b"",
                headers={"Cookie": cookie, "X-XSRFToken": page.cookies.get("_xsrf", "")},
                raise_error=False,
            )
            assert reply.code in (403, 404, 405), (action, reply.code)
        assert _kernel_process(page.kernel_id).pid == before.pid
        await page.type_answer("bw-sentence", "Still here after both were refused")
        await page.leave(http)

    asyncio.run(story())
    url.stop()
    assert _sentence(db_url, client_id, plan_id) == "Still here after both were refused"


def test_a_forked_kernel_that_shuts_down_saves_what_waited_for_the_pause(
    servers: ServerFactory, tmp_path: Path
):
    """Typed, then the kernel shut down before the autosave pause ended: the kernel's exit
    handlers save it, in a forked kernel as in a kernel of its own."""
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    key, client_id, plan_id = _client_with_plan(db_url, "Flo")
    url = servers.workbook(db_url)

    async def story() -> None:
        page = Visit(f"{url}voila/render/{CHECK}?key={key}")
        await page.open(http_client(), has_class("bw-plan-picker"), 120)
        kernel = _kernel_process(page.kernel_id)
        assert kernel.ppid() == _one_fork_server(psutil.Process(url.process.pid)).pid
        await page.send_answer("bw-sentence", "Typed just before the kernel stopped")
        await page.shut_down_kernel()  # well within the 400 ms pause
        await asyncio.to_thread(kernel.wait, 30)

    asyncio.run(story())
    url.stop()
    assert _sentence(db_url, client_id, plan_id) == "Typed just before the kernel stopped"
