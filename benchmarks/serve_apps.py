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
import contextlib
import json
import os
import re
import shutil
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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright
from playwright.async_api import Error as PlaywrightError

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
NOT_PREHEATED = "about-me.ipynb"
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

#: Seconds a pre-heated page may take from hand-out to its kernel connection.
STALE_MARGIN = 25.0
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
    cull_idle: int

    events: ServerLog = field(init=False)

    def __post_init__(self) -> None:
        self.events = ServerLog(self.log_path)

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, notebook: str) -> str:
        if notebook == FLOOR:
            return f"{self.base_url}voila/render/{FLOOR}"
        return exercise_url(self.base_url, notebook, self.key)


class ServerLog:
    """What the server's log says: which kernels it culled, how often each notebook's pool
    was filled (read as the log grows)."""

    CULLED = re.compile(r"Culling '[^']*' kernel '[^']*' \(([0-9a-f-]{36})\)")
    FILLED = re.compile(r"Kernel pool of (\S+) is filled")

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self._offset = 0
        self._culled: set[str] = set()
        self._filled: Counter[str] = Counter()
        self._last_fill: dict[str, float] = {}  # when this script saw it (monotonic)

    def _read(self) -> None:
        try:
            with self.log_path.open("rb") as server_log:
                server_log.seek(self._offset)
                chunk = server_log.read()
        except OSError:
            return
        complete = chunk.rfind(b"\n") + 1  # only whole lines
        self._offset += complete
        text = chunk[:complete].decode("utf-8", "replace")
        self._culled.update(self.CULLED.findall(text))
        for notebook in self.FILLED.findall(text):
            self._filled[notebook] += 1
            self._last_fill[notebook] = time.monotonic()

    def culled(self) -> set[str]:
        self._read()
        return self._culled

    def fills(self, notebook: str) -> int:
        self._read()
        return self._filled[notebook]

    def filled_ago(self, notebook: str) -> float:
        """Seconds since the notebook's pool was last seen filled (infinite: never)."""
        self._read()
        return time.monotonic() - self._last_fill.get(notebook, -float("inf"))


#: Every server this script started, to stop even when the run is interrupted.
STARTED: list[subprocess.Popen] = []


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
    STARTED.append(process)
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
               *_voila_flags(port, preheat=preheat, pool_size=pool_size, cull_idle=cull_idle),
               # As `jupyter workbook serve`: a team member's page starts its own kernel.
               f"--VoilaKernelManager.preheat_denylist={NOT_PREHEATED}"]
    return _launch(command, tmp, port)


def exercise_url(base_url: str, notebook: str, key: str | None) -> str:
    """The link a client opens for one exercise (``?key=`` once links carry client keys)."""
    url = f"{base_url}voila/render/{notebook}"
    return f"{url}?key={key}" if key else url


def workbook_pool_notebooks() -> int:
    """How many notebooks the workbook server pre-heats a pool for."""
    return sum(1 for path in notebooks_dir().rglob("*.ipynb")
               if ".ipynb_checkpoints" not in path.parts and path.name != NOT_PREHEATED)


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
                  pool_size * notebooks if preheat else 0, tmp / "server.log", cull_idle)


def stop_server(process: subprocess.Popen) -> None:
    """Ask the server to stop (it shuts its kernels down); kill what is left if it hangs."""
    if process.poll() is not None:
        return
    children = {pid: _cmdline(pid) for pid in descendants(process.pid)}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    for pid, cmdline in children.items():  # kernels run in sessions of their own
        if cmdline and _cmdline(pid) == cmdline:  # still the same process
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


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


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kernel_pids(server_pid: int) -> list[int]:
    """The server's kernels: its children whose command line runs ipykernel."""
    return [child for child, parent in _parents().items()
            if parent == server_pid and b"ipykernel" in _cmdline(child)]


KERNEL_FILE = re.compile(rb"kernel-([0-9a-f-]{36})\.json")


