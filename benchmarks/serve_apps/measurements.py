"""One client at a time, many at once, after culling, and the latencies."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from benchmarks.common import log
from benchmarks.serve_apps.browser import (
    RATE_AND_REDRAW,
    TYPE_ANSWER,
    Client,
    Opened,
    new_client,
    timed_open,
)
from benchmarks.serve_apps.constants import (
    CHART_DRAWING,
    CHOICE,
    EXERCISES,
    FLOOR,
    RATING_SELECT,
    TOGGLE_LEVELS,
)
from benchmarks.serve_apps.processes import cpu_seconds, descendants, kernels_memory
from benchmarks.serve_apps.servers import LIVE, Server, refresh_pool
from benchmarks.serve_apps.table import short
from buyin_workbook.exercises.choice import load_content as load_choice_content
from tests.plugin.servers import (
    OfflineGuard,
)


@dataclass
class Single:
    seconds: list[float | None] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (RSS, PSS) MB
    culled: int = 0  # page views whose kernel was culled at hand-out (then opened again)


Then = Callable[[Page], Awaitable[None]]


async def one_client(
    browser: Browser,
    server: Server,
    notebook: str,
    result: Single,
    timeout: float,
    guard: OfflineGuard,
    errors: list[str],
    *,
    hook: bool = False,
    then: Then | None = None,
) -> None:
    """One page view, in a fresh browser context, with every server idle; ``then`` works
    on the page once it is interactive. A page whose kernel the server culls at hand-out is
    counted and opened again (once)."""
    for attempt in range(2):
        await refresh_pool(server, [notebook])
        client = await new_client(browser, guard, errors, hook=hook)
        opened = await timed_open(client, server, notebook, timeout)
        if opened.why == "culled":
            result.culled += 1
        if opened.why != "culled" or attempt == 1:
            break
        await client.close()
    result.seconds.append(opened.seconds)
    if not server.pool_expected and opened.seconds is not None:
        # Cold: the kernel started for this page, the page still open.
        count, rss, pss = kernels_memory(server.pid, client.kernel_ids)
        if count == 1:
            result.memory.append((rss, pss))
    log(f"  {server.name} {short(notebook)}: {opened.why or f'{opened.seconds:.2f} s'}")
    if then is not None and opened.seconds is not None:
        await then(client.page)
    # As a tab is closed (Voila's page then asks the server to shut its kernel down).
    await client.close()


async def rounds(
    browser: Browser,
    floor: Server,
    workbook: Server,
    repeats: int,
    floor_result: Single,
    results: dict[str, Single],
    timeout: float,
    guard: OfflineGuard,
    errors: list[str],
    *,
    bracket: bool = True,
    floor_then: Then | None = None,
    choice_then: Then | None = None,
) -> None:
    """In turns: the floor, every exercise, the floor again (unless not ``bracket``);
    ``repeats`` times. In the first turn ``floor_then`` and ``choice_then`` work on the
    open floor and choice pages."""
    for turn in range(repeats):
        await one_client(
            browser,
            floor,
            FLOOR,
            floor_result,
            timeout,
            guard,
            errors,
            hook=floor_then is not None,
            then=floor_then if turn == 0 else None,
        )
        for notebook in EXERCISES:
            await one_client(
                browser,
                workbook,
                notebook,
                results[notebook],
                timeout,
                guard,
                errors,
                then=choice_then if turn == 0 and notebook == CHOICE else None,
            )
        if bracket:
            await one_client(browser, floor, FLOOR, floor_result, timeout, guard, errors)


@dataclass
class Burst:
    opened: list[Opened]
    peak: tuple[int, float, float]  # kernels alive, RSS MB, PSS MB, at the highest PSS
    cpu: tuple[float, float]  # CPU seconds of the server with its kernels, of the browser
    closed_at: float = 0.0
    after: tuple[int, float, float] | None = None  # all kernels after the culling wait
    waited: float = 0.0

    @property
    def seconds(self) -> list[float | None]:
        return [o.seconds for o in self.opened]

    def count(self, why: str) -> int:
        return sum(o.why == why for o in self.opened)


async def burst(
    browser: Browser,
    server: Server,
    notebooks: list[str],
    clients: int,
    timeout: float,
    guard: OfflineGuard,
    errors: list[str],
) -> Burst:
    """``clients`` browser contexts made ready first, then all asking for their page at
    once. Their pages are then dropped without ``beforeunload`` (a laptop lid closed), so
    only the kernel culler can reclaim their kernels."""
    assignments = [notebooks[index % len(notebooks)] for index in range(clients)]
    # Every pool freshly filled: many pages at once take long to connect.
    await refresh_pool(server, assignments, margin=float("inf"))
    ready = [await new_client(browser, guard, errors) for _ in range(clients)]
    go = asyncio.Event()

    async def one(client: Client, notebook: str) -> Opened:
        await go.wait()
        return await timed_open(client, server, notebook, timeout)

    tasks = [
        asyncio.create_task(one(client, notebook))
        for client, notebook in zip(ready, assignments, strict=True)
    ]
    peak = (0, 0.0, 0.0)

    async def watch() -> None:
        nonlocal peak
        while True:
            now = kernels_memory(server.pid)
            peak = max(peak, now, key=lambda sample: sample[2])
            await asyncio.sleep(1)

    def cpu() -> tuple[float, float]:
        servers = {pid for s in LIVE for pid in (s.pid, *descendants(s.pid))}
        ours = set(descendants(os.getpid()))  # the servers, the browser and its driver
        return (cpu_seconds([server.pid, *descendants(server.pid)]), cpu_seconds(ours - servers))

    await asyncio.sleep(0.1)
    log(f"  {server.name}: {clients} clients at once")
    cpu_before = cpu()
    watcher = asyncio.create_task(watch())
    go.set()
    opened = list(await asyncio.gather(*tasks))
    watcher.cancel()
    cpu_after = cpu()
    for client in ready:
        await client.close()
    result = Burst(
        opened,
        peak,
        (cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]),
        closed_at=time.monotonic(),
    )
    log(f"  {server.name}: {sum(s is not None for s in result.seconds)}/{clients} interactive")
    return result


def sample_after_culling(server: Server, result: Burst, wait: float) -> threading.Thread:
    """Counts the server's kernels ``wait`` seconds after the pages were dropped (in a
    thread, so that other measurements run meanwhile)."""

    def sample() -> None:
        time.sleep(max(0.0, result.closed_at + wait - time.monotonic()))
        result.waited = time.monotonic() - result.closed_at
        result.after = kernels_memory(server.pid)
        log(
            f"  {server.name}: {result.after[0]} kernels alive {result.waited:.0f} s "
            "after the pages were dropped"
        )

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread


async def floor_round_trips(page: Page, repeats: int) -> list[float]:
    """Milliseconds from a slider key press to the kernel's echo of the new value (on a
    floor page opened with the echo hook)."""
    samples: list[float] = []
    try:
        await page.locator(".noUi-handle").first.focus()
        for index in range(repeats):
            await page.keyboard.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")
            await page.wait_for_function("() => window.__bwEcho > window.__bwKey", timeout=10_000)
            samples.append(await page.evaluate("window.__bwEcho - window.__bwKey"))
            await asyncio.sleep(0.2)
    except PlaywrightError as error:
        log(f"  floor round trip failed: {str(error).splitlines()[0]}")
    return samples


def _saved_at(database: sqlite3.Connection, key: str, text: str, timeout: float) -> float | None:
    """Epoch milliseconds at which the store first holds ``text`` under ``key``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = database.execute(
            "SELECT value FROM answers WHERE exercise = 'choice' AND key = ?", (key,)
        ).fetchone()
        if row is not None and json.loads(row[0]) == text:
            return time.time() * 1000
        time.sleep(0.001)
    return None


