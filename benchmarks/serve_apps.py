"""Serving the exercise apps: how fast, how heavy and how many at once, against a floor.

The floor is a bare notebook with one ipywidgets IntSlider, written at run time and served
the same way (same server flags, same ``buyin`` template), so each ratio shows what the
workbook adds on top of Voila itself. Both are measured in the same run. Targets (issue:
serving the apps to many clients):

1. time to interactive in headless Chromium, page requested -> first exercise control usable
   (the choice exercise: and, after one rating, its chart drawn), for every exercise app:
   cold (no pool) <= 1.2x the floor cold; pre-heated (pool) <= 1.2x the floor pre-heated;
2. kernel memory per client (RSS and PSS of the kernel process) <= 1.3x the floor's kernel;
3. N clients at once (separate browser contexts started together; 20 in full mode): N of N
   interactive within the deadline, p95 <= 3x the single-client (pre-heated) time;
4. kernels alive a while after the clients drop their pages (culling set short for the run):
   back to the pool size;
5. answer typed -> held by the store <= 10 ms after the autosave delay; rating changed ->
   chart image replaced <= 150 ms p95 (the floor: a slider's round trip to the kernel and back).

Prints a table; it asserts nothing about time, so a slow machine reports rather than fails.
Every request that would leave the machine is blocked, as in the browser tests.

    python benchmarks/serve_apps.py [--quick] [--clients N] [--pool-size N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from workbook import notebooks_dir
from workbook.config import load_workbook_config
from workbook.exercises.choice import load_content as load_choice_content
from workbook.store import WorkbookStore

CHROMIUM = os.environ.get("BUYIN_WORKBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

EXERCISES = ["01-how-much-choice.ipynb", "02-am-i-bought-in.ipynb", "03-motivators.ipynb",
             "04-stakeholders.ipynb", "05-summary.ipynb"]
CHOICE = EXERCISES[0]
FLOOR = "floor.ipynb"
FLOOR_READY = ".widget-slider"
EXERCISE_READY = ".bw-plan-picker"
CHART_IMAGE = ".bw-chart img[src^='data:image/svg+xml']"
RATING_SELECT = ".bw-rate-what-possible select"
#: The seeded decision and its ratings; the benchmark toggles "what, possible" between
#: levels 5 and 6 (select indexes: 0 is "not rated"), so every load finds it rated.
DECISION = "benchdec01"
SEED_RATINGS = {("what", "today"): 3, ("what", "possible"): 5,
                ("how", "today"): 3, ("how", "possible"): 5}
TOGGLE_LEVELS = (5, 6)

TTI_RATIO, MEMORY_RATIO, BURST_P95_FACTOR = 1.2, 1.3, 3.0
SAVED_MS, CHART_MS = 10.0, 150.0


def log(message: str) -> None:
    """Progress goes to stderr; stdout holds only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- servers ------------------------------------------------------------------------------