def kernel_pids_by_id(server_pid: int) -> dict[str, int]:
    """The server's kernels by kernel id (their connection file is named after it)."""
    found = {}
    for pid in kernel_pids(server_pid):
        if match := KERNEL_FILE.search(_cmdline(pid)):
            found[match.group(1).decode()] = pid
    return found


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


def kernels_memory(server_pid: int, kernel_ids: Iterable[str] | None = None
                   ) -> tuple[int, float, float]:
    """How many kernels are alive (all, or those of ``kernel_ids``), and their RSS and PSS
    in MB all together."""
    count, rss, pss = 0, 0.0, 0.0
    by_id = kernel_pids_by_id(server_pid)
    pids = (list(by_id.values()) if kernel_ids is None
            else [by_id[k] for k in set(kernel_ids) if k in by_id])
    for pid in pids:
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
                     window: float = 0.5, busy: float = 0.1) -> bool:
    """Until the server and its kernels idle (under ``busy`` CPUs for three windows in a row)
    with at least ``min_kernels`` kernels alive: a pool filled, a kernel shut down."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        before = cpu_seconds([server.pid, *descendants(server.pid)])
        server.events.culled()  # keeps the log's fill times current
        await asyncio.sleep(window)
        used = cpu_seconds([server.pid, *descendants(server.pid)]) - before
        enough = len(kernel_pids(server.pid)) >= min_kernels
        quiet = quiet + 1 if used / window < busy and enough else 0
        if quiet >= 3:
            return True
    log(f"{server.name}: still busy after {timeout:.0f} s, measuring anyway")
    return False


async def refresh_pool(server: Server, notebooks: Iterable[str], timeout: float = 180) -> None:
    """Hand the pool's kernels of ``notebooks`` to a bare HTTP request and wait for fresh
    ones, so the page measured next gets a kernel filled moments ago; then (and on a server
    without a pool) wait until the server idles.

    Voila 0.5 culls a kernel that sat in the pool longer than ``cull_idle_timeout`` if a
    cull pass comes before its page connects; with the short culling of this run that is
    nearly every time, while with a production setting it is a few percent of page views.
    The pages this script measures count it when it still happens (``culled at hand-out``).
    """
    if not server.pool_expected:
        await wait_quiet(server)
        return
    # A kernel filled lately is fresh enough: its page connects well before the culler's
    # idle time is up (with room for a slow page under load).
    notebooks = [nb for nb in dict.fromkeys(notebooks)
                 if server.events.filled_ago(nb) + STALE_MARGIN > server.cull_idle]
    before = {notebook: server.events.fills(notebook) for notebook in notebooks}
    for notebook in notebooks:
        with urllib.request.urlopen(server.url(notebook), timeout=60) as response:
            response.read()
    deadline = time.monotonic() + timeout
    while any(server.events.fills(nb) <= before[nb] for nb in notebooks):
        if time.monotonic() > deadline:
            log(f"{server.name}: the pool was not refilled in {timeout:.0f} s")
            break
        await asyncio.sleep(0.2)
    await wait_quiet(server, min_kernels=server.pool_expected)


# -- the browser ---------------------------------------------------------------------------------

class OfflineGuard:
    """Aborts every request that leaves the machine and remembers it."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    async def __call__(self, route: Route) -> None:
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

CHART_DRAWN = f"""(before) => {{
  const img = document.querySelector("{CHART_IMAGE}");
  return !!img && img.src !== before && img.complete && img.naturalWidth > 200;
}}"""

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


KERNEL_IN_URL = re.compile(r"/api/kernels/([0-9a-f-]{36})")


@dataclass
class Client:
    """One browser context with one page, and the kernels that page talks to."""

    context: BrowserContext
    page: Page
    kernel_ids: set[str] = field(default_factory=set)

    async def close(self) -> None:
        await self.context.close()


