"""Kernels forked from one warm parent: a jupyter_client kernel provisioner.

``jupyter workbook serve --fork-kernels`` names it as the default provisioner. The first
kernel starts the fork server (``_fork_server.py``, one per Jupyter server process), which
has imported what a workbook kernel needs; every kernel after that is a fork of it, so it
starts without importing anything and shares those pages of memory with the others. A
command that is not an IPython kernel is launched as jupyter_client always does.

The forked kernel is the fork server's child, not this process's: it is watched through its
pid (the fork server reaps it when it exits), and signalled through its own session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, cast

import psutil
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from ._fork_server import LAUNCHER

#: The entry point name (pyproject.toml: ``jupyter_client.kernel_provisioners``).
PROVISIONER_NAME = "workbook-forked-provisioner"


class _ForkServer:
    """The one warm parent of this process, started on first use."""

    _lock = threading.Lock()
    _process: subprocess.Popen[str] | None = None
    _socket = ""

    @classmethod
    def socket_path(cls) -> str:
        with cls._lock:
            if cls._process is None or cls._process.poll() is not None:
                folder = tempfile.mkdtemp(prefix="workbook-forks-")
                cls._socket = str(Path(folder) / "fork.sock")
                cls._process = subprocess.Popen(
                    [sys.executable, "-m", "workbook.serve._fork_server", cls._socket],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                assert cls._process.stdout is not None
                if cls._process.stdout.readline().strip() != "ready":
                    raise RuntimeError("the workbook's fork server did not start")
            return cls._socket

    @classmethod
    def fork(cls, argv: list[str], env: dict[str, str], cwd: str) -> int:
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(60)
            connection.connect(cls.socket_path())
            connection.sendall(request)
            connection.shutdown(socket.SHUT_WR)
            reply = b"".join(iter(lambda: connection.recv(4096), b""))
        return int(json.loads(reply)["pid"])


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
        pid = await asyncio.get_running_loop().run_in_executor(
            None, _ForkServer.fork, cmd, env, cwd
        )
        self.process = cast("subprocess.Popen[Any]", _ForkedKernel(pid))
        self.pid = self.pgid = pid  # its own session: signals reach the whole kernel
        self.cwd = cwd
        return self.connection_info
