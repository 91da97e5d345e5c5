"""Serving the exercise apps: how fast, how heavy and how many at once, against a floor.

The floor is a bare notebook with one ipywidgets IntSlider, written at run time and served
the same way (``jupyter workbook serve``: the same flags, template and key check), so each
ratio shows what the workbook adds on top of Voila itself. Floor and workbook servers run
side by side and are measured in turns, so both see the same machine. Targets (issue:
serving the apps to many clients):

1. time to interactive in headless Chromium, page requested -> first exercise control usable
   (the choice exercise: and, after one rating, its chart drawn), for every exercise app:
   cold (no pool) <= 1.3x the floor cold; pre-heated (pool) <= 1.2x the floor pre-heated;
2. kernel memory per client (RSS and PSS of the kernel process) <= 1.5x the floor's kernel;
3. N clients at once (separate browser contexts started together; 20 in full mode): N of N
   interactive within the deadline, p95 <= 3x the single-client (pre-heated) time;
4. kernels alive a while after the clients drop their pages (culling set short for the run):
   back to the pool size;
5. answer typed -> held by the store <= 10 ms after the autosave delay; rating changed ->
   chart redrawn in the page <= 100 ms p95 on a quiet machine (<= 300 ms under load; the
   floor: a slider's round trip to the kernel and back).

Prints a table; it asserts nothing about time, so a slow machine reports rather than fails.
Every request that would leave the machine is blocked, as in the browser tests. The browser
runs on the same CPUs as the servers: with many clients at once it takes a large share (the
table shows both), so those rows are a worst case for the server.

    python benchmarks/serve_apps.py [--quick] [--clients N] [--pool-size N] [--keep]

On 2 CPUs shared with other work: ``--quick`` took 4-5 minutes, the full run 12-15.
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
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import nbformat
import psutil
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

# The tests' servers and browser, shared: run as a script, the repository's root is needed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from buyin_workbook import notebooks_dir
from buyin_workbook.config import load_workbook_config
from buyin_workbook.exercises.choice import load_content as load_choice_content
from buyin_workbook.pages import FACILITATOR_NOTEBOOK, workbook_pages
from buyin_workbook.store import WorkbookStore
from tests.plugin.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OfflineGuard,
    free_port,
    wait_for_http,
)

EXERCISES = [page.notebook for page in workbook_pages()]
CHOICE = EXERCISES[0]
FLOOR = "floor.ipynb"
#: Pages serve keeps no kernel warm for: a member's page, the facilitator's notebook.
NOT_PREHEATED = ("about-me.ipynb", FACILITATOR_NOTEBOOK)
FLOOR_READY = ".widget-slider"
EXERCISE_READY = ".bw-plan-picker"
#: The choice chart as the page's renderer drew it; ``data-drawn`` counts the page's draws.
CHART_DRAWING = ".bw-chart .bw-VegaChart[data-drawn]"
RATING_SELECT = ".bw-rate-what-possible select"
#: The seeded decision and its ratings; the benchmark toggles "what, possible" between
#: levels 5 and 6 (select indexes: 0 is "not rated"), so every load finds it rated.
DECISION = "benchdec01"
SEED_RATINGS = {
    ("what", "today"): 3,
    ("what", "possible"): 5,
    ("how", "today"): 3,
    ("how", "possible"): 5,
}
TOGGLE_LEVELS = (5, 6)

#: Seconds a pre-heated page may take from hand-out to its kernel connection.
STALE_MARGIN = 25.0
# Targets of the thin-kernels issue: cold and pre-heated pages, kernel memory, a burst.
COLD_RATIO, TTI_RATIO, MEMORY_RATIO, BURST_P95_FACTOR = 1.3, 1.2, 1.5, 3.0
SAVED_MS, CHART_MS = 10.0, 100.0

T = TypeVar("T")


def log(message: str) -> None:
    """Progress goes to stderr; stdout holds only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- servers ------------------------------------------------------------------------------


