"""Processes, kernels, memory and CPU time, read from Linux /proc."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

import psutil


def proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the third on (state, ppid, ...)


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := proc_stat(int(entry))) is not None:
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


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


KERNEL_FILE = re.compile(rb"kernel-([0-9a-f-]{36})\.json")


KERNEL_SOCKET = re.compile(r"kernel-([0-9a-f-]{36})-ipc")


def kernel_pids_by_id(server_pid: int) -> dict[str, int]:
    """The server's kernels (its children running ipykernel), by kernel id: their
    connection file is named after it. A forked kernel (``--fork-kernels``) is a child of
    the fork server with the fork server's command line: its Unix sockets name it."""
    found = {}
    parents = _parents()
    for child, parent in parents.items():
        cmdline = command_line(child) if parent == server_pid else b""
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
        if (fields := proc_stat(pid)) is not None:
            total += sum(int(value) for value in fields[11:15])  # u/s time, cu/cs time
    return total / ticks