async def workbook_latencies(
    page: Page, server: Server, repeats: int
) -> tuple[list[float], list[float]]:
    """Milliseconds from typing an answer to the store holding it, and from changing a
    rating to the chart image replaced, on an open choice page."""
    prompt = load_choice_content().reflections[0].id
    key, box = f"reflection/{prompt}", f".bw-reflection-{prompt} textarea"
    saved: list[float] = []
    redrawn: list[float] = []
    path = server.db_url.removeprefix("sqlite:///")
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        await page.wait_for_selector(box, state="visible")
        for index in range(repeats):
            text = f"Answer {index} of the benchmark: the deadline is not ours to move"
            typed_at = await page.evaluate(TYPE_ANSWER, [box, text])
            seen_at = await asyncio.to_thread(_saved_at, database, key, text, 20)
            if seen_at is None:
                log("  an answer was not saved within 20 s")
            else:
                saved.append(seen_at - typed_at)
            await asyncio.sleep(0.3)
        for _ in range(repeats):
            redrawn.append(
                await page.evaluate(
                    RATE_AND_REDRAW, [RATING_SELECT, CHART_DRAWING, list(TOGGLE_LEVELS)]
                )
            )
            await asyncio.sleep(0.7)  # the rating's own autosave, out of the next sample
    except PlaywrightError as error:
        log(f"  workbook latency failed: {str(error).splitlines()[0]}")
    finally:
        database.close()
    return saved, redrawn