class ServerLog:
    """What a server's log says, read as it grows: the kernels it culled, how often each
    notebook's pool was filled, cell outputs dropped, tab-close shutdowns refused."""

    CULLED = re.compile(r"Culling '[^']*' kernel '[^']*' \(([0-9a-f-]{36})\)")
    FILLED = re.compile(r"Kernel pool of (\S+) is filled")
    STARTED = re.compile(r"Kernel started: ([0-9a-f-]{36})")
    HANDED_OUT = re.compile(r"Using pre-heated kernel: ([0-9a-f-]{36})")
    IOPUB_TIMEOUT = re.compile(r"Timeout waiting for IOPub output")
    SHUTDOWN_REFUSED = re.compile(r"^403 POST \S*/api/shutdown/\S+ \([^)]*\) [\d.]+ms", re.M)

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self._offset = 0
        self._culled: set[str] = set()
        self._filled: Counter[str] = Counter()
        self._last_fill: dict[str, float] = {}  # when this script saw it (monotonic)
        self._started: list[str] = []
        self._handed_out: set[str] = set()
        self.iopub_timeouts = 0
        self.refused_shutdowns = 0

    def read(self) -> None:
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
        self._started += self.STARTED.findall(text)
        self._handed_out.update(self.HANDED_OUT.findall(text))
        for notebook in self.FILLED.findall(text):
            self._filled[notebook] += 1
            self._last_fill[notebook] = time.monotonic()
        self.iopub_timeouts += len(self.IOPUB_TIMEOUT.findall(text))
        self.refused_shutdowns += len(self.SHUTDOWN_REFUSED.findall(text))

    def culled(self) -> set[str]:
        self.read()
        return self._culled

    def fills(self, notebook: str) -> int:
        self.read()
        return self._filled[notebook]

    def waiting_in_pool(self) -> list[str]:
        """Kernels started but not handed out yet (the pool, on a pre-heating server)."""
        self.read()
        return [k for k in self._started if k not in self._handed_out and k not in self._culled]

    def preheated(self) -> list[str]:
        """The notebooks the server has filled a pool for."""
        self.read()
        return sorted(self._filled)

    def filled_ago(self, notebook: str) -> float:
        """Seconds since the notebook's pool was last seen filled (infinite: never)."""
        self.read()
        return time.monotonic() - self._last_fill.get(notebook, -float("inf"))


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
    #: Its pool kernels wait, busy, for their page's request (`serve` reads the key then):
    #: the culler leaves busy kernels alone, so none goes stale in the pool.
    pool_waits: bool = False

    def __post_init__(self) -> None:
        self.events = ServerLog(self.log_path)

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, notebook: str) -> str:
        return exercise_url(self.base_url, notebook, self.key)


#: Every server process this script started, to stop even when the run is interrupted.
STARTED: list[subprocess.Popen] = []
#: The servers running now: a measurement waits until all of them are idle.
LIVE: list[Server] = []
_SEEDING = threading.Lock()


def db_url_for(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'workbook.sqlite'}"


def seed_floor(tmp: Path) -> str:
    """The floor is served by the same `serve` command, so its page needs a client's key."""
    with WorkbookStore(db_url_for(tmp)) as coach:
        return coach.add_client("Benchmark client")[1]


def seed_workbook(tmp: Path) -> str:
    """A client whose plan has one rated decision, remembered as the plan worked on, so every
    exercise opens on it and the choice exercise draws its chart; returns the client's key."""
    with WorkbookStore(db_url_for(tmp)) as coach:
        client, key = coach.add_client("Benchmark client")
    with WorkbookStore(db_url_for(tmp), client_id=client.id) as store:
        plan = store.create_plan("Benchmark plan")
        store.remember_plan(plan.id)
        store.save_answer(
            plan.id,
            "choice",
            "decisions",
            [{"id": DECISION, "label": "Who joins the on-call rota"}],
        )
        for (dimension, moment), level in SEED_RATINGS.items():
            store.save_answer(plan.id, "choice", f"rating/{DECISION}/{dimension}/{moment}", level)
    return key