@dataclass
class Server:
    name: str
    base_url: str
    process: subprocess.Popen
    db_url: str
    key: str | None
    pool_expected: int  # kernels alive when idle: the pool (0 without pre-heating)
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, notebook: str) -> str:
        if notebook == FLOOR:
            return f"{self.base_url}voila/render/{FLOOR}"
        return exercise_url(self.base_url, notebook, self.key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_url_for(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'workbook.sqlite'}"


def seed_workbook(tmp: Path) -> str | None:
    """A plan with one rated decision, remembered as the plan worked on, so every exercise
    opens on it and the choice exercise draws its chart; returns the key for the links.

    ``None`` until ``jupyter workbook serve`` lands: then create a client here and return
    its key.
    """
    with WorkbookStore(db_url_for(tmp)) as store:
        plan = store.create_plan("Benchmark plan")
        store.remember_plan(plan.id)
        store.save_answer(plan.id, "choice", "decisions",
                          [{"id": DECISION, "label": "Who joins the on-call rota"}])
        for (dimension, moment), level in SEED_RATINGS.items():
            store.save_answer(plan.id, "choice", f"rating/{DECISION}/{dimension}/{moment}",
                              level)
    return None


def cull_interval(cull_idle: int) -> int:
    return max(2, cull_idle // 6)


def _voila_flags(port: int, *, preheat: bool, pool_size: int, cull_idle: int) -> list[str]:
    """The server flags, the same for the floor and the workbook."""
    flags = ["--no-browser", "--template=buyin", f"--port={port}", "--Voila.ip=127.0.0.1",
             "--show_tracebacks=True",
             f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
             f"--MappingKernelManager.cull_interval={cull_interval(cull_idle)}"]
    if preheat:
        flags += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return flags


def _wait_for_http(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def _launch(command: list[str], tmp: Path, port: int) -> tuple[str, subprocess.Popen]:
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url_for(tmp)}
    with (tmp / "server.log").open("w") as server_log:
        # Its own session, so a stuck server and its kernels can be stopped as a group.
        process = subprocess.Popen(command, env=env, stdout=server_log,
                                   stderr=subprocess.STDOUT, cwd=tmp, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http(base_url, process)
    except BaseException:
        stop_server(process)
        raise
    return base_url, process


def start_workbook_server(tmp: Path, *, preheat: bool, pool_size: int,
                          cull_idle: int) -> tuple[str, subprocess.Popen]:
    """The workbook's apps on loopback, storing into ``db_url_for(tmp)``; returns the base URL.

    Today: Voila on the notebooks folder, as tests/_servers.py does. When
    ``jupyter workbook serve`` lands (workbook/apps/serveapp.py), start that instead with
    the same flags.
    """
    port = free_port()
    command = [sys.executable, "-m", "voila", str(notebooks_dir()),
               *_voila_flags(port, preheat=preheat, pool_size=pool_size, cull_idle=cull_idle)]
    return _launch(command, tmp, port)


def exercise_url(base_url: str, notebook: str, key: str | None) -> str:
    """The link a client opens for one exercise (``?key=`` once links carry client keys)."""
    url = f"{base_url}voila/render/{notebook}"
    return f"{url}?key={key}" if key else url


def workbook_pool_notebooks() -> int:
    """How many notebooks the workbook server pre-heats a pool for (Voila: all it serves)."""
    return sum(1 for path in notebooks_dir().rglob("*.ipynb")
               if ".ipynb_checkpoints" not in path.parts)


def start_floor_server(tmp: Path, *, preheat: bool, pool_size: int,
                       cull_idle: int) -> tuple[str, subprocess.Popen]:
    """Voila with the same flags on a folder holding only the floor notebook."""
    folder = tmp / "floor"
    folder.mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as widgets\n\n"
        "widgets.IntSlider(value=50, min=0, max=100, description='Floor')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / FLOOR)
    port = free_port()
    command = [sys.executable, "-m", "voila", str(folder),
               *_voila_flags(port, preheat=preheat, pool_size=pool_size, cull_idle=cull_idle)]
    return _launch(command, tmp, port)


def open_server(kind: str, root: Path, *, preheat: bool, pool_size: int,
                cull_idle: int) -> Server:
    mode = "pre-heated" if preheat else "cold"
    tmp = root / f"{kind}-{'pool' if preheat else 'cold'}"
    tmp.mkdir()
    log(f"starting the {kind} server ({mode})")
    if kind == "floor":
        base_url, process = start_floor_server(tmp, preheat=preheat, pool_size=pool_size,
                                               cull_idle=cull_idle)
        key, notebooks = None, 1
    else:
        key = seed_workbook(tmp)
        base_url, process = start_workbook_server(tmp, preheat=preheat, pool_size=pool_size,
                                                  cull_idle=cull_idle)
        notebooks = workbook_pool_notebooks()
    return Server(f"{kind} {mode}", base_url, process, db_url_for(tmp), key,
                  pool_size * notebooks if preheat else 0, tmp / "server.log")


def stop_server(process: subprocess.Popen) -> None:
    """Ask the server to stop (it shuts its kernels down), then stop its group if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    try:  # kernels it could not shut down: same session, started by this script
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# -- processes (Linux /proc) -------------------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the third on (state, ppid, ...)


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            parents[int(entry)] = int(fields[1])
    return parents


def descendants(pid: int) -> list[int]:
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def kernel_pids(server_pid: int) -> list[int]:
    """The server's kernels: its children whose command line runs ipykernel."""
    kernels = []
    for child, parent in _parents().items():
        if parent != server_pid:
            continue
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline:
            kernels.append(child)
    return kernels


def memory_mb(pid: int) -> tuple[float, float] | None:
    """RSS and PSS in MB, from smaps_rollup."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                values[name] = int(rest.split()[0]) / 1024
    except OSError:
        return None
    if "Rss" not in values or "Pss" not in values:
        return None
    return values["Rss"], values["Pss"]


def kernels_memory(server_pid: int) -> tuple[int, float, float]:
    """How many kernels are alive, and their RSS and PSS in MB all together."""
    count, rss, pss = 0, 0.0, 0.0
    for pid in kernel_pids(server_pid):
        if (memory := memory_mb(pid)) is not None:
            count, rss, pss = count + 1, rss + memory[0], pss + memory[1]
    return count, rss, pss


def cpu_seconds(pids: Iterable[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


async def wait_quiet(server: Server, *, min_kernels: int = 0, timeout: float = 180,
                     window: float = 1.0, busy: float = 0.1) -> bool:
    """Until the server and its kernels idle (under ``busy`` CPUs for two windows in a row)
    with at least ``min_kernels`` kernels alive: a pool filled, a kernel shut down."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        before = cpu_seconds([server.pid, *descendants(server.pid)])
        await asyncio.sleep(window)
        used = cpu_seconds([server.pid, *descendants(server.pid)]) - before
        enough = len(kernel_pids(server.pid)) >= min_kernels
        quiet = quiet + 1 if used / window < busy and enough else 0
        if quiet >= 2:
            return True
    log(f"{server.name}: still busy after {timeout:.0f} s, measuring anyway")
    return False


# -- the browser ---------------------------------------------------------------------------------

class OfflineGuard:
    """Aborts every request that leaves the machine and remembers it."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    async def __call__(self, route) -> None:  # playwright Route
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about", "file") or (
                parts.hostname or "") in LOOPBACK_HOSTS:
            await route.continue_()
        else:
            self.blocked.append(route.request.url)
            await route.abort("internetdisconnected")


#: Times each key press and each kernel-to-page message that echoes a widget change.
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

CHART_DRAWN = """(before) => {
  const img = document.querySelector("%s");
  return !!img && img.src !== before && img.complete && img.naturalWidth > 200;
}""" % CHART_IMAGE

TYPE_ANSWER = """([selector, text]) => {
  const box = document.querySelector(selector);
  box.value = text;
  const typedAt = performance.timeOrigin + performance.now();
  box.dispatchEvent(new Event('input', {bubbles: true}));
  return typedAt;
}"""

RATE_AND_REDRAW = """async ([selectSelector, imageSelector, levels]) => {
  const select = document.querySelector(selectSelector);
  const chart = document.querySelector('.bw-chart');
  const before = document.querySelector(imageSelector)?.src;
  const next = select.selectedIndex === levels[0] ? levels[1] : levels[0];
  const replaced = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      const img = document.querySelector(imageSelector);
      if (img && img.src !== before) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(chart, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['src']});
    setTimeout(() => { observer.disconnect(); reject(new Error('no new chart in 20 s')); },
               20000);
  });
  const changedAt = performance.now();
  select.selectedIndex = next;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return (await replaced) - changedAt;
}"""


async def new_page(browser, guard: OfflineGuard, errors: list[str], *, hook: bool = False):
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    if hook:
        await context.add_init_script(ECHO_HOOK)
    page = await context.new_page()
    await page.route("**/*", guard)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


async def until_interactive(page, url: str, notebook: str, timeout: float) -> None:
    """Open ``url`` and wait until its first control is usable; in the choice exercise also
    change one rating and wait for the chart drawn anew."""
    deadline = time.monotonic() + timeout

    def left_ms() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    await page.goto(url, wait_until="commit", timeout=left_ms())
    ready = FLOOR_READY if notebook == FLOOR else EXERCISE_READY
    await page.wait_for_selector(ready, state="visible", timeout=left_ms())
    if notebook != CHOICE:
        return
    await page.wait_for_function(CHART_DRAWN, arg=None, timeout=left_ms())
    before = await page.locator(CHART_IMAGE).first.get_attribute("src")
    select = page.locator(RATING_SELECT).first
    current = await select.evaluate("el => el.selectedIndex")
    await select.select_option(
        index=TOGGLE_LEVELS[1] if current == TOGGLE_LEVELS[0] else TOGGLE_LEVELS[0],
        timeout=left_ms())
    await page.wait_for_function(CHART_DRAWN, arg=before, timeout=left_ms())


async def timed_open(page, url: str, notebook: str, timeout: float) -> float | None:
    """Seconds from the request to interactive, or None if the deadline passed."""
    start = time.perf_counter()
    try:
        await asyncio.wait_for(until_interactive(page, url, notebook, timeout), timeout + 5)
    except (PlaywrightError, asyncio.TimeoutError) as error:
        log(f"  {notebook}: not interactive ({type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''})")
        return None
    return time.perf_counter() - start


# -- the measurements ----------------------------------------------------------------------

@dataclass
class Single:
    seconds: list[float | None] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (RSS, PSS) MB


async def single_clients(browser, server: Server, notebooks: list[str], repeats: int,
                         timeout: float, guard: OfflineGuard, errors: list[str]
                         ) -> dict[str, Single]:
    """One client at a time, each in a fresh browser context, on an idle server."""
    results = {notebook: Single() for notebook in notebooks}
    for _ in range(repeats):
        for notebook in notebooks:
            await wait_quiet(server, min_kernels=server.pool_expected)
            before = set(kernel_pids(server.pid))
            context, page = await new_page(browser, guard, errors)
            seconds = await timed_open(page, server.url(notebook), notebook, timeout)
            results[notebook].seconds.append(seconds)
            if not server.pool_expected:  # cold: the kernel started for this page
                fresh = [pid for pid in kernel_pids(server.pid) if pid not in before]
                memory = [m for pid in fresh if (m := memory_mb(pid)) is not None]
                if seconds is not None and len(memory) == 1:
                    results[notebook].memory.append(memory[0])
            shown = "stalled" if seconds is None else f"{seconds:.2f} s"
            log(f"  {server.name} {notebook}: {shown}")
            await page.close(run_before_unload=True)
            await context.close()
    return results


@dataclass
class Burst:
    seconds: list[float | None]
    peak: tuple[int, float, float]  # kernels, RSS MB, PSS MB with every page open
    closed_at: float = 0.0
    after: tuple[int, float, float] | None = None  # the same after the culling wait
    waited: float = 0.0


async def burst(browser, server: Server, notebooks: list[str], clients: int, timeout: float,
                guard: OfflineGuard, errors: list[str]) -> Burst:
    """``clients`` browser contexts ready first, then all asked for their page at once;
    the pages are then dropped without ``beforeunload`` (a closed laptop), so only the
    kernel culler can reclaim their kernels."""
    await wait_quiet(server, min_kernels=server.pool_expected)
    opened = [await new_page(browser, guard, errors) for _ in range(clients)]
    assignments = [notebooks[index % len(notebooks)] for index in range(clients)]
    go = asyncio.Event()

    async def client(page, notebook: str) -> float | None:
        await go.wait()
        return await timed_open(page, server.url(notebook), notebook, timeout)

    tasks = [asyncio.create_task(client(page, notebook))
             for (_context, page), notebook in zip(opened, assignments, strict=True)]
    await asyncio.sleep(0.1)
    log(f"  {server.name}: {clients} clients at once")
    go.set()
    seconds = list(await asyncio.gather(*tasks))
    peak = kernels_memory(server.pid)
    for context, _page in opened:
        await context.close()
    result = Burst(seconds, peak, closed_at=time.monotonic())
    done = sum(s is not None for s in seconds)
    log(f"  {server.name}: {done}/{clients} interactive, {peak[0]} kernels alive")
    return result


def sample_after_culling(server: Server, result: Burst, wait: float) -> threading.Thread:
    """Counts the kernels ``wait`` seconds after the pages were dropped (in a thread, so
    other measurements can run meanwhile)."""

    def sample() -> None:
        time.sleep(max(0.0, result.closed_at + wait - time.monotonic()))
        result.waited = time.monotonic() - result.closed_at
        result.after = kernels_memory(server.pid)
        log(f"  {server.name}: {result.after[0]} kernels alive {result.waited:.0f} s "
            "after the pages were dropped")

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread


async def floor_round_trips(browser, server: Server, repeats: int, guard: OfflineGuard,
                            errors: list[str]) -> list[float]:
    """Milliseconds from a slider key press to the kernel's echo of the new value."""
    await wait_quiet(server, min_kernels=server.pool_expected)
    context, page = await new_page(browser, guard, errors, hook=True)
    samples: list[float] = []
    try:
        await until_interactive(page, server.url(FLOOR), FLOOR, 90)
        await page.locator(".noUi-handle").first.focus()
        for index in range(repeats):
            await page.keyboard.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")
            await page.wait_for_function("() => window.__bwEcho > window.__bwKey",
                                         timeout=10_000)
            samples.append(await page.evaluate("window.__bwEcho - window.__bwKey"))
            await asyncio.sleep(0.2)
    except PlaywrightError as error:
        log(f"  floor round trip failed: {str(error).splitlines()[0]}")
    finally:
        await context.close()
    return samples


