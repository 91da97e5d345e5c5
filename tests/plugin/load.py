"""Many browser clients at the same moment: async Playwright in its own thread, so every
page is requested at once (a sync `goto` waits for each answer before the next)."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

from playwright.async_api import async_playwright

from tests.plugin.servers import CHROMIUM, CHROMIUM_ARGS, OfflineGuard


@dataclass
class LoadResult:
    #: Seconds from the common start to the selector showing, per URL (None: never).
    seconds: list[float | None]
    errors: list[list[str]] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def ready(self) -> int:
        return sum(s is not None for s in self.seconds)


async def _open_all(urls: list[str], selector: str, deadline: float) -> LoadResult:
    guard = OfflineGuard()
    result = LoadResult([None] * len(urls), [[] for _ in urls])
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for index in range(len(urls)):
            context = await browser.new_context(viewport={"width": 1200, "height": 900})
            page = await context.new_page()
            guard.watch(page)
            page.on("pageerror", lambda error, i=index: result.errors[i].append(str(error)))
            pages.append(page)
        started = time.monotonic()

        async def one(index: int) -> None:
            page = pages[index]
            try:
                await page.goto(urls[index], wait_until="domcontentloaded", timeout=deadline * 1000)
                remaining = deadline - (time.monotonic() - started)
                await page.wait_for_selector(selector, timeout=max(remaining, 1) * 1000)
            except Exception as error:  # a stalled or broken page counts as not ready
                result.errors[index].append(f"not ready: {error}".splitlines()[0])
            else:
                result.seconds[index] = round(time.monotonic() - started, 2)

        await asyncio.gather(*(one(i) for i in range(len(urls))))
        await browser.close()
    result.blocked = list(guard.blocked)
    return result


def open_at_once(urls: list[str], selector: str, deadline: float = 240) -> LoadResult:
    """Open every URL in its own browser context at the same moment."""
    outcome: list[LoadResult] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(asyncio.run(_open_all(urls, selector, deadline)))
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
