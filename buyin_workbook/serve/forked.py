"""Kernels forked from one warm parent: a jupyter_client kernel provisioner.

``jupyter workbook serve`` names it as the default provisioner where fork is safe (Linux;
``--plain-kernels`` turns it off). ``serve`` starts the fork server (``_fork_server.py``,
one per Jupyter server process), which imports what a workbook kernel needs; every kernel
is then a fork of it, so it starts without importing anything and shares those pages of
memory with the others. A command that is not an IPython kernel is launched as
jupyter_client always does.

The forked kernel is the fork server's child, not this process's: it is watched through its
pid, signalled through its own session, and ends with ``serve`` (not with the fork server).
The fork server is watched too: if it ends, the open pages keep their kernels, a new one is
started, and until it is ready a page's kernel starts plain, so no page waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, cast

import psutil
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from ._fork_server import LAUNCHER

#: The entry point name (pyproject.toml: ``jupyter_client.kernel_provisioners``).
PROVISIONER_NAME = "workbook-forked-provisioner"


#: Fork without exec is safe on Linux; on macOS Apple's system libraries may crash in a
#: forked child (they refuse to run after fork unless told not to check), so kernels start
#: plain there, and Windows has no fork.
FORK_IS_SAFE = sys.platform.startswith("linux")

#: Seconds a page's kernel waits for the fork server to take its request; beyond it, the
#: kernel starts plain instead.
_FORK_WAIT = 5.0
#: A fork server that ends this soon after starting, this many times in a row, is not
#: started again: every kernel from then on starts plain.
_SHORT_LIFE, _SHORT_LIVES = 30.0, 3

_log = logging.getLogger("ServeApp")


class ForkServerUnavailable(Exception):
    """The fork server is not ready (starting, restarting or given up): start plain."""


class _ForkServer:
    """The one warm parent of this process: started with serve, watched, and started
    again if it ends, while the kernels forked from it live on."""

    _lock = threading.Lock()
    _process: subprocess.Popen[str] | None = None
    _socket = ""
    _ready = threading.Event()
    _short_lives = 0
    _given_up = False
    _was_ready = False

    @classmethod
    def start(cls) -> None:
        """Start the fork server in the background, once; ``fork`` says when it is ready."""
        with cls._lock:
            if cls._given_up or (cls._process is not None and cls._process.poll() is None):
                return
            cls._ready.clear()
            folder = tempfile.mkdtemp(prefix="workbook-forks-")
            cls._socket = str(Path(folder) / "fork.sock")
            cls._process = subprocess.Popen(
                [sys.executable, "-m", "buyin_workbook.serve._fork_server", cls._socket],
                stdout=subprocess.PIPE,
                text=True,
            )
        threading.Thread(target=cls._watch, args=(cls._process,), daemon=True).start()

    @classmethod
    def _watch(cls, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        started = time.monotonic()
        if process.stdout.readline().strip() == "ready":
            cls._was_ready = True
            cls._ready.set()
        code = process.wait()
        cls._ready.clear()
        lived = time.monotonic() - started
        cls._short_lives = cls._short_lives + 1 if lived < _SHORT_LIFE else 0
        if cls._short_lives >= _SHORT_LIVES:
            cls._given_up = True
            _log.error(
                "The fork server ended %d times within %.0f s of starting (last exit code "
                "%s): kernels start plain from now on.",
                cls._short_lives,
                _SHORT_LIFE,
                code,
            )
            return
        if _serving():
            _log.warning(
                "The fork server (pid %d) ended with exit code %s; starting a new one. "
                "Open pages keep their kernels; new ones start plain until it is ready.",
                process.pid,
                code,
            )
            cls.start()

    @classmethod
    def fork(cls, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """The pid of a new kernel forked for this command; ForkServerUnavailable if the
        fork server cannot take it within a few seconds."""
        cls.start()
        # The first start, as serve starts, is waited for: its imports are what a plain
        # kernel would do anyway. A restart is not.
        if not cls._ready.wait(_FORK_WAIT if cls._was_ready else 120):
            raise ForkServerUnavailable("the fork server is not ready")
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(_FORK_WAIT)
                connection.connect(cls._socket)
                connection.sendall(request)
                connection.shutdown(socket.SHUT_WR)
                reply = b"".join(iter(lambda: connection.recv(4096), b""))
            return int(json.loads(reply)["pid"])
        except (OSError, ValueError, KeyError) as error:
            raise ForkServerUnavailable(f"the fork server did not fork: {error}") from error


def start_fork_server() -> None:
    """Start the fork server now (``serve`` does, so its imports overlap the server's)."""
    _ForkServer.start()


def _serving() -> bool:
    """Whether this process still serves (not exiting): only then is a fork server restarted."""
    return threading.main_thread().is_alive()


class _ForkedKernel:
    """What LocalProvisioner needs of a ``Popen``, for a process that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                gone = psutil.Process(self.pid).status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = 0  # its parent, the fork server, took the exit status
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(self.pid).wait(timeout)
        if self.returncode is None:
            self.returncode = 0
        return self.returncode

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """LocalProvisioner whose IPython kernels are forked from the warm parent."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if LAUNCHER not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        env = {**(kwargs.get("env") or os.environ)}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            pid = await asyncio.get_running_loop().run_in_executor(
                None, _ForkServer.fork, cmd, env, cwd
            )
        except ForkServerUnavailable as why:
            self.log.warning("Kernel %s starts plain: %s", self.kernel_id, why)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = cast("subprocess.Popen[Any]", _ForkedKernel(pid))
        self.pid = self.pgid = pid  # its own session: signals reach the whole kernel
        self.cwd = cwd
        return self.connection_info
