"""A leaked join link at one `serve`: an attacker's joins and browserless page requests on
loopback, while a real participant works in Chromium. Shared by the soak test (bounded, in
the default suite) and ``python -m benchmarks.leaked_link`` (longer)."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode

import psutil

from tests.plugin.servers import ServerURL

SELFCHECK = "voila/render/02-am-i-bought-in.ipynb"


@dataclass
class Attack:
    """What a leaked link's holder got, and what the server held meanwhile."""

    joins: Counter[int] = field(default_factory=Counter)
    pages: Counter[int] = field(default_factory=Counter)
    #: The most kernel processes and their total PSS (MB) seen at once, sampled.
    most_kernels: int = 0
    most_kernel_pss_mb: float = 0.0
    server_pss_mb: float = 0.0
    seconds: float = 0.0


def join_form(url: str, alias: str) -> tuple[int, str]:
    """What a script does with a join link: fetch the form (its cookie and XSRF token), then
    post an alias."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    try:
        with opener.open(url, timeout=120) as reply:
            form = reply.read().decode(errors="replace")
        token = re.search(r'name="_xsrf" value="([^"]+)"', form)
        body = urlencode({"alias": alias, "_xsrf": token.group(1) if token else ""}).encode()
        with opener.open(
            urllib.request.Request(url, data=body, method="POST"), timeout=120
        ) as reply:
            return reply.status, reply.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=180) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def kernels_of(server: ServerURL) -> list[psutil.Process]:
    """The kernel processes `serve` runs now."""
    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            command = " ".join(child.cmdline())
            # A plain kernel runs ipykernel; a forked one is a child of the fork server.
            if "ipykernel" in command or (
                "_fork_server" in command and child.ppid() != server.process.pid
            ):
                found.append(child)
        except psutil.Error:
            continue
    return found


def pss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        try:
            total += process.memory_full_info().pss
        except psutil.Error:
            continue
    return total / 2**20


def leak(server: ServerURL, join_key: str, joins: int, pages: int, threads: int = 8) -> Attack:
    """``joins`` joins through the join link, then ``pages`` page requests with no browser
    behind them, spread over the links those joins got; the server sampled meanwhile."""
    attack = Attack()
    keys: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()
    sampling = True

    def sample() -> None:
        while sampling:
            kernels = kernels_of(server)
            memory = pss_mb(kernels)
            with lock:
                attack.most_kernels = max(attack.most_kernels, len(kernels))
                attack.most_kernel_pss_mb = max(attack.most_kernel_pss_mb, memory)
                attack.server_pss_mb = max(
                    attack.server_pss_mb, pss_mb([psutil.Process(server.process.pid)])
                )
            time.sleep(0.25)

    def join(numbers: range) -> None:
        for n in numbers:
            status, body = join_form(f"{server}cohort/join?key={join_key}", f"Made up {n}")
            with lock:
                attack.joins[status] += 1
                if status == 200 and "?key=" in body:
                    keys.append(body.split("?key=")[1].split('"')[0])

    def open_pages(numbers: range) -> None:
        for n in numbers:
            status = get(f"{server}{SELFCHECK}?key={keys[n % len(keys)]}")
            with lock:
                attack.pages[status] += 1

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for work, count in ((join, joins), (open_pages, pages)):
            if work is open_pages and not keys:
                break
            share = [range(i, count, threads) for i in range(threads)]
            running = [threading.Thread(target=work, args=(part,)) for part in share]
            for thread in running:
                thread.start()
            for thread in running:
                thread.join()
    finally:
        sampling = False
        sampler.join()
    attack.seconds = time.monotonic() - started
    return attack


def wait_for_kernels(server: ServerURL, at_most: int, timeout: float) -> int:
    """Until `serve` runs at most ``at_most`` kernels; how many it runs then."""
    deadline = time.monotonic() + timeout
    while len(kernels_of(server)) > at_most and time.monotonic() < deadline:
        time.sleep(0.5)
    return len(kernels_of(server))


def describe(attack: Attack) -> dict[str, Any]:
    return {
        "joins": dict(attack.joins),
        "pages": dict(attack.pages),
        "most kernels at once": attack.most_kernels,
        "their PSS at most (MB)": round(attack.most_kernel_pss_mb),
        "serve's own PSS at most (MB)": round(attack.server_pss_mb),
        "seconds": round(attack.seconds, 1),
    }
