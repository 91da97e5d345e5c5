"""A warm parent that ``serve``'s kernels are forked from (see ``forked.py``).

It imports once what every workbook page's kernel needs before its first screen (ipykernel
and its debugger, ipywidgets, pandas, altair, SQLAlchemy, the exercises' scoring, charts and
views), then waits on a Unix socket. For each request (a kernel's command, environment and
folder) it forks: the child becomes that kernel, in its own session, and starts in
milliseconds with those modules already loaded; the memory they take is shared by every
kernel until one writes to it, so a page's PSS counts its share once. The parent starts no
thread, event loop, ZeroMQ context or database connection before a fork (a test checks the
running parent). ipywidgets, imported before any kernel existed, registers its comm targets
with each kernel as it starts. A kernel ends when ``serve`` does, not when this parent
does, and runs its exit handlers as a kernel of its own would.

    python -m buyin_workbook.serve._fork_server SOCKET_PATH
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import signal
import socket
import sys
import threading
import time
from importlib import import_module
from typing import Any

#: What a kernel's command runs; anything else is not forked (see forked.py).
LAUNCHER = "ipykernel_launcher"


_KERNEL_IMPORTS = (
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "voila.utils",
    "websockets.asyncio.client",
    "buyin_workbook.report.view",
)


def _preload() -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS thread pool to fork
    # debugpy (ipykernel's debugger) warns about frozen modules on import: not for a log.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import ipykernel.debugger  # every kernel imports debugpy as it starts
    import ipykernel.kernelapp  # noqa: F401
    import ipywidgets  # noqa: F401  (its comm targets are registered in each kernel)
    import pandas  # noqa: F401
    import psutil  # noqa: F401  (each kernel watches serve with it)
    import sqlalchemy  # noqa: F401

    import buyin_workbook.exercises as exercises  # the workbook package imports the store too

    for exercise in exercises.EXERCISES.values():
        for part in ("content", "model", "scoring", "charts", "view"):
            import_module(f"{exercise.package}.{part}")
    # What a kernel still imported after its fork (its exit listed them): its shell's
    # parts, Voila's wait for the page request, the summary's page.
    for module in _KERNEL_IMPORTS:
        import_module(module)
    # What is loaded now is never collected: the kernels' garbage collector then leaves
    # those objects (and the memory pages they share with this parent) untouched.
    gc.collect()
    gc.freeze()


def _reap(_signum: int, _frame: Any) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _become_kernel(request: dict[str, Any]) -> None:
    """In the child: the kernel the request asked for. Never returns."""
    code = 1
    try:
        os.setsid()
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        argv: list[str] = request["argv"]
        # The kernel ends with serve, not with this fork server (which serve may restart):
        # ipykernel's own parent poller would watch this process, so it is off (handle 1)
        # and a thread of the kernel's own watches serve.
        _end_with(request["serve_pid"])
        sys.argv = [
            LAUNCHER,
            *argv[argv.index(LAUNCHER) + 1 :],
            "--IPKernelApp.parent_handle=1",
            # ipywidgets, imported before there was a kernel, registers with this one.
            "--IPKernelApp.exec_lines=import ipywidgets; ipywidgets.register_comm_target()",
        ]
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance()
        code = 0
    finally:
        # The kernel's exit handlers run as in a kernel of its own (the autosave's saves
        # what waits for its pause); then the child leaves without unwinding into the loop.
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _end_with(serve_pid: int) -> None:
    """In the kernel: exit as ipykernel's parent poller would once serve is gone."""
    import psutil

    try:
        serve = psutil.Process(serve_pid)
    except psutil.NoSuchProcess:
        os._exit(1)

    def alive() -> bool:
        # is_running() tells a reused pid apart; a zombie has exited, reaped or not.
        try:
            return serve.is_running() and serve.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def watch() -> None:
        while alive():
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="workbook-serve-watcher", daemon=True).start()


def _read_request(connection: socket.socket) -> dict[str, Any]:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    request: dict[str, Any] = json.loads(b"".join(chunks))
    return request


def serve(path: str) -> None:
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, _reap)
    parent = os.getppid()
    print("ready", flush=True)
    while os.getppid() == parent:  # the Jupyter server that started us is gone: so are we
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        with connection:
            connection.settimeout(30)
            request = _read_request(connection)
            request["serve_pid"] = parent
            pid = os.fork()
            if pid == 0:
                # The kernel keeps no copy of either socket: the reply's end is the parent's.
                connection.close()
                listener.close()
                _become_kernel(request)
            connection.sendall(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    serve(sys.argv[1])