async def new_client(browser: Browser, guard: OfflineGuard, errors: list[str], *,
                     hook: bool = False) -> Client:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    if hook:
        await context.add_init_script(ECHO_HOOK)
    page = await context.new_page()
    await page.route("**/*", guard)
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


async def _unless_culled(step, client: Client, server: Server):
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


async def until_interactive(client: Client, server: Server, notebook: str,
                            timeout: float) -> None:
    """Open the app and wait until its first control is usable; in the choice exercise also
    change one rating and wait for the chart drawn anew."""
    page = client.page
    deadline = time.monotonic() + timeout

    def left_ms() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    async def step(awaitable):
        return await _unless_culled(awaitable, client, server)

    await step(page.goto(server.url(notebook), wait_until="commit", timeout=left_ms()))
    ready = FLOOR_READY if notebook == FLOOR else EXERCISE_READY
    await step(page.wait_for_selector(ready, state="visible", timeout=left_ms()))
    if notebook != CHOICE:
        return
    await step(page.wait_for_function(CHART_DRAWN, arg=None, timeout=left_ms()))
    before = await page.locator(CHART_IMAGE).first.get_attribute("src")
    select = page.locator(RATING_SELECT).first
    current = await select.evaluate("el => el.selectedIndex")
    await step(select.select_option(
        index=TOGGLE_LEVELS[1] if current == TOGGLE_LEVELS[0] else TOGGLE_LEVELS[0],
        timeout=left_ms()))
    await step(page.wait_for_function(CHART_DRAWN, arg=before, timeout=left_ms()))


@dataclass
class Opened:
    seconds: float | None  # None: not interactive
    why: str = ""  # "culled" or "deadline" when not interactive


async def timed_open(client: Client, server: Server, notebook: str, timeout: float) -> Opened:
    """Seconds from the page requested to interactive."""
    start = time.perf_counter()
    try:
        await asyncio.wait_for(until_interactive(client, server, notebook, timeout),
                               timeout + 5)
    except KernelCulled:
        log(f"  {server.name} {short(notebook)}: its kernel was culled before it connected")
        return Opened(None, "culled")
    except (TimeoutError, PlaywrightError) as error:
        first_line = str(error).splitlines()[0] if str(error) else ""
        log(f"  {server.name} {short(notebook)}: not interactive "
            f"({type(error).__name__}: {first_line})")
        return Opened(None, "deadline")
    return Opened(time.perf_counter() - start)


async def open_ready(browser: Browser, server: Server, notebook: str, guard: OfflineGuard,
                     errors: list[str], *, hook: bool = False, attempts: int = 3) -> Client:
    """A page of ``notebook`` that is interactive (for the latency measurements); a page
    whose kernel is culled at hand-out is opened again."""
    for _ in range(attempts):
        await refresh_pool(server, [notebook])
        client = await new_client(browser, guard, errors, hook=hook)
        if (await timed_open(client, server, notebook, 120)).seconds is not None:
            return client
        await client.close()
    raise RuntimeError(f"{server.name}: {notebook} did not open in {attempts} attempts")


# -- the measurements ----------------------------------------------------------------------

@dataclass
class Single:
    seconds: list[float | None] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (RSS, PSS) MB
    culled: int = 0  # page views whose kernel was culled at hand-out (then opened again)


async def single_clients(browser: Browser, server: Server, notebooks: list[str], repeats: int,
                         timeout: float, guard: OfflineGuard, errors: list[str]
                         ) -> dict[str, Single]:
    """One client at a time, each in a fresh browser context, on an idle server. A page
    whose kernel the server culls at hand-out is counted and opened again (once)."""
    results = {notebook: Single() for notebook in notebooks}
    for _ in range(repeats):
        for notebook in notebooks:
            for attempt in range(2):
                await refresh_pool(server, [notebook])
                client = await new_client(browser, guard, errors)
                opened = await timed_open(client, server, notebook, timeout)
                if opened.why == "culled":
                    results[notebook].culled += 1
                if opened.why != "culled" or attempt == 1:
                    break
                await client.close()
            results[notebook].seconds.append(opened.seconds)
            if not server.pool_expected and opened.seconds is not None:
                # Cold: the kernel started for this page, with the page still open.
                count, rss, pss = kernels_memory(server.pid, client.kernel_ids)
                if count == 1:
                    results[notebook].memory.append((rss, pss))
            shown = opened.why or f"{opened.seconds:.2f} s"
            log(f"  {server.name} {short(notebook)}: {shown}")
            await client.page.close(run_before_unload=True)
            await client.close()
    return results


