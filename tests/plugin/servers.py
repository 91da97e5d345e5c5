"""Real servers and a real browser for the UI tests and the benchmarks: Voila, JupyterLab and
`jupyter workbook serve` on loopback, Debian's Chromium cut off from the network."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("BUYIN_WORKBOOK_CHROMIUM", "/usr/bin/chromium")

#: A port on loopback that refuses every connection (bound, never listening), for as long
#: as this process runs.
_DEAD_END = socket.socket()
_DEAD_END.bind(("127.0.0.1", 0))

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Cut off from the network: every request but one to loopback (which Chromium never
    # sends through a proxy) goes to a proxy that refuses it. The browser blocks it itself,
    # for every page and context, with no request routed through Playwright (which costs a
    # page's load a seventh more CPU); OfflineGuard records what was refused.
    f"--proxy-server=http://127.0.0.1:{_DEAD_END.getsockname()[1]}",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_missing_reason() -> str | None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return None
    return (
        f"Chromium is not installed at {CHROMIUM}; the README's test command installs "
        "Debian's `chromium` package."
    )


#: Marks a browser test: skipped, saying why, where Debian's Chromium is not installed.
needs_chromium = pytest.mark.skipif(
    chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    # 60 s was seen to run out while another suite loaded the same two CPUs.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers, if only to refuse (a served workbook without a key)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


class ServerURL(str):
    """A running server's base URL, with its process and its log."""

    process: subprocess.Popen
    log: Path
    #: Stops it now, rather than at the end of its fixture's scope.
    stop: Callable[[], None]


#: The logs of the servers running now, for a failing test's report.
_LIVE_LOGS: list[Path] = []


def live_server_logs(lines: int = 60) -> list[tuple[str, str]]:
    """The last lines of each running server's log."""
    found = []
    for path in _LIVE_LOGS:
        with contextlib.suppress(OSError):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            found.append((str(path), "\n".join(tail)))
    return found


@contextmanager
def _server(
    command: list[str],
    url: str,
    db_url: str,
    log_path: Path,
    cwd: Path | None = None,
    env_extra: dict[str, str] | None = None,
) -> Iterator[ServerURL]:
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url, **(env_extra or {})}
    with log_path.open("a") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
        _LIVE_LOGS.append(log_path)
        try:
            wait_for_http(url, process)
            served = ServerURL(url)
            served.process = process
            served.log = log_path
            yield served
        except BaseException:
            # A failing block shows what the server and its kernels said last.
            log.flush()
            tail = log_path.read_text(errors="replace").splitlines()[-60:]
            print(f"--- last lines of {log_path.name} ---", *tail, sep="\n")
            raise
        finally:
            _LIVE_LOGS.remove(log_path)
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def voila_server(notebook: Path, db_url: str, log_path: Path):
    """Serve one notebook with Voila on loopback and the workbook's template; yields its
    base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        "--template=buyin",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True",
        "--MappingKernelManager.cull_idle_timeout=120",
        "--MappingKernelManager.cull_interval=30",
        # As `jupyter workbook serve` does, against the stall and blank pages seen
        # on a busy machine (see docs/coach.md, "Under load").
        "--KernelManager.transport=ipc",
        "--VoilaExecutor.iopub_timeout=120",
    ]
    return _server(command, f"http://127.0.0.1:{port}/", db_url, log_path)


def lab_server(root_dir: Path, db_url: str, log_path: Path, locale: str = ""):
    """JupyterLab on loopback with no token, serving ``root_dir``; yields its base URL.

    Its workspace layout and settings live beside the log, so no earlier run's open tabs
    or panels leak in from the home folder. With ``locale`` ("de_DE"), its Settings →
    Language is set to it, as a user sets it (the workbook reads the same settings).
    """
    port = free_port()
    state = log_path.parent / "lab-state"
    if locale:
        chosen = state / "settings" / "@jupyterlab" / "translation-extension"
        chosen.mkdir(parents=True, exist_ok=True)
        (chosen / "plugin.jupyterlab-settings").write_text(f'{{"locale": "{locale}"}}', "utf-8")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        f"--LabApp.user_settings_dir={state / 'settings'}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    settings = {"JUPYTERLAB_SETTINGS_DIR": str(state / "settings")}
    return _server(
        command, f"http://127.0.0.1:{port}/lab", db_url, log_path, cwd=root_dir, env_extra=settings
    )


class OfflineGuard:
    """Remembers every request of a page that tried to leave the machine (the browser,
    launched with ``CHROMIUM_ARGS``, refuses them all): :meth:`watch` the page."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def watch(self, page: Any) -> Any:
        """Record ``page``'s requests and websockets that tried to leave; returns the page."""
        page.on("requestfailed", lambda request: self.allows(request.url))
        page.on("websocket", lambda websocket: self.allows(websocket.url))
        return page

    def allows(self, url: str) -> bool:
        """Whether ``url`` stays on this machine; remembers it when not."""
        parts = urlsplit(url)
        if (
            parts.scheme in ("data", "blob", "about", "file")
            or (parts.hostname or "") in LOOPBACK_HOSTS
        ):
            return True
        self.blocked.append(url)
        return False