def cull_interval(cull_idle: int) -> int:
    return max(2, cull_idle // 6)


def _serve_command(
    root: Path,
    tmp: Path,
    port: int,
    *,
    preheat: bool,
    pool_size: int,
    cull_idle: int,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """`jupyter workbook serve` over ``root``: the same command for the floor and the
    workbook (its template, key checks, Unix-socket kernels, pool and culling)."""
    serve = Path(sys.executable).with_name("jupyter-workbook")
    return [
        str(serve),
        "serve",
        f"--Voila.root_dir={root}",
        f"--port={port}",
        f"--db-url={db_url_for(tmp)}",
        f"--pool-size={pool_size if preheat else 0}",
        f"--cull-idle-timeout={cull_idle}",
        f"--cull-interval={cull_interval(cull_idle)}",
        # One key stands in for every client here, so it may hold as many pages as they.
        "--max-pages-per-link=1000",
        "--VoilaConfiguration.show_tracebacks=True",
        *extra,
    ]


def _launch(command: list[str], tmp: Path, port: int) -> tuple[str, subprocess.Popen]:
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url_for(tmp)}
    with (tmp / "server.log").open("w") as server_log:
        # Its own session, so that an interrupted run can still stop it.
        process = subprocess.Popen(
            command,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            cwd=tmp,
            start_new_session=True,
        )
    STARTED.append(process)
    base_url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(base_url, process, timeout=90)
    except BaseException:
        stop_server(process)
        raise
    return base_url, process


def start_workbook_server(
    tmp: Path, *, preheat: bool, pool_size: int, cull_idle: int
) -> tuple[str, subprocess.Popen]:
    """`jupyter workbook serve` on the packaged exercises; returns the base URL."""
    port = free_port()
    return _launch(
        _serve_command(
            notebooks_dir(),
            tmp,
            port,
            preheat=preheat,
            pool_size=pool_size,
            cull_idle=cull_idle,
            extra=WORKBOOK_SERVE_OPTIONS,
        ),
        tmp,
        port,
    )


def exercise_url(base_url: str, notebook: str, key: str | None) -> str:
    """The link a client opens for one exercise."""
    url = f"{base_url}voila/render/{notebook}"
    return f"{url}?key={key}" if key else url


def workbook_pool_notebooks() -> int:
    """How many notebooks the workbook server pre-heats a pool for."""
    return sum(
        1
        for path in notebooks_dir().rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and path.name not in NOT_PREHEATED
    )


def start_floor_server(
    tmp: Path, *, preheat: bool, pool_size: int, cull_idle: int
) -> tuple[str, subprocess.Popen]:
    """Voila with the same flags on a folder holding only the floor notebook."""
    folder = tmp / "floor"
    folder.mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\n\n"
            "widgets.IntSlider(value=50, min=0, max=100, description='Floor')"
        )
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / FLOOR)
    port = free_port()
    return _launch(
        _serve_command(
            folder,
            tmp,
            port,
            preheat=preheat,
            pool_size=pool_size,
            cull_idle=cull_idle,
            extra=FLOOR_SERVE_OPTIONS,
        ),
        tmp,
        port,
    )


def open_server(kind: str, root: Path, *, preheat: bool, pool_size: int, cull_idle: int) -> Server:
    mode = "pool" if preheat else "cold"
    tmp = root / f"{kind}-{mode}"
    tmp.mkdir()
    log(f"starting the {kind} server ({mode})")
    if kind == "floor":
        with _SEEDING:
            key = seed_floor(tmp)
        base_url, process = start_floor_server(
            tmp, preheat=preheat, pool_size=pool_size, cull_idle=cull_idle
        )
        notebooks = 1
    else:
        with _SEEDING:  # servers start in threads; the store's migrations run one at a time
            key = seed_workbook(tmp)
        base_url, process = start_workbook_server(
            tmp, preheat=preheat, pool_size=pool_size, cull_idle=cull_idle
        )
        notebooks = workbook_pool_notebooks()
    server = Server(
        f"{kind} {mode}",
        base_url,
        process,
        db_url_for(tmp),
        key,
        pool_size * notebooks if preheat else 0,
        tmp / "server.log",
        cull_idle,
    )
    LIVE.append(server)
    return server


def close_server(server: Server) -> None:
    if server in LIVE:
        LIVE.remove(server)
    stop_server(server.process)
    server.events.read()  # its last lines, before the log's folder may go


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


#: Options only the workbook's server gets (``--plain-kernels`` adds one).
WORKBOOK_SERVE_OPTIONS: tuple[str, ...] = ()
#: The floor always runs plain kernels: Jupyter's own way, every ratio's baseline.
FLOOR_SERVE_OPTIONS = ("--plain-kernels",)

KERNEL_FILE = re.compile(rb"kernel-([0-9a-f-]{36})\.json")


KERNEL_SOCKET = re.compile(r"kernel-([0-9a-f-]{36})-ipc")


