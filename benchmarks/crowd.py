"""A room opening its pages in the same minute: what it costs the server, with no browser.

Each visitor is a client that does what a page's script does (``tests/plugin/protocol.py``): GET
the page with its own key, open the kernel's websocket with the page's cookies, ask for the
widgets' states, and wait until the page's first control exists (an exercise's plan
picker; the floor's slider). So the figures are the server's and its kernels' alone, as
when every visitor's browser runs on their own machine; ``benchmarks.serve_apps`` measures pages in
a real browser (its figures, next to these, show what a browser adds on the same CPUs).

Three servers in turn, the same ``jupyter workbook serve`` with the same pool (one warm
kernel per page): the floor (a one-slider notebook, plain kernels), the workbook on plain
kernels and the workbook on forked kernels (the default on Linux). For each:

- one pre-heated page, request -> first screen (median of a few, the pool refilled between);
- N visitors at once on one exercise, each with their own link and plan: how many became
  usable, p95; the server's and kernels' CPU seconds from the first request to the last
  page usable, per page;
- with all N open: kernel PSS per page (and Shared_Dirty, Private_Dirty: what forking
  shares and what copy-on-write took back); then one answer each, all at the same instant,
  and again each at its own moment within ``--spread`` seconds: p95 of answer -> "saved"
  minus the autosave pause;
- after everyone leaves: the kernels' PSS ``--after`` seconds later, against the warm
  pages' figure before the crowd came.

``--arrivals N --over S`` adds visitors arriving one by one over S seconds (the default
server only). Ratios are against the floor measured in the same run; targets are printed
with a met/missed column; nothing is asserted.

    python -m benchmarks.crowd [--quick] [--clients N] [--arrivals N --over S] [--after S]

On 2 CPUs: ``--quick`` (3 visitors) about 2 minutes; the full run (30 at once, 100 over a
minute, 10 minutes after each server) about 45.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from benchmarks.common import load_average, machine
from benchmarks.serve_apps.constants import FLOOR
from benchmarks.serve_apps.processes import (
    command_line,
    cpu_seconds,
    descendants,
    kernel_pids_by_id,
    proc_stat,
    smaps,
)
from benchmarks.serve_apps.servers import db_url_for, launch, serve_command, stop_server
from benchmarks.serve_apps.table import Row, fmt, p95, print_table, ratio_of, ratio_text
from buyin_workbook import notebooks_dir
from buyin_workbook.config import load_workbook_config
from buyin_workbook.pages import workbook_pages
from buyin_workbook.store import WorkbookStore
from tests.plugin.protocol import PageFailed, Visit, has_class, has_model, http_client
from tests.plugin.servers import free_port

#: The exercise the crowd opens, and the text box each visitor answers in.
NOTEBOOKS = {
    "02-am-i-bought-in.ipynb": "bw-sentence",
    "01-how-much-choice.ipynb": "bw-reflection-hardest",
}
#: What each server is: its folder, its flags, and when its page counts as usable.
KINDS = {
    "floor": ("plain kernels", has_model("IntSliderModel")),
    "plain": ("plain kernels", has_class("bw-plan-picker")),
    "forked": ("forked kernels", has_class("bw-plan-picker")),
    # Forked, and the visitors a cohort's participants whose crowd was announced
    # (`cohort create --expect N`): serve has their pages warm before they come.
    "expected": ("forked kernels", has_class("bw-plan-picker")),
}
WORKBOOK_KINDS = ("plain", "forked", "expected")
KERNEL_FLAGS = {"plain kernels": "--plain-kernels", "forked kernels": "--fork-kernels"}


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    kind: str
    base_url: str
    process: object
    keys: list[str]
    notebook: str

    @property
    def pid(self) -> int:
        return self.process.pid  # type: ignore[attr-defined,no-any-return]

    def url(self, key: str) -> str:
        return f"{self.base_url}voila/render/{self.notebook}?key={key}"


def seed(
    tmp: Path, visitors: int, with_plans: bool, expected_on: str | None = None, expected: int = 0
) -> list[str]:
    """A link per visitor; for the workbook, each with a plan they work on. With
    ``expected_on`` (an exercise), the visitors are participants of a cohort that expects
    ``expected`` of them (the crowd)."""
    keys = []
    with WorkbookStore(db_url_for(tmp)) as coach:
        if expected_on is None:
            made = [coach.add_client(f"Visitor {n}") for n in range(visitors)]
        else:
            cohort, _facilitator, _join = coach.create_cohort(
                "The room", [expected_on], max_participants=visitors, expected=expected
            )
            made = [coach.join_cohort(cohort.id, f"Visitor {n}") for n in range(visitors)]
    for client, key in made:
        keys.append(key)
        if with_plans:
            with WorkbookStore(db_url_for(tmp), client_id=client.id) as store:
                store.remember_plan(store.create_plan(f"Plan of visitor {client.id}").id)
    return keys


def start(kind: str, root: Path, visitors: int, notebook: str, crowd: int) -> Server:
    """A server of this kind with ``visitors`` links; ``crowd`` of them expected at once."""
    tmp = root / kind
    tmp.mkdir()
    kernels, _ready = KINDS[kind]
    exercise = next(page.id for page in workbook_pages() if page.notebook == notebook)
    keys = seed(
        tmp,
        visitors,
        with_plans=kind != "floor",
        expected_on=exercise if kind == "expected" else None,
        expected=crowd,
    )
    if kind == "floor":
        folder = tmp / "floor"
        folder.mkdir()
        page = nbformat.v4.new_notebook()
        page.cells = [
            nbformat.v4.new_code_cell(
                "import ipywidgets as widgets\n\n"
                "widgets.IntSlider(value=50, min=0, max=100, description='Floor')"
            )
        ]
        page.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(page, folder / FLOOR)
        notebook = FLOOR
    else:
        folder = notebooks_dir()
    port = free_port()
    command = serve_command(
        folder,
        tmp,
        port,
        preheat=True,
        pool_size=1,
        cull_idle=600,
        extra=(
            KERNEL_FLAGS[kernels],
            f"--max-kernels={visitors + 20}",
            "--ServeApp.crowd_check=2",
        ),
    )
    log(f"starting the {kind} server")
    base_url, process = launch(command, tmp, port)
    return Server(kind, base_url, process, keys, notebook)


# -- processes -------------------------------------------------------------------------------


def _fork_servers(server: Server) -> list[int]:
    """The fork server (a child of serve; its kernels, its children, share its cmdline)."""
    return [
        pid
        for pid in descendants(server.pid)
        if (fields := proc_stat(pid)) is not None
        and int(fields[1]) == server.pid
        and b"_fork_server" in command_line(pid)
    ]


@dataclass
class Memory:
    kernels: int = 0
    pss: float = 0.0
    shared_dirty: float = 0.0
    private_dirty: float = 0.0
    #: Every kernel's PSS with the fork server's (the parent they share pages with).
    all_pss: float = 0.0


def memory(server: Server, kernel_ids: set[str] | None = None) -> Memory:
    by_id = kernel_pids_by_id(server.pid)
    pids = [pid for kid, pid in by_id.items() if kernel_ids is None or kid in kernel_ids]
    found = Memory()
    for pid in pids:
        if figures := smaps(pid):
            found.kernels += 1
            found.pss += figures.get("Pss", 0.0)
            found.shared_dirty += figures.get("Shared_Dirty", 0.0)
            found.private_dirty += figures.get("Private_Dirty", 0.0)
    everyone = [*by_id.values(), *_fork_servers(server)]
    found.all_pss = sum(smaps(pid).get("Pss", 0.0) for pid in everyone)
    return found


def tree_cpu(server: Server) -> float:
    return cpu_seconds([server.pid, *descendants(server.pid)])


async def until_quiet(server: Server, timeout: float = 180, busy: float = 0.25) -> None:
    """Until the server and its kernels use under ``busy`` CPUs for two seconds (thirty
    idle kernels take about a tenth of one)."""
    deadline = time.monotonic() + timeout
    calm = 0
    while time.monotonic() < deadline and calm < 4:
        before = tree_cpu(server)
        await asyncio.sleep(0.5)
        calm = calm + 1 if (tree_cpu(server) - before) / 0.5 < busy else 0


# -- visitors --------------------------------------------------------------------------------


async def visit(server: Server, key: str, timeout: float) -> Visit:
    page = Visit(server.url(key))
    with contextlib.suppress(PageFailed, OSError, asyncio.TimeoutError):
        await page.open(http_client(), KINDS[server.kind][1], timeout)
    return page


@dataclass
class Crowd:
    usable: list[float | None] = field(default_factory=list)
    cpu_per_page: float | None = None
    open_memory: Memory = field(default_factory=Memory)
    #: Answer -> saved minus the autosave pause, in ms: every page at the same instant,
    #: then each at its own moment within ``--spread`` seconds.
    saved_ms: list[float] = field(default_factory=list)
    spread_saved_ms: list[float] = field(default_factory=list)
    warm: Memory = field(default_factory=Memory)
    after: Memory = field(default_factory=Memory)
    single: float | None = None

    @property
    def ready(self) -> list[float]:
        return [s for s in self.usable if s is not None]


async def single_pages(server: Server, repeats: int, timeout: float) -> float | None:
    times = []
    for n in range(repeats):
        await until_quiet(server)
        page = await visit(server, server.keys[n % len(server.keys)], timeout)
        if page.usable_seconds is not None:
            times.append(page.usable_seconds)
        await page.leave(http_client())
    return statistics.median(times) if times else None


async def crowd(server: Server, args: argparse.Namespace) -> Crowd:
    result = Crowd()
    if server.kind == "expected":  # its visitors' pages are warm before they come
        deadline = time.monotonic() + 300
        while len(kernel_pids_by_id(server.pid)) < 5 + args.clients:
            if time.monotonic() > deadline:
                log("expected: the warm pages did not all start")
                break
            await asyncio.sleep(1)
    else:
        result.single = await single_pages(server, args.repeats, args.deadline)
    await asyncio.sleep(3)  # the single pages' kernels go
    await until_quiet(server)
    result.warm = memory(server)
    before = tree_cpu(server)
    log(f"{server.kind}: {args.clients} visitors at once")
    pages = await asyncio.gather(
        *(visit(server, key, args.deadline) for key in server.keys[: args.clients])
    )
    result.cpu_per_page = (tree_cpu(server) - before) / args.clients
    result.usable = [page.usable_seconds for page in pages]
    opened = [page for page in pages if page.usable_seconds is not None]
    log(f"{server.kind}: {len(opened)} of {args.clients} usable; waiting for quiet")
    await until_quiet(server)
    result.open_memory = memory(server, {page.kernel_id for page in opened})
    if server.kind != "floor":
        box = NOTEBOOKS[server.notebook]
        pause = load_workbook_config().autosave_delay

        async def answer(page: Visit, round_: int) -> float | None:
            text = f"Our goal, said by {page.kernel_id[:8]} ({round_})"  # a change each round
            with contextlib.suppress(PageFailed, OSError):
                return await page.type_answer(box, text)
            return None

        log(f"{server.kind}: one answer each, at one instant")
        seconds = await asyncio.gather(*(answer(page, 1) for page in opened))
        result.saved_ms = [(s - pause) * 1000 for s in seconds if s is not None]
        log(f"{server.kind}: one answer each, within {args.spread:.0f} s")

        async def answer_later(page: Visit) -> float | None:
            await asyncio.sleep(random.uniform(0, args.spread))
            return await answer(page, 2)

        seconds = await asyncio.gather(*(answer_later(page) for page in opened))
        result.spread_saved_ms = [(s - pause) * 1000 for s in seconds if s is not None]
    http = http_client()
    await asyncio.gather(*(page.leave(http) for page in pages))
    log(f"{server.kind}: everyone left; waiting {args.after:.0f} s")
    await asyncio.sleep(args.after)
    result.after = memory(server)
    return result


async def arrivals(server: Server, count: int, over: float, timeout: float) -> Crowd:
    result = Crowd()
    await until_quiet(server)
    log(f"{server.kind}: {count} visitors arriving over {over:.0f} s")

    async def arrive(n: int) -> Visit:
        await asyncio.sleep(n * over / count)
        return await visit(server, server.keys[n], timeout)

    pages = await asyncio.gather(*(arrive(n) for n in range(count)))
    result.usable = [page.usable_seconds for page in pages]
    result.open_memory = memory(server)
    http = http_client()
    await asyncio.gather(*(page.leave(http) for page in pages))
    return result


# -- the table -------------------------------------------------------------------------------


def _per_page(memory: Memory, figure: float) -> float | None:
    return figure / memory.kernels if memory.kernels else None


def rows(args: argparse.Namespace, runs: dict[str, Crowd], arrived: Crowd | None) -> list[Row]:
    floor = runs["floor"]
    table = []

    def against(measure: str, pick, unit: str, digits: int, limit: float) -> None:
        for kind in WORKBOOK_KINDS:
            if kind not in runs or pick(runs[kind]) is None:
                continue
            value, base = pick(runs[kind]), pick(floor)
            ratio = ratio_of(value, base)
            table.append(
                Row(
                    f"{measure} ({kind})",
                    fmt(base, unit, digits),
                    fmt(value, unit, digits),
                    ratio_text(value, base),
                    f"<= {limit:.1f}x",
                    ratio is not None and ratio <= limit,
                )
            )

    n = args.clients
    against("one pre-heated page, request -> first screen", lambda r: r.single, " s", 2, 3.0)
    against(f"{n} at once, p95 to usable", lambda r: p95(r.ready), " s", 1, 1.0)
    against(f"{n} at once, CPU s per page", lambda r: r.cpu_per_page, " s", 2, 1.0)
    against(
        f"{n} open, kernel PSS per page",
        lambda r: _per_page(r.open_memory, r.open_memory.pss),
        " MB",
        1,
        1.2,
    )
    for kind, run in runs.items():
        usable = len(run.ready)
        table.append(Row(f"{n} at once, usable ({kind})", "", f"{usable} of {n}", met=usable == n))
    if "expected" in runs:
        worst = p95(runs["expected"].ready)
        table.append(
            Row(
                f"{n} at once, the crowd expected: p95 to usable",
                "",
                fmt(worst, " s", 1),
                target="<= 5 s",
                met=worst is not None and worst <= 5,
            )
        )
    for kind in WORKBOOK_KINDS:
        if kind in runs:
            run = runs[kind]
            for when, saved in (
                ("all at one instant", run.saved_ms),
                (f"each within {args.spread:.0f} s", run.spread_saved_ms),
            ):
                worst = p95(saved)
                table.append(
                    Row(
                        f"{n} open, answer -> saved p95 after the pause, {when} ({kind})",
                        "",
                        f"{fmt(worst, ' ms', 0)} ({len(saved)} saved)",
                        target="<= 20 ms",
                        met=worst is not None and worst <= 20 and len(saved) == n,
                    )
                )
    for kind, run in runs.items():
        pages = run.open_memory
        table.append(
            Row(
                f"{n} open: per page Shared_Dirty / Private_Dirty ({kind})",
                "",
                f"{fmt(_per_page(pages, pages.shared_dirty), '', 1)} / "
                f"{fmt(_per_page(pages, pages.private_dirty), ' MB', 1)}",
            )
        )
        table.append(
            Row(f"{n} open: all kernels' PSS ({kind})", "", fmt(pages.all_pss / 1024, " GB", 2))
        )
        back = run.after.all_pss <= run.warm.all_pss * 1.1 + 20
        table.append(
            Row(
                f"kernels' PSS {args.after:.0f} s after all left ({kind})",
                "",
                f"{run.after.all_pss:.0f} MB (warm {run.warm.all_pss:.0f} MB)",
                target="back to warm",
                met=back,
            )
        )
    if arrived is not None:
        count, ready = args.arrivals, arrived.ready
        worst = p95(ready)
        gb = arrived.open_memory.all_pss / 1024
        table.append(
            Row(
                f"{count} arriving over {args.over:.0f} s: usable, p95",
                "",
                f"{len(ready)} of {count}, {fmt(worst, ' s', 1)}",
                target="all, <= 5 s",
                met=len(ready) == count and worst is not None and worst <= 5,
            )
        )
        table.append(
            Row(
                f"{count} arrived: all kernels' PSS",
                "",
                fmt(gb, " GB", 2),
                target="<= 6 GB",
                met=gb <= 6,
            )
        )
    return table


async def run(args: argparse.Namespace, root: Path) -> int:
    runs: dict[str, Crowd] = {}
    arrived = None
    visitors = max(args.clients, args.arrivals)
    for kind in args.servers:
        server = start(kind, root, visitors, args.notebook, args.clients)
        try:
            runs[kind] = await crowd(server, args)
            if args.arrivals and kind == "forked":
                arrived = await arrivals(server, args.arrivals, args.over, args.deadline)
        finally:
            stop_server(server.process)  # type: ignore[arg-type]
    mode = "quick" if args.quick else "full"
    print(
        f"serving a crowd ({mode}), {datetime.now():%Y-%m-%d %H:%M}, {machine()}, "
        f"load {load_average()}; {args.clients} visitors at once on {args.notebook}, "
        "protocol clients (no browser)"
    )
    print_table(rows(args, runs, arrived))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 visitors, a short wait after")
    parser.add_argument("--clients", type=int, help="visitors at once (default 30; quick 3)")
    parser.add_argument("--arrivals", type=int, default=0, help="visitors arriving one by one")
    parser.add_argument("--over", type=float, default=60.0, help="seconds the arrivals take")
    parser.add_argument("--after", type=float, help="seconds after all left (600; quick 20)")
    parser.add_argument("--repeats", type=int, default=3, help="single pre-heated pages")
    parser.add_argument(
        "--spread", type=float, default=10.0, help="seconds the second round of answers takes"
    )
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds a page may take")
    parser.add_argument("--notebook", choices=sorted(NOTEBOOKS), default="02-am-i-bought-in.ipynb")
    parser.add_argument(
        "--servers", nargs="+", choices=list(KINDS), default=list(KINDS), help="which servers"
    )
    args = parser.parse_args(argv)
    args.clients = args.clients or (3 if args.quick else 30)
    args.after = args.after if args.after is not None else (20.0 if args.quick else 600.0)
    if args.quick:
        args.repeats = min(args.repeats, 2)
    if "floor" not in args.servers:
        parser.error("the floor is every ratio's baseline: keep it in --servers")
    with tempfile.TemporaryDirectory(prefix="crowd-") as root:
        return asyncio.run(run(args, Path(root)))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