@dataclass
class Served:
    """A running `jupyter workbook serve`, with the keys and ids the tests made for it."""

    url: ServerURL
    db_url: str
    keys: dict[str, str]
    ids: dict[str, int]
    log: Path


def workbook_cli(db_url: str, *args: str) -> str:
    """`jupyter workbook ARGS --db-url=...`, as a coach types it; its output."""
    result = subprocess.run(
        workbook_command(*args, f"--db-url={db_url}"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def link_key(output: str) -> str:
    """The key of the link `jupyter workbook clients ...` printed last."""
    return output.strip().splitlines()[-1].split("key=")[1]


def fetch(url: str, timeout: float = 120) -> tuple[int, str]:
    """A plain GET: its status and text, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def workbook_command(*args: str) -> list[str]:
    """`jupyter workbook ...` through the installed entry point."""
    return [str(Path(sys.executable).with_name("jupyter-workbook")), *args]


def workbook_server(db_url: str, log_path: Path, *options: str, port: int | None = None):
    """`jupyter workbook serve` on loopback; yields its base URL (a :class:`ServerURL`)."""
    port = port or free_port()
    command = workbook_command("serve", f"--port={port}", f"--db-url={db_url}", *options)
    return _server(command, f"http://127.0.0.1:{port}/", db_url, log_path)


def kernel_processes(kernel_id: str) -> list[int]:
    """The processes of one kernel: a plain kernel's command names its connection file,
    which holds its id; a forked kernel has its fork server's command, and its Unix
    sockets (serve's kernels use ipc) are named after its id."""
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if any(kernel_id in part for part in process.info["cmdline"] or ()) or any(
                kernel_id in str(c.laddr) for c in process.net_connections(kind="unix")
            ):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


def mount_workbook_pages(serverapp: Any, base_url: str, db_url: str) -> None:
    """The workbook's own pages of `serve` (landing, coach, cohorts) on a real Jupyter
    server in this process (pytest-jupyter's ``jp_serverapp``), over ``db_url``: for tests
    of those handlers that need no Voila page or kernel."""
    from buyin_workbook.serve import ServeState, cohort_handlers, workbook_handlers

    app = serverapp.web_app
    app.settings["buyin_workbook"] = ServeState(db_url)
    app.add_handlers(".*$", [*workbook_handlers(base_url), *cohort_handlers(base_url)])


class ServerFactory:
    """Starts servers in a folder of its own and stops them all when its scope ends (the
    fixtures ``servers`` and ``file_servers``); each is a
    :class:`ServerURL` whose ``stop()`` ends it sooner."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stack = ExitStack()
        self._count = 0

    def __enter__(self) -> ServerFactory:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _log(self, name: str) -> Path:
        self._count += 1
        return self.folder / f"{self._count:02d}-{name}.log"

    def _start(self, server: Any) -> ServerURL:
        own = ExitStack()
        url: ServerURL = own.enter_context(server)
        url.stop = own.close
        self._stack.callback(own.close)
        return url

    def workbook(self, db_url: str, *options: str, port: int | None = None) -> ServerURL:
        """`jupyter workbook serve` over ``db_url`` with ``options``."""
        return self._start(workbook_server(db_url, self._log("serve"), *options, port=port))

    def voila(self, notebook: Path, db_url: str) -> ServerURL:
        """Voila serving one notebook, its kernel on ``db_url``."""
        return self._start(voila_server(notebook, db_url, self._log("voila")))

    def lab(self, root_dir: Path, db_url: str, locale: str = "") -> ServerURL:
        """JupyterLab over ``root_dir``, its kernels on ``db_url`` (in ``locale``, if given)."""
        return self._start(lab_server(root_dir, db_url, self._log("lab"), locale))
