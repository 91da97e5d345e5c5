"""The floor's and the workbook's servers: started, seeded, read and stopped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from benchmarks.common import log
from benchmarks.serve_apps.constants import (
    DECISION,
    FLOOR,
    NOT_PREHEATED,
    SEED_RATINGS,
    STALE_MARGIN,
)
from benchmarks.serve_apps.processes import (
    command_line,
    cpu_seconds,
    descendants,
    kernel_pids_by_id,
)
from buyin_workbook import notebooks_dir
from buyin_workbook.store import WorkbookStore
from tests.plugin.servers import (
    free_port,
    wait_for_http,
)


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
#: The floor always runs plain kernels: Jupyter's own way, every ratio's baseline.
FLOOR_SERVE_OPTIONS = ("--plain-kernels",)


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


def serve_command(
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


def launch(command: list[str], tmp: Path, port: int) -> tuple[str, subprocess.Popen]:
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
    tmp: Path, *, preheat: bool, pool_size: int, cull_idle: int, options: tuple[str, ...]
) -> tuple[str, subprocess.Popen]:
    """`jupyter workbook serve` on the packaged exercises; returns the base URL."""
    port = free_port()
    return launch(
        serve_command(
            notebooks_dir(),
            tmp,
            port,
            preheat=preheat,
            pool_size=pool_size,
            cull_idle=cull_idle,
            extra=options,
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
    return launch(
        serve_command(
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


def open_server(
    kind: str,
    root: Path,
    *,
    preheat: bool,
    pool_size: int,
    cull_idle: int,
    workbook_options: tuple[str, ...] = (),
) -> Server:
    """One server of the run; ``workbook_options`` go to the workbook's only."""
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
            tmp,
            preheat=preheat,
            pool_size=pool_size,
            cull_idle=cull_idle,
            options=workbook_options,
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
    children = {pid: command_line(pid) for pid in descendants(process.pid)}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    for pid, cmdline in children.items():  # kernels run in sessions of their own
        if cmdline and command_line(pid) == cmdline:  # still the same process
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


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


def fetch_page(url: str, timeout: float = 120) -> None:
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
        await asyncio.to_thread(fetch_page, server.url(notebook))
    deadline = time.monotonic() + timeout
    while any(server.events.fills(nb) <= before[nb] for nb in stale):
        if time.monotonic() > deadline:
            log(f"{server.name}: the pool was not refilled in {timeout:.0f} s")
            break
        await asyncio.sleep(0.2)
    await wait_quiet()