@dataclass
class Burst:
    opened: list[Opened]
    peak: tuple[int, float, float]  # the clients' kernels, RSS MB, PSS MB, pages open
    closed_at: float = 0.0
    after: tuple[int, float, float] | None = None  # the same after the culling wait
    waited: float = 0.0

    @property
    def seconds(self) -> list[float | None]:
        return [o.seconds for o in self.opened]

    def count(self, why: str) -> int:
        return sum(o.why == why for o in self.opened)


async def burst(browser: Browser, server: Server, notebooks: list[str], clients: int,
                timeout: float, guard: OfflineGuard, errors: list[str]) -> Burst:
    """``clients`` browser contexts made ready first, then all asking for their page at
    once. Their pages are then dropped without ``beforeunload`` (a laptop lid closed), so
    only the kernel culler can reclaim their kernels."""
    assignments = [notebooks[index % len(notebooks)] for index in range(clients)]
    await refresh_pool(server, assignments)
    ready = [await new_client(browser, guard, errors) for _ in range(clients)]
    go = asyncio.Event()

    async def one(client: Client, notebook: str) -> Opened:
        await go.wait()
        return await timed_open(client, server, notebook, timeout)

    tasks = [asyncio.create_task(one(client, notebook))
             for client, notebook in zip(ready, assignments, strict=True)]
    await asyncio.sleep(0.1)
    log(f"  {server.name}: {clients} clients at once")
    go.set()
    opened = list(await asyncio.gather(*tasks))
    peak = kernels_memory(server.pid, {k for client in ready for k in client.kernel_ids})
    for client in ready:
        await client.close()
    result = Burst(opened, peak, closed_at=time.monotonic())
    log(f"  {server.name}: {clients - result.count('culled') - result.count('deadline')}"
        f"/{clients} interactive, {peak[0]} kernels alive")
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


async def floor_round_trips(browser: Browser, server: Server, repeats: int, guard: OfflineGuard,
                            errors: list[str]) -> list[float]:
    """Milliseconds from a slider key press to the kernel's echo of the new value."""
    samples: list[float] = []
    client = await open_ready(browser, server, FLOOR, guard, errors, hook=True)
    page = client.page
    try:
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
        await client.close()
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