def _saved_at(database: sqlite3.Connection, key: str, text: str, timeout: float) -> float | None:
    """Epoch milliseconds at which the store first holds ``text`` under ``key``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = database.execute("SELECT value FROM answers WHERE exercise = 'choice' AND key = ?",
                               (key,)).fetchone()
        if row is not None and json.loads(row[0]) == text:
            return time.time() * 1000
        time.sleep(0.001)
    return None


async def workbook_latencies(browser, server: Server, repeats: int, guard: OfflineGuard,
                             errors: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds from typing an answer to the store holding it, and from changing a
    rating to the chart image replaced, in the choice exercise."""
    await wait_quiet(server, min_kernels=server.pool_expected)
    prompt = load_choice_content().reflections[0].id
    key, box = f"reflection/{prompt}", f".bw-reflection-{prompt} textarea"
    path = server.db_url.removeprefix("sqlite:///")
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    context, page = await new_page(browser, guard, errors)
    saved: list[float] = []
    redrawn: list[float] = []
    try:
        await until_interactive(page, server.url(CHOICE), CHOICE, 90)
        await page.wait_for_selector(box, state="visible")
        for index in range(repeats):
            text = f"Answer {index} of the benchmark: the deadline is not ours to move"
            typed_at = await page.evaluate(TYPE_ANSWER, [box, text])
            seen_at = _saved_at(database, key, text, timeout=20)
            if seen_at is None:
                log("  an answer was not saved within 20 s")
            else:
                saved.append(seen_at - typed_at)
            await asyncio.sleep(0.3)
        for _ in range(repeats):
            redrawn.append(await page.evaluate(
                RATE_AND_REDRAW, [RATING_SELECT, CHART_IMAGE, list(TOGGLE_LEVELS)]))
            await asyncio.sleep(0.7)  # the rating's own autosave, out of the next sample
    except PlaywrightError as error:
        log(f"  workbook latency failed: {str(error).splitlines()[0]}")
    finally:
        await context.close()
        database.close()
    return saved, redrawn


