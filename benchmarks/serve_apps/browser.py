"""Clients in headless Chromium: a page each, timed until interactive."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from benchmarks.common import log
from benchmarks.serve_apps.constants import (
    CHART_DRAWING,
    CHOICE,
    EXERCISE_READY,
    FLOOR,
    FLOOR_READY,
    RATING_SELECT,
    TOGGLE_LEVELS,
)
from benchmarks.serve_apps.servers import Server
from benchmarks.serve_apps.table import short
from tests.plugin.servers import (
    OfflineGuard,
)

T = TypeVar("T")

ECHO_HOOK = """
(() => {
  window.__bwKey = 0; window.__bwEcho = 0;
  document.addEventListener('keydown', () => { window.__bwKey = performance.now(); }, true);
  const Native = window.WebSocket;
  const seen = (at, text) => {
    if (text.includes('echo_update') && at > window.__bwKey && window.__bwEcho < window.__bwKey)
      window.__bwEcho = at;
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const at = performance.now();
        if (typeof event.data === 'string') seen(at, event.data);
        else if (event.data instanceof ArrayBuffer)
          seen(at, new TextDecoder().decode(event.data));
        else if (event.data && event.data.text) event.data.text().then((t) => seen(at, t));
      });
    }
  };
})();
"""

CHART_DRAWN = f"""(before) => {{
  const chart = document.querySelector("{CHART_DRAWING}");
  return !!chart && chart.dataset.drawn !== before && !!chart.querySelector("svg.marks");
}}"""

TYPE_ANSWER = """([selector, text]) => {
  const box = document.querySelector(selector);
  box.value = text;
  const typedAt = performance.timeOrigin + performance.now();
  box.dispatchEvent(new Event('input', {bubbles: true}));
  return typedAt;
}"""

RATE_AND_REDRAW = """async ([selectSelector, chartSelector, levels]) => {
  const select = document.querySelector(selectSelector);
  const chart = document.querySelector('.bw-chart');
  const before = document.querySelector(chartSelector)?.dataset.drawn;
  const next = select.selectedIndex === levels[0] ? levels[1] : levels[0];
  const replaced = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      const drawn = document.querySelector(chartSelector);
      if (drawn && drawn.dataset.drawn !== before) {
        observer.disconnect(); resolve(performance.now());
      }
    });
    observer.observe(chart, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['data-drawn']});
    setTimeout(() => { observer.disconnect(); reject(new Error('no new chart in 20 s')); },
               20000);
  });
  const changedAt = performance.now();
  select.selectedIndex = next;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return (await replaced) - changedAt;
}"""

KERNEL_IN_URL = re.compile(r"/api/kernels/([0-9a-f-]{36})")


@dataclass
class Client:
    """One browser context with one page, and the kernels that page asked for."""

    context: BrowserContext
    page: Page
    kernel_ids: set[str] = field(default_factory=set)

    async def close(self) -> None:
        # As a person closes a tab: the page's unload handlers run (and hand its kernel back).
        if not self.page.is_closed():
            closed = asyncio.ensure_future(self.page.wait_for_event("close", timeout=10_000))
            await self.page.close(run_before_unload=True)
            with contextlib.suppress(Exception):
                await closed
        await self.context.close()


async def new_client(
    browser: Browser, guard: OfflineGuard, errors: list[str], *, hook: bool = False
) -> Client:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    if hook:
        await context.add_init_script(ECHO_HOOK)
    page = await context.new_page()
    guard.watch(page)
    client = Client(context, page)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def kernel_of(url: str) -> None:
        if match := KERNEL_IN_URL.search(url):
            client.kernel_ids.add(match.group(1))

    # The page asks for its kernel (REST, then a websocket) as soon as its script runs.
    page.on("request", lambda request: kernel_of(request.url))
    page.on("websocket", lambda websocket: kernel_of(websocket.url))
    return client


class KernelCulled(Exception):
    """The server culled the page's kernel before the page could use it."""


async def _unless_culled(step: Awaitable[T], client: Client, server: Server) -> T:
    """Await a Playwright step, giving up as soon as the server culls the page's kernel."""
    task = asyncio.ensure_future(step)
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.25)
        if done:
            return task.result()
        if client.kernel_ids & server.events.culled():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise KernelCulled(", ".join(sorted(client.kernel_ids)))


async def until_interactive(client: Client, server: Server, notebook: str, timeout: float) -> None:
    """Open the app and wait until its first control is usable; in the choice exercise also
    change one rating and wait for the chart drawn anew."""
    page = client.page
    deadline = time.monotonic() + timeout

    def left_ms() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    async def step(awaitable: Awaitable[T]) -> T:
        return await _unless_culled(awaitable, client, server)

    await step(page.goto(server.url(notebook), wait_until="commit", timeout=left_ms()))
    ready = FLOOR_READY if notebook == FLOOR else EXERCISE_READY
    await step(page.wait_for_selector(ready, state="visible", timeout=left_ms()))
    if notebook != CHOICE:
        return
    await step(page.wait_for_function(CHART_DRAWN, arg=None, timeout=left_ms()))
    before = await page.locator(CHART_DRAWING).first.get_attribute("data-drawn")
    select = page.locator(RATING_SELECT).first
    current = await select.evaluate("el => el.selectedIndex")
    await step(
        select.select_option(
            index=TOGGLE_LEVELS[1] if current == TOGGLE_LEVELS[0] else TOGGLE_LEVELS[0],
            timeout=left_ms(),
        )
    )
    await step(page.wait_for_function(CHART_DRAWN, arg=before, timeout=left_ms()))


@dataclass
class Opened:
    seconds: float | None  # None: not interactive
    why: str = ""  # "culled" or "deadline" when not interactive


async def timed_open(client: Client, server: Server, notebook: str, timeout: float) -> Opened:
    """Seconds from the page requested to interactive."""
    start = time.perf_counter()
    try:
        await asyncio.wait_for(until_interactive(client, server, notebook, timeout), timeout + 5)
    except KernelCulled:
        log(f"  {server.name} {short(notebook)}: its kernel was culled before it connected")
        return Opened(None, "culled")
    except (TimeoutError, PlaywrightError) as error:
        first_line = str(error).splitlines()[0] if str(error) else ""
        log(
            f"  {server.name} {short(notebook)}: not interactive "
            f"({type(error).__name__}: {first_line})"
        )
        return Opened(None, "deadline")
    return Opened(time.perf_counter() - start)