def kernel_pids_by_id(server_pid: int) -> dict[str, int]:
    """The server's kernels (its children running ipykernel), by kernel id: their
    connection file is named after it. A forked kernel (``--fork-kernels``) is a child of
    the fork server with the fork server's command line: its Unix sockets name it."""
    found = {}
    parents = _parents()
    for child, parent in parents.items():
        cmdline = _cmdline(child) if parent == server_pid else b""
        if b"ipykernel" in cmdline and (match := KERNEL_FILE.search(cmdline)):
            found[match.group(1).decode()] = child
        elif b"_fork_server" in cmdline:
            for kernel in (pid for pid, ppid in parents.items() if ppid == child):
                with contextlib.suppress(psutil.Error):
                    for connection in psutil.Process(kernel).net_connections(kind="unix"):
                        if match := KERNEL_SOCKET.search(str(connection.laddr)):
                            found[match.group(1)] = kernel
                            break
    return found


def smaps(pid: int) -> dict[str, float]:
    """smaps_rollup's figures in MB (Rss, Pss, Shared_Dirty, Private_Dirty, ...); empty
    for a process gone."""
    values: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name] = int(rest.split()[0]) / 1024
    return values


def memory_mb(pid: int) -> tuple[float, float] | None:
    """RSS and PSS in MB, from smaps_rollup."""
    values = smaps(pid)
    if "Rss" not in values or "Pss" not in values:
        return None
    return values["Rss"], values["Pss"]


def kernels_memory(
    server_pid: int, kernel_ids: Iterable[str] | None = None
) -> tuple[int, float, float]:
    """How many kernels are alive (all, or those of ``kernel_ids``), and their RSS and PSS
    in MB all together."""
    by_id = kernel_pids_by_id(server_pid)
    pids = (
        list(by_id.values())
        if kernel_ids is None
        else [by_id[k] for k in set(kernel_ids) if k in by_id]
    )
    count, rss, pss = 0, 0.0, 0.0
    for pid in pids:
        if (memory := memory_mb(pid)) is not None:
            count, rss, pss = count + 1, rss + memory[0], pss + memory[1]
    return count, rss, pss


def cpu_seconds(pids: Iterable[int]) -> float:
    """CPU time of the processes and of their children that have exited (so the total of a
    process tree does not drop when a kernel or a browser tab ends)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            total += sum(int(value) for value in fields[11:15])  # u/s time, cu/cs time
    return total / ticks


async def wait_quiet(*, timeout: float = 180, window: float = 0.3, busy: float = 0.1) -> bool:
    """Until every running server and its kernels idle (under ``busy`` CPUs for three
    windows in a row) with its pool's kernels alive: a pool refilled, a kernel shut down."""

    def tree() -> list[int]:
        return [pid for server in LIVE for pid in (server.pid, *descendants(server.pid))]

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        before = cpu_seconds(tree())
        for server in LIVE:
            server.events.read()  # keeps the pools' fill times current
        await asyncio.sleep(window)
        used = cpu_seconds(tree()) - before
        pools = all(len(kernel_pids_by_id(s.pid)) >= s.pool_expected for s in LIVE)
        quiet = quiet + 1 if used / window < busy and pools else 0
        if quiet >= 3:
            return True
    log(f"the servers are still busy after {timeout:.0f} s; measuring anyway")
    return False


def pool_kernels_busy(server: Server) -> bool:
    """Whether every kernel waiting in the pool is busy, as the server's API reports it."""
    states = []
    for kernel_id in server.events.waiting_in_pool():
        try:
            with urllib.request.urlopen(
                f"{server.base_url}api/kernels/{kernel_id}", timeout=10
            ) as response:
                states.append(json.load(response).get("execution_state"))
        except (urllib.error.URLError, ValueError):
            states.append(None)
    return bool(states) and all(state == "busy" for state in states)


def _get(url: str, timeout: float = 120) -> None:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()