# -- the report ------------------------------------------------------------------------------

def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Row:
    measure: str
    floor: str
    workbook: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "stalled" if value is None else f"{value:.{digits}f}{unit}"


def ratio_of(workbook: float | None, floor: float | None) -> float | None:
    if workbook is None or floor is None or floor <= 0:
        return None
    return workbook / floor


def ratio_row(measure: str, floor: float | None, workbook: float | None, unit: str,
              digits: int, limit: float) -> Row:
    ratio = ratio_of(workbook, floor)
    return Row(measure, fmt(floor, unit, digits), fmt(workbook, unit, digits),
               "-" if ratio is None else f"{ratio:.2f}x", f"<= {limit:.1f}x",
               ratio is not None and ratio <= limit)


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "floor", "workbook", "ratio", "target", "met?")
    cells = [(r.measure, r.floor, r.workbook, r.ratio, r.target,
              "" if r.met is None else ("yes" if r.met else "NO")) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for cell in cells:
        print(" | ".join([cell[0].ljust(widths[0])]
                         + [c.rjust(w) for c, w in zip(cell[1:5], widths[1:5], strict=True)]
                         + [cell[5]]))


def short(notebook: str) -> str:
    return notebook.removesuffix(".ipynb")


def machine() -> str:
    total_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            total_kb = int(line.split()[1])
    return f"{os.cpu_count()} CPUs, {total_kb / 1024 ** 2:.0f} GB RAM"


# -- the run ---------------------------------------------------------------------------------

@dataclass
class Plan:
    quick: bool
    clients: int
    pool_size: int
    deadline: float
    floor_repeats: int
    repeats: int
    latency_repeats: int
    cull_idle: int
    cull_wait: float


async def run(plan: Plan, root: Path) -> tuple[list[Row], list[str]]:
    guard, errors = OfflineGuard(), []
    servers: list[Server] = []
    samplers: list[threading.Thread] = []

    def opened(kind: str, preheat: bool) -> Server:
        server = open_server(kind, root, preheat=preheat, pool_size=plan.pool_size,
                             cull_idle=plan.cull_idle)
        servers.append(server)
        return server

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            # 1 and 2: one client at a time, cold; the kernel's memory.
            server = opened("floor", False)
            floor_cold = (await single_clients(browser, server, [FLOOR], plan.floor_repeats,
                                               plan.deadline, guard, errors))[FLOOR]
            stop_server(server.process)
            server = opened("workbook", False)
            cold = await single_clients(browser, server, EXERCISES, plan.repeats,
                                        plan.deadline, guard, errors)
            stop_server(server.process)

            # 1, 5, 3 and 4 with a pre-heated pool; the floor culls while the workbook runs.
            floor_server = opened("floor", True)
            log("waiting for the floor's pool")
            await wait_quiet(floor_server, min_kernels=floor_server.pool_expected)
            floor_pool = (await single_clients(browser, floor_server, [FLOOR],
                                               plan.floor_repeats, plan.deadline, guard,
                                               errors))[FLOOR]
            echoes = await floor_round_trips(browser, floor_server, plan.latency_repeats,
                                             guard, errors)
            floor_burst = await burst(browser, floor_server, [FLOOR], plan.clients,
                                      plan.deadline, guard, errors)
            samplers.append(sample_after_culling(floor_server, floor_burst, plan.cull_wait))

            server = opened("workbook", True)
            workbook_pool_size = server.pool_expected
            log(f"waiting for the workbook's pool ({server.pool_expected} kernels)")
            await wait_quiet(server, min_kernels=server.pool_expected, timeout=300)
            pool = await single_clients(browser, server, EXERCISES, plan.repeats,
                                        plan.deadline, guard, errors)
            saved, redrawn = await workbook_latencies(browser, server, plan.latency_repeats,
                                                      guard, errors)
            workbook_burst = await burst(browser, server, EXERCISES, plan.clients,
                                         plan.deadline, guard, errors)
            samplers.append(sample_after_culling(server, workbook_burst, plan.cull_wait))
            log(f"waiting {plan.cull_wait:.0f} s for the culler")
            for sampler in samplers:
                while sampler.is_alive():
                    await asyncio.sleep(0.5)
        finally:
            await browser.close()
            for server in servers:
                stop_server(server.process)

    rows: list[Row] = []
    floor_cold_s, floor_pool_s = median(floor_cold.seconds), median(floor_pool.seconds)
    for notebook in EXERCISES:
        rows.append(ratio_row(f"time to interactive, cold: {short(notebook)}", floor_cold_s,
                              median(cold[notebook].seconds), " s", 2, TTI_RATIO))
    for notebook in EXERCISES:
        rows.append(ratio_row(f"time to interactive, pool: {short(notebook)}", floor_pool_s,
                              median(pool[notebook].seconds), " s", 2, TTI_RATIO))
    for index, label in ((0, "RSS"), (1, "PSS")):
        floor_memory = median(m[index] for m in floor_cold.memory)
        for notebook in EXERCISES:
            rows.append(ratio_row(f"kernel {label} per client: {short(notebook)}",
                                  floor_memory,
                                  median(m[index] for m in cold[notebook].memory),
                                  " MB", 0, MEMORY_RATIO))

    # 3: the clients at once. The single-client time is that of the same mix of apps.
    assignments = [EXERCISES[i % len(EXERCISES)] for i in range(plan.clients)]
    single = statistics.mean(median(pool[nb].seconds) or plan.deadline for nb in assignments)
    counted = {}
    for name, result in (("floor", floor_burst), ("workbook", workbook_burst)):
        done = [s for s in result.seconds if s is not None]
        # A client that missed the deadline counts as the deadline in the percentiles.
        capped = [plan.deadline if s is None else s for s in result.seconds]
        counted[name] = (len(done), median(capped), p95(capped), result)
    n = plan.clients
    rows.append(Row(f"{n} clients at once: interactive within {plan.deadline:.0f} s",
                    f"{counted['floor'][0]}/{n}", f"{counted['workbook'][0]}/{n}", "",
                    f"{n} of {n}", counted["workbook"][0] == n))
    rows.append(Row(f"{n} clients at once: p50", fmt(counted["floor"][1], " s"),
                    fmt(counted["workbook"][1], " s"),
                    _ratio_text(counted["workbook"][1], counted["floor"][1])))
    wb_p95 = counted["workbook"][2]
    rows.append(Row(f"{n} clients at once: p95", fmt(counted["floor"][2], " s"),
                    fmt(wb_p95, " s"), _ratio_text(wb_p95, counted["floor"][2]),
                    f"<= {BURST_P95_FACTOR:.0f}x single ({BURST_P95_FACTOR * single:.1f} s)",
                    wb_p95 is not None and wb_p95 <= BURST_P95_FACTOR * single))
    floor_peak, wb_peak = floor_burst.peak, workbook_burst.peak
    rows.append(Row(f"{n} clients at once: kernels, PSS all open",
                    f"{floor_peak[0]}, {floor_peak[2]:.0f} MB",
                    f"{wb_peak[0]}, {wb_peak[2]:.0f} MB",
                    _ratio_text(wb_peak[2], floor_peak[2])))

    # 4: culling.
    f_after, w_after = floor_burst.after, workbook_burst.after
    waited = max(floor_burst.waited, workbook_burst.waited)
    f_pool, w_pool = floor_server.pool_expected, workbook_pool_size
    rows.append(Row(f"kernels alive {plan.cull_wait:.0f} s after dropping pages",
                    "-" if f_after is None else f"{f_after[0]} (pool {f_pool})",
                    "-" if w_after is None else f"{w_after[0]} (pool {w_pool})", "",
                    f"= pool ({w_pool})", w_after is not None and w_after[0] == w_pool))
    rows.append(Row("  their memory, RSS / PSS",
                    "-" if f_after is None else f"{f_after[1]:.0f} / {f_after[2]:.0f} MB",
                    "-" if w_after is None else f"{w_after[1]:.0f} / {w_after[2]:.0f} MB",
                    _ratio_text(w_after and w_after[2], f_after and f_after[2])))

    # 5: latencies; the floor is a widget's round trip to the kernel and back.
    delay_ms = load_workbook_config().autosave_delay * 1000
    echo_p50, echo_p95 = median(echoes), p95(echoes)
    saved_p50, saved_p95 = median(saved), p95(saved)
    minus = None if saved_p95 is None else saved_p95 - delay_ms
    rows.append(Row("answer -> saved, p50 (raw)", fmt(echo_p50, " ms", 0),
                    fmt(saved_p50, " ms", 0), _ratio_text(saved_p50, echo_p50)))
    rows.append(Row("answer -> saved, p95 (raw)", fmt(echo_p95, " ms", 0),
                    fmt(saved_p95, " ms", 0), _ratio_text(saved_p95, echo_p95)))
    rows.append(Row(f"answer -> saved, p95 minus autosave {delay_ms:.0f} ms",
                    fmt(echo_p95, " ms", 0), fmt(minus, " ms", 0), _ratio_text(minus, echo_p95),
                    f"<= {SAVED_MS:.0f} ms", minus is not None and minus <= SAVED_MS))
    chart_p50, chart_p95 = median(redrawn), p95(redrawn)
    rows.append(Row("rating -> chart redrawn, p50", fmt(echo_p50, " ms", 0),
                    fmt(chart_p50, " ms", 0), _ratio_text(chart_p50, echo_p50)))
    rows.append(Row("rating -> chart redrawn, p95", fmt(echo_p95, " ms", 0),
                    fmt(chart_p95, " ms", 0), _ratio_text(chart_p95, echo_p95),
                    f"<= {CHART_MS:.0f} ms", chart_p95 is not None and chart_p95 <= CHART_MS))

    notes = [
        f"single-client time for the p95 target: {single:.2f} s (pre-heated, same mix of apps)",
        f"culling: cull_idle_timeout={plan.cull_idle} s, cull_interval="
        f"{cull_interval(plan.cull_idle)} s; kernels counted {waited:.0f} s after the pages "
        "were dropped without beforeunload",
        f"latency floor: slider key press -> the kernel's echo back in the page "
        f"({len(echoes)} samples); workbook: {len(saved)} answers, {len(redrawn)} ratings",
        f"requests that tried to leave the machine (blocked): {len(guard.blocked)}"
        + (f", e.g. {guard.blocked[0]}" if guard.blocked else ""),
        f"script errors in the pages: {len(errors)}"
        + (f", e.g. {errors[0][:120]}" if errors else ""),
    ]
    return rows, notes


def _ratio_text(workbook: float | None, floor: float | None) -> str:
    ratio = ratio_of(workbook, floor)
    return "-" if ratio is None else f"{ratio:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer clients and repeats, short culling wait (for the tests)")
    parser.add_argument("--clients", type=int, default=None,
                        help="clients at once (default 20, quick 5)")
    parser.add_argument("--pool-size", type=int, default=1,
                        help="pre-heated kernels per notebook (default 1)")
    parser.add_argument("--deadline", type=float, default=120,
                        help="seconds a client may take to become interactive (default 120)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the servers' logs and databases (path printed)")
    args = parser.parse_args(argv)
    if args.quick:
        plan = Plan(True, args.clients or 5, args.pool_size, args.deadline, floor_repeats=2,
                    repeats=1, latency_repeats=8, cull_idle=10, cull_wait=25)
    else:
        plan = Plan(False, args.clients or 20, args.pool_size, args.deadline,
                    floor_repeats=5, repeats=3, latency_repeats=25, cull_idle=60,
                    cull_wait=120)

    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="buyin-serve-bench-"))
    try:
        rows, notes = asyncio.run(run(plan, root))
    finally:
        if args.keep:
            log(f"logs and databases kept in {root}")
        else:
            import shutil

            shutil.rmtree(root, ignore_errors=True)

    mode = "quick" if plan.quick else "full"
    print(f"serving the apps ({mode}), {datetime.now():%Y-%m-%d %H:%M}, {machine()}; "
          f"floor: one IntSlider served the same way")
    print(f"{plan.clients} clients at once, pool {plan.pool_size} per notebook, "
          f"{plan.repeats} run(s) per app (floor {plan.floor_repeats}), medians")
    print_table(rows)
    for note in notes:
        print(f"- {note}")
    print(f"run time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