async def workbook_latencies(browser: Browser, server: Server, repeats: int, guard: OfflineGuard,
                             errors: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds from typing an answer to the store holding it, and from changing a
    rating to the chart image replaced, in the choice exercise."""
    prompt = load_choice_content().reflections[0].id
    key, box = f"reflection/{prompt}", f".bw-reflection-{prompt} textarea"
    saved: list[float] = []
    redrawn: list[float] = []
    client = await open_ready(browser, server, CHOICE, guard, errors)
    page = client.page
    path = server.db_url.removeprefix("sqlite:///")
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
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
        await client.close()
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


@dataclass
class Results:
    floor_cold: Single
    cold: dict[str, Single]
    floor_pool: Single
    pool: dict[str, Single]
    echoes: list[float]
    saved: list[float]
    redrawn: list[float]
    floor_burst: Burst
    burst: Burst
    floor_pool_size: int
    pool_size: int


async def warm_up(browser: Browser, server: Server, guard: OfflineGuard,
                  errors: list[str]) -> None:
    """One page view nobody times, as on a server that has been up a while: the server's
    first-request work, the OS file cache of the imports, the browser's first page."""
    if server.name.startswith("floor"):
        client = await open_ready(browser, server, FLOOR, guard, errors)
        await client.page.close(run_before_unload=True)
        await client.close()
    else:  # the pre-heated server already imported everything; this starts one kernel
        with urllib.request.urlopen(server.url(CHOICE), timeout=120) as response:
            response.read()


async def measure(plan: Plan, root: Path, guard: OfflineGuard, errors: list[str]) -> Results:
    servers: list[Server] = []

    async def start(kind: str, preheat: bool) -> Server:
        server = open_server(kind, root, preheat=preheat, pool_size=plan.pool_size,
                             cull_idle=plan.cull_idle)
        servers.append(server)
        if preheat:
            log(f"  waiting for the pool ({server.pool_expected} kernels)")
        await wait_quiet(server, min_kernels=server.pool_expected, timeout=300)
        if not preheat:
            await warm_up(browser, server, guard, errors)
        return server

    def once(results: dict[str, Single]) -> Single:
        return results[FLOOR]

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            # 1 and 2, cold: one client at a time; the kernel started for each.
            server = await start("floor", False)
            floor_cold = once(await single_clients(browser, server, [FLOOR],
                                                   plan.floor_repeats, plan.deadline, guard,
                                                   errors))
            stop_server(server.process)

            # 1, 5, 3 and 4 with a pre-heated pool. Each culler works while the next
            # server is measured.
            floor_server = await start("floor", True)
            floor_pool = once(await single_clients(browser, floor_server, [FLOOR],
                                                   plan.floor_repeats, plan.deadline, guard,
                                                   errors))
            echoes = await floor_round_trips(browser, floor_server, plan.latency_repeats,
                                             guard, errors)
            floor_burst = await burst(browser, floor_server, [FLOOR], plan.clients,
                                      plan.deadline, guard, errors)
            samplers = [sample_after_culling(floor_server, floor_burst, plan.cull_wait)]

            pool_server = await start("workbook", True)
            pool = await single_clients(browser, pool_server, EXERCISES, plan.repeats,
                                        plan.deadline, guard, errors)
            saved, redrawn = await workbook_latencies(browser, pool_server,
                                                      plan.latency_repeats, guard, errors)
            workbook_burst = await burst(browser, pool_server, EXERCISES, plan.clients,
                                         plan.deadline, guard, errors)
            samplers.append(sample_after_culling(pool_server, workbook_burst, plan.cull_wait))

            server = await start("workbook", False)
            cold = await single_clients(browser, server, EXERCISES, plan.repeats,
                                        plan.deadline, guard, errors)
            stop_server(server.process)
            if any(sampler.is_alive() for sampler in samplers):
                log("waiting for the culler's time to pass")
            while any(sampler.is_alive() for sampler in samplers):
                await asyncio.sleep(0.5)
        finally:
            await browser.close()
            for server in servers:
                stop_server(server.process)
    return Results(floor_cold, cold, floor_pool, pool, echoes, saved, redrawn, floor_burst,
                   workbook_burst, floor_server.pool_expected, pool_server.pool_expected)


def report(plan: Plan, r: Results) -> list[Row]:
    rows: list[Row] = []
    floor_cold, floor_pool = median(r.floor_cold.seconds), median(r.floor_pool.seconds)
    for notebook in EXERCISES:
        rows.append(ratio_row(f"time to interactive, cold: {short(notebook)}", floor_cold,
                              median(r.cold[notebook].seconds), " s", 2, TTI_RATIO))
    for notebook in EXERCISES:
        rows.append(ratio_row(f"time to interactive, pool: {short(notebook)}", floor_pool,
                              median(r.pool[notebook].seconds), " s", 2, TTI_RATIO))
    views = plan.floor_repeats, plan.repeats * len(EXERCISES)
    culled = r.floor_pool.culled, sum(single.culled for single in r.pool.values())
    rows.append(Row("  pool pages whose kernel was culled at hand-out",
                    f"{culled[0]} of {views[0]}", f"{culled[1]} of {views[1]}", "",
                    "0 (opened again)", culled[1] == 0))
    for index, label in ((0, "RSS"), (1, "PSS")):
        floor_memory = median(m[index] for m in r.floor_cold.memory)
        for notebook in EXERCISES:
            rows.append(ratio_row(f"kernel {label} per client: {short(notebook)}",
                                  floor_memory,
                                  median(m[index] for m in r.cold[notebook].memory),
                                  " MB", 0, MEMORY_RATIO))

    # 3: the clients at once, against one client at a time on the same apps (pre-heated).
    n = plan.clients
    assignments = [EXERCISES[i % len(EXERCISES)] for i in range(n)]
    single = statistics.mean(median(r.pool[nb].seconds) or plan.deadline for nb in assignments)
    figures = {}
    for name, result in (("floor", r.floor_burst), ("workbook", r.burst)):
        # A client that missed the deadline counts as the deadline in the percentiles.
        capped = [plan.deadline if s is None else s for s in result.seconds]
        done = sum(s is not None for s in result.seconds)
        figures[name] = (done, result.count("culled"), median(capped), p95(capped))
    (f_done, f_culled, f_p50, f_p95), (w_done, w_culled, w_p50, w_p95) = (
        figures["floor"], figures["workbook"])
    rows.append(Row(f"{n} clients at once: interactive in {plan.deadline:.0f} s",
                    f"{f_done}/{n}", f"{w_done}/{n}", "", f"{n} of {n}", w_done == n))
    rows.append(Row("  not interactive: kernel culled at hand-out", f"{f_culled}",
                    f"{w_culled}", "", "0", w_culled == 0))
    rows.append(Row(f"{n} clients at once: p50", fmt(f_p50, " s"), fmt(w_p50, " s"),
                    _ratio_text(w_p50, f_p50)))
    rows.append(Row(f"{n} clients at once: p95", fmt(f_p95, " s"), fmt(w_p95, " s"),
                    _ratio_text(w_p95, f_p95),
                    f"<= {BURST_P95_FACTOR:.0f}x single ({BURST_P95_FACTOR * single:.1f} s)",
                    w_p95 is not None and w_p95 <= BURST_P95_FACTOR * single))
    f_peak, w_peak = r.floor_burst.peak, r.burst.peak
    rows.append(Row("  the clients' kernels and their PSS",
                    f"{f_peak[0]}, {f_peak[2]:.0f} MB", f"{w_peak[0]}, {w_peak[2]:.0f} MB",
                    _ratio_text(w_peak[2], f_peak[2])))

    # 4: culling.
    f_after, w_after = r.floor_burst.after, r.burst.after
    rows.append(Row(f"kernels alive {plan.cull_wait:.0f} s after pages dropped",
                    "-" if f_after is None else f"{f_after[0]} (pool {r.floor_pool_size})",
                    "-" if w_after is None else f"{w_after[0]} (pool {r.pool_size})", "",
                    f"= pool ({r.pool_size})", w_after is not None and w_after[0] == r.pool_size))
    rows.append(Row("  their memory, RSS / PSS",
                    "-" if f_after is None else f"{f_after[1]:.0f} / {f_after[2]:.0f} MB",
                    "-" if w_after is None else f"{w_after[1]:.0f} / {w_after[2]:.0f} MB",
                    _ratio_text(w_after and w_after[2], f_after and f_after[2])))

    # 5: latencies; the floor is a widget's round trip to the kernel and back.
    delay_ms = load_workbook_config().autosave_delay * 1000
    echo_p50, echo_p95 = median(r.echoes), p95(r.echoes)
    saved_p50, saved_p95 = median(r.saved), p95(r.saved)
    minus = None if saved_p95 is None else saved_p95 - delay_ms
    rows.append(Row("answer -> saved, p50 (raw)", fmt(echo_p50, " ms", 0),
                    fmt(saved_p50, " ms", 0), _ratio_text(saved_p50, echo_p50)))
    rows.append(Row("answer -> saved, p95 (raw)", fmt(echo_p95, " ms", 0),
                    fmt(saved_p95, " ms", 0), _ratio_text(saved_p95, echo_p95)))
    rows.append(Row(f"answer -> saved, p95 minus autosave {delay_ms:.0f} ms",
                    fmt(echo_p95, " ms", 0), fmt(minus, " ms", 0),
                    _ratio_text(minus, echo_p95), f"<= {SAVED_MS:.0f} ms",
                    minus is not None and minus <= SAVED_MS))
    chart_p50, chart_p95 = median(r.redrawn), p95(r.redrawn)
    rows.append(Row("rating -> chart redrawn, p50", fmt(echo_p50, " ms", 0),
                    fmt(chart_p50, " ms", 0), _ratio_text(chart_p50, echo_p50)))
    rows.append(Row("rating -> chart redrawn, p95", fmt(echo_p95, " ms", 0),
                    fmt(chart_p95, " ms", 0), _ratio_text(chart_p95, echo_p95),
                    f"<= {CHART_MS:.0f} ms", chart_p95 is not None and chart_p95 <= CHART_MS))
    return rows


def notes(plan: Plan, r: Results, guard: OfflineGuard, errors: list[str]) -> list[str]:
    n = plan.clients
    assignments = [EXERCISES[i % len(EXERCISES)] for i in range(n)]
    single = statistics.mean(median(r.pool[nb].seconds) or plan.deadline for nb in assignments)
    waited = max(r.floor_burst.waited, r.burst.waited)
    return [
        f"single-client time for the p95 target: {single:.2f} s (pool, the same mix of apps)",
        f"culling: cull_idle_timeout={plan.cull_idle} s, cull_interval="
        f"{cull_interval(plan.cull_idle)} s; kernels counted {waited:.0f} s after the pages "
        "were dropped without beforeunload",
        "latency floor: slider key press -> the kernel's echo back in the page "
        f"({len(r.echoes)} samples); workbook: {len(r.saved)} answers, {len(r.redrawn)} "
        "ratings",
        f"requests that tried to leave the machine (blocked): {len(guard.blocked)}"
        + (f", e.g. {guard.blocked[0]}" if guard.blocked else ""),
        f"script errors in the pages: {len(errors)}"
        + (f", e.g. {errors[0][:120]}" if errors else ""),
    ]


def _ratio_text(workbook: float | None, floor: float | None) -> str:
    ratio = ratio_of(workbook, floor)
    return "-" if ratio is None else f"{ratio:.2f}x"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


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
                    repeats=1, latency_repeats=5, cull_idle=60, cull_wait=80)
    else:
        plan = Plan(False, args.clients or 20, args.pool_size, args.deadline,
                    floor_repeats=5, repeats=3, latency_repeats=25, cull_idle=60,
                    cull_wait=120)

    # A stopped run still stops its servers (and their kernels).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started, load_before = time.monotonic(), load_average()
    root = Path(tempfile.mkdtemp(prefix="buyin-serve-bench-"))
    guard, errors = OfflineGuard(), list[str]()
    try:
        results = asyncio.run(measure(plan, root, guard, errors))
    finally:
        for process in STARTED:
            stop_server(process)
        if args.keep:
            log(f"logs and databases kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    print(f"serving the apps ({'quick' if plan.quick else 'full'}), "
          f"{datetime.now():%Y-%m-%d %H:%M}, {machine()}, load average {load_before} "
          f"at the start, {load_average()} at the end")
    print(f"floor: one IntSlider served the same way; {plan.repeats} run(s) per app "
          f"(floor {plan.floor_repeats}), medians; pool {plan.pool_size} per notebook")
    print_table(report(plan, results))
    for note in notes(plan, results, guard, errors):
        print(f"- {note}")
    print(f"run time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