async def refresh_pool(
    server: Server, notebooks: Iterable[str], *, margin: float = STALE_MARGIN, timeout: float = 180
) -> None:
    """Make sure the next page of each of ``notebooks`` gets a kernel filled lately, then
    wait until the servers idle.

    A stale pool kernel is handed to a bare HTTP request and a fresh one awaited: Voila 0.5
    culls a kernel that sat in the pool longer than ``cull_idle_timeout`` if a cull pass
    comes before its page connects. With the short culling of this run that would be most
    page views; in production (hours between visits, a pass a minute) a few percent. The
    pages measured still count it when it happens ("culled at hand-out"). ``margin``: the
    seconds a page may take from hand-out to its kernel connection.
    """
    wanted = (
        list(dict.fromkeys(notebooks)) if server.pool_expected and not server.pool_waits else []
    )
    stale = [nb for nb in wanted if server.events.filled_ago(nb) + margin > server.cull_idle]
    before = {notebook: server.events.fills(notebook) for notebook in stale}
    for notebook in stale:
        await asyncio.to_thread(_get, server.url(notebook))
    deadline = time.monotonic() + timeout
    while any(server.events.fills(nb) <= before[nb] for nb in stale):
        if time.monotonic() > deadline:
            log(f"{server.name}: the pool was not refilled in {timeout:.0f} s")
            break
        await asyncio.sleep(0.2)
    await wait_quiet()


# -- the browser ---------------------------------------------------------------------------------

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
    await page.route("**/*", guard.route_async)
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


# -- the measurements ----------------------------------------------------------------------


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
    return "none" if value is None else f"{value:.{digits}f}{unit}"


def ratio_of(workbook: float | None, floor: float | None) -> float | None:
    if workbook is None or floor is None or floor <= 0:
        return None
    return workbook / floor


def ratio_text(workbook: float | None, floor: float | None) -> str:
    ratio = ratio_of(workbook, floor)
    return "-" if ratio is None else f"{ratio:.2f}x"


def ratio_row(
    measure: str, floor: float | None, workbook: float | None, unit: str, digits: int, limit: float
) -> Row:
    ratio = ratio_of(workbook, floor)
    return Row(
        measure,
        fmt(floor, unit, digits),
        fmt(workbook, unit, digits),
        ratio_text(workbook, floor),
        f"<= {limit:.1f}x",
        ratio is not None and ratio <= limit,
    )


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "floor", "workbook", "ratio", "target", "met?")
    cells = [
        (
            r.measure,
            r.floor,
            r.workbook,
            r.ratio,
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("-+-".join("-" * w for w in widths))
    for cell in cells:
        print(
            " | ".join(
                [cell[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(cell[1:5], widths[1:5], strict=True)]
                + [cell[5]]
            ).rstrip()
        )


def short(notebook: str) -> str:
    return notebook.removesuffix(".ipynb")


def machine() -> str:
    total_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            total_kb = int(line.split()[1])
    return f"{os.cpu_count()} CPUs, {total_kb / 1024**2:.0f} GB RAM"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Plan:
    quick: bool
    clients: int
    pool_size: int
    deadline: float
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
    preheated: list[str]
    logs: dict[str, ServerLog]


async def measure(plan: Plan, root: Path, guard: OfflineGuard, errors: list[str]) -> Results:
    def start(kind: str, preheat: bool) -> Server:
        return open_server(
            kind, root, preheat=preheat, pool_size=plan.pool_size, cull_idle=plan.cull_idle
        )

    echoes: list[float] = []
    saved: list[float] = []
    redrawn: list[float] = []

    async def echo_then(page: Page) -> None:
        echoes.extend(await floor_round_trips(page, plan.latency_repeats))

    async def latency_then(page: Page) -> None:
        typed, charted = await workbook_latencies(page, pool_server, plan.latency_repeats)
        saved.extend(typed)
        redrawn.extend(charted)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            # All four servers at once: the cold ones get their first page (untimed, as on
            # a server that has been up a while) while the pools fill.
            floor_pool_server, pool_server, floor_cold_server, cold_server = await asyncio.gather(
                *(
                    asyncio.to_thread(start, kind, preheat)
                    for kind, preheat in (
                        ("floor", True),
                        ("workbook", True),
                        ("floor", False),
                        ("workbook", False),
                    )
                )
            )
            log("  filling the pools")
            await asyncio.gather(
                asyncio.to_thread(_get, floor_cold_server.url(FLOOR)),
                asyncio.to_thread(_get, cold_server.url(CHOICE)),
            )
            await wait_quiet(timeout=300)
            for server in (floor_pool_server, pool_server):
                # The pool the server keeps is what it filled, whatever it was asked.
                server.pool_expected = plan.pool_size * len(server.events.preheated())
                server.pool_waits = pool_kernels_busy(server)
                log(
                    f"  {server.name}: {server.pool_expected} kernels in the pool, "
                    f"{'busy' if server.pool_waits else 'idle'} until a page asks"
                )

            # Pre-heated, floor and workbook in turns, with the latencies on the way.
            floor_pool, pool = Single(), {notebook: Single() for notebook in EXERCISES}
            await rounds(
                browser,
                floor_pool_server,
                pool_server,
                plan.repeats,
                floor_pool,
                pool,
                plan.deadline,
                guard,
                errors,
                bracket=not plan.quick,
                floor_then=echo_then,
                choice_then=latency_then,
            )
            floor_burst = await burst(
                browser, floor_pool_server, [FLOOR], plan.clients, plan.deadline, guard, errors
            )
            samplers = [sample_after_culling(floor_pool_server, floor_burst, plan.cull_wait)]
            workbook_burst = await burst(
                browser, pool_server, EXERCISES, plan.clients, plan.deadline, guard, errors
            )
            samplers.append(sample_after_culling(pool_server, workbook_burst, plan.cull_wait))

            # Cold, while the culler works on the clients' kernels.
            floor_cold, cold = Single(), {notebook: Single() for notebook in EXERCISES}
            await rounds(
                browser,
                floor_cold_server,
                cold_server,
                plan.repeats,
                floor_cold,
                cold,
                plan.deadline,
                guard,
                errors,
                bracket=not plan.quick,
            )
            close_server(floor_cold_server)
            close_server(cold_server)
            if any(sampler.is_alive() for sampler in samplers):
                log("waiting for the culler's time to pass")
            while any(sampler.is_alive() for sampler in samplers):
                await asyncio.sleep(0.5)
            close_server(floor_pool_server)
            close_server(pool_server)
        finally:
            await browser.close()
            for server in list(LIVE):
                close_server(server)
    logs = {
        server.name: server.events
        for server in (floor_pool_server, pool_server, floor_cold_server, cold_server)
    }
    return Results(
        floor_cold,
        cold,
        floor_pool,
        pool,
        echoes,
        saved,
        redrawn,
        floor_burst,
        workbook_burst,
        floor_pool_server.pool_expected,
        pool_server.pool_expected,
        pool_server.events.preheated(),
        logs,
    )


def single_time(plan: Plan, r: Results) -> float:
    """One client at a time, pre-heated, over the same mix of apps as the clients at once."""
    mix = [EXERCISES[i % len(EXERCISES)] for i in range(plan.clients)]
    return statistics.mean(median(r.pool[nb].seconds) or plan.deadline for nb in mix)


def report(plan: Plan, r: Results) -> list[Row]:
    rows: list[Row] = []
    floor_cold, floor_pool = median(r.floor_cold.seconds), median(r.floor_pool.seconds)
    for notebook in EXERCISES:
        rows.append(
            ratio_row(
                f"time to interactive, cold: {short(notebook)}",
                floor_cold,
                median(r.cold[notebook].seconds),
                " s",
                2,
                COLD_RATIO,
            )
        )
    for notebook in EXERCISES:
        rows.append(
            ratio_row(
                f"time to interactive, pool: {short(notebook)}",
                floor_pool,
                median(r.pool[notebook].seconds),
                " s",
                2,
                TTI_RATIO,
            )
        )
    views = len(r.floor_pool.seconds), sum(len(s.seconds) for s in r.pool.values())
    culled = r.floor_pool.culled, sum(single.culled for single in r.pool.values())
    rows.append(
        Row(
            "  pool pages whose kernel was culled at hand-out",
            f"{culled[0]} of {views[0]}",
            f"{culled[1]} of {views[1]}",
            "",
            "0 (else opened again)",
            culled[1] == 0,
        )
    )
    for index, label in ((0, "RSS"), (1, "PSS")):
        floor_memory = median(m[index] for m in r.floor_cold.memory)
        for notebook in EXERCISES:
            rows.append(
                ratio_row(
                    f"kernel {label} per client: {short(notebook)}",
                    floor_memory,
                    median(m[index] for m in r.cold[notebook].memory),
                    " MB",
                    0,
                    MEMORY_RATIO,
                )
            )

    # 3: the clients at once, against one client at a time on the same apps (pre-heated).
    n, single = plan.clients, single_time(plan, r)
    figures = {}
    for name, result in (("floor", r.floor_burst), ("workbook", r.burst)):
        # A client that missed the deadline counts as the deadline in the percentiles.
        capped = [plan.deadline if s is None else s for s in result.seconds]
        done = sum(s is not None for s in result.seconds)
        figures[name] = (done, result.count("culled"), median(capped), p95(capped))
    (f_done, f_culled, f_p50, f_p95) = figures["floor"]
    (w_done, w_culled, w_p50, w_p95) = figures["workbook"]
    rows.append(
        Row(
            f"{n} clients at once: interactive in {plan.deadline:.0f} s",
            f"{f_done}/{n}",
            f"{w_done}/{n}",
            "",
            f"{n} of {n}",
            w_done == n,
        )
    )
    rows.append(
        Row(
            "  of the others, kernel culled at hand-out",
            f"{f_culled}",
            f"{w_culled}",
            "",
            "0",
            w_culled == 0,
        )
    )
    rows.append(
        Row(
            f"{n} clients at once: p50",
            fmt(f_p50, " s"),
            fmt(w_p50, " s"),
            ratio_text(w_p50, f_p50),
        )
    )
    rows.append(
        Row(
            f"{n} clients at once: p95",
            fmt(f_p95, " s"),
            fmt(w_p95, " s"),
            ratio_text(w_p95, f_p95),
            f"<= {BURST_P95_FACTOR:.0f}x single ({BURST_P95_FACTOR * single:.1f} s)",
            w_p95 is not None and w_p95 <= BURST_P95_FACTOR * single,
        )
    )
    f_peak, w_peak = r.floor_burst.peak, r.burst.peak
    rows.append(
        Row(
            "  kernels alive at the peak, all their PSS",
            f"{f_peak[0]}, {f_peak[2]:.0f} MB",
            f"{w_peak[0]}, {w_peak[2]:.0f} MB",
            ratio_text(w_peak[2], f_peak[2]),
        )
    )
    f_cpu, w_cpu = r.floor_burst.cpu, r.burst.cpu
    rows.append(
        Row(
            "  CPU seconds: server and kernels / browser",
            f"{f_cpu[0]:.0f} / {f_cpu[1]:.0f}",
            f"{w_cpu[0]:.0f} / {w_cpu[1]:.0f}",
            ratio_text(w_cpu[0], f_cpu[0]),
        )
    )

    # 4: culling.
    f_after, w_after = r.floor_burst.after, r.burst.after
    rows.append(
        Row(
            f"kernels alive {plan.cull_wait:.0f} s after pages dropped",
            "-" if f_after is None else f"{f_after[0]} (pool {r.floor_pool_size})",
            "-" if w_after is None else f"{w_after[0]} (pool {r.pool_size})",
            "",
            f"= pool ({r.pool_size})",
            w_after is not None and w_after[0] == r.pool_size,
        )
    )
    rows.append(
        Row(
            "  their memory, RSS / PSS",
            "-" if f_after is None else f"{f_after[1]:.0f} / {f_after[2]:.0f} MB",
            "-" if w_after is None else f"{w_after[1]:.0f} / {w_after[2]:.0f} MB",
            ratio_text(w_after and w_after[2], f_after and f_after[2]),
        )
    )

    # 5: latencies; the floor is a widget's round trip to the kernel and back.
    delay_ms = load_workbook_config().autosave_delay * 1000
    echo_p50, echo_p95 = median(r.echoes), p95(r.echoes)
    saved_p50, saved_p95 = median(r.saved), p95(r.saved)
    minus = None if saved_p95 is None else saved_p95 - delay_ms
    rows.append(
        Row(
            "answer -> saved, p50 (raw)",
            fmt(echo_p50, " ms", 0),
            fmt(saved_p50, " ms", 0),
            ratio_text(saved_p50, echo_p50),
        )
    )
    rows.append(
        Row(
            "answer -> saved, p95 (raw)",
            fmt(echo_p95, " ms", 0),
            fmt(saved_p95, " ms", 0),
            ratio_text(saved_p95, echo_p95),
        )
    )
    rows.append(
        Row(
            f"answer -> saved, p95 minus autosave {delay_ms:.0f} ms",
            fmt(echo_p95, " ms", 0),
            fmt(minus, " ms", 0),
            ratio_text(minus, echo_p95),
            f"<= {SAVED_MS:.0f} ms",
            minus is not None and minus <= SAVED_MS,
        )
    )
    chart_p50, chart_p95 = median(r.redrawn), p95(r.redrawn)
    rows.append(
        Row(
            "rating -> chart redrawn, p50",
            fmt(echo_p50, " ms", 0),
            fmt(chart_p50, " ms", 0),
            ratio_text(chart_p50, echo_p50),
        )
    )
    rows.append(
        Row(
            "rating -> chart redrawn, p95",
            fmt(echo_p95, " ms", 0),
            fmt(chart_p95, " ms", 0),
            ratio_text(chart_p95, echo_p95),
            f"<= {CHART_MS:.0f} ms",
            chart_p95 is not None and chart_p95 <= CHART_MS,
        )
    )
    return rows


def notes(plan: Plan, r: Results, guard: OfflineGuard, errors: list[str]) -> list[str]:
    waited = max(r.floor_burst.waited, r.burst.waited)
    iopub = ", ".join(f"{name} {log.iopub_timeouts}" for name, log in r.logs.items())
    refused = ", ".join(f"{name} {log.refused_shutdowns}" for name, log in r.logs.items())
    return [
        f"single-client time for the p95 target: {single_time(plan, r):.2f} s (pool, the same "
        "mix of apps)",
        f"culling: cull_idle_timeout={plan.cull_idle} s, cull_interval="
        f"{cull_interval(plan.cull_idle)} s; kernels counted {waited:.0f} s after the pages "
        "were dropped without beforeunload",
        "latency floor: slider key press -> the kernel's echo back in the page "
        f"({len(r.echoes)} samples); workbook: {len(r.saved)} answers, {len(r.redrawn)} "
        "ratings",
        f"server logs, cells whose output Voila stopped waiting for (IOPub timeout): {iopub}",
        f"server logs, tab-close kernel shutdowns refused (403): {refused}",
        f"notebooks the workbook server pre-heats: {', '.join(r.preheated)}",
        "the browser shares the machine's CPUs with the servers (its CPU seconds above)",
        f"requests that tried to leave the machine (blocked): {len(guard.blocked)}"
        + (f", e.g. {guard.blocked[0]}" if guard.blocked else ""),
        f"script errors in the pages: {len(errors)}"
        + (f", e.g. {errors[0][:120]}" if errors else ""),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer clients and repeats, shorter culling wait (for the tests)",
    )
    parser.add_argument(
        "--clients", type=int, default=None, help="clients at once (default 20, quick 5)"
    )
    parser.add_argument(
        "--pool-size", type=int, default=1, help="pre-heated kernels per notebook (default 1)"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=120,
        help="seconds a client may take to become interactive (default 120)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the servers' logs and databases (the folder is printed)",
    )
    parser.add_argument(
        "--plain-kernels",
        action="store_true",
        help="serve the workbook with `serve --plain-kernels` (default: forked kernels, as "
        "serve does on Linux; the floor always runs plain kernels)",
    )
    args = parser.parse_args(argv)
    global WORKBOOK_SERVE_OPTIONS
    WORKBOOK_SERVE_OPTIONS = ("--plain-kernels",) if args.plain_kernels else ()
    if args.quick:
        plan = Plan(
            True,
            args.clients or 5,
            args.pool_size,
            args.deadline,
            repeats=1,
            latency_repeats=5,
            cull_idle=60,
            cull_wait=75,
        )
    else:
        plan = Plan(
            False,
            args.clients or 20,
            args.pool_size,
            args.deadline,
            repeats=3,
            latency_repeats=25,
            cull_idle=60,
            cull_wait=120,
        )

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

    print(
        f"serving the apps ({'quick' if plan.quick else 'full'}), "
        f"{datetime.now():%Y-%m-%d %H:%M}, {machine()}, load average {load_before} "
        f"at the start, {load_average()} at the end"
    )
    if WORKBOOK_SERVE_OPTIONS:
        print(f"workbook served with {' '.join(WORKBOOK_SERVE_OPTIONS)}; the floor without")
    floor_views = plan.repeats * (1 if plan.quick else 2)
    print(
        f"floor: one IntSlider served the same way; {plan.repeats} page view(s) per app, "
        f"{floor_views} of the floor, medians; pool {plan.pool_size} per notebook"
    )
    print_table(report(plan, results))
    for note in notes(plan, results, guard, errors):
        print(f"- {note}")
    print(f"run time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
