"""What a workbook kernel does before its first screen, against a one-slider floor.

For each page (the floor, then every workbook notebook, on a plan with answers so every
chart is drawn): a fresh kernel runs the notebook's cells the way Voila does; the script
counts the messages the kernel sends until it is idle (widget messages are what the page
must process before it is usable), their size, the time to idle and the kernel's memory
(PSS). Then the import time of each exercise in a fresh interpreter, against
``import ipywidgets``. Prints tables with ratios to the floor; asserts nothing.

    python -m benchmarks.kernel_startup [--quick] [--forked N]

``--forked N`` also measures the next design step without building it: N choice pages, each
in its own process, against N forked from one parent that imported the workbook first (as
a kernel provisioner forking warm kernels would), their total PSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nbformat
import psutil
from jupyter_client.manager import KernelManager

from buyin_workbook import notebooks_dir
from buyin_workbook.config import DB_URL_ENV
from buyin_workbook.pages import workbook_pages
from buyin_workbook.store import WorkbookStore
from tests.plugin.samples import choice_done

FLOOR_CODE = (
    "import ipywidgets as widgets\n\n"
    "widgets.IntSlider(value=50, min=0, max=100, description='Floor')"
)
IMPORTS = {
    "floor: ipywidgets": "ipywidgets",
    "buyin_workbook": "buyin_workbook",
    "buyin_workbook.exercises": "buyin_workbook.exercises",
    **{
        f"{page.id} view": f"buyin_workbook.exercises.{page.id}.view"
        for page in workbook_pages()[:-1]
    },
    "summary view": "buyin_workbook.report.view",
}


@dataclass
class FirstScreen:
    page: str
    messages: Counter[str]
    widget_messages: int
    kilobytes: float
    seconds: float
    pss_mb: float


def _run_cells(code_cells: list[str], env: dict[str, str], cwd: Path, page: str) -> FirstScreen:
    # Unix sockets (as serve uses), named by an absolute path: the kernel runs in ``cwd``.
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(cwd / "kernel"))
    manager.start_kernel(env=env, cwd=str(cwd))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        seen: Counter[str] = Counter()
        size = 0
        start = time.perf_counter()
        for code in code_cells:
            msg_id = client.execute(code, store_history=False)
            while True:
                message = client.get_iopub_msg(timeout=120)
                kind = message["msg_type"]
                if kind != "status":
                    seen[kind] += 1
                    size += len(json.dumps(message["content"], default=str))
                    size += sum(len(b) for b in message.get("buffers", []))
                if (
                    kind == "status"
                    and message["content"]["execution_state"] == "idle"
                    and message["parent_header"].get("msg_id") == msg_id
                ):
                    break
        seconds = time.perf_counter() - start
        pid = manager.provisioner.process.pid  # type: ignore[union-attr]
        pss = psutil.Process(pid).memory_full_info().pss / 2**20
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    widgets = seen["comm_open"] + seen["comm_msg"]
    return FirstScreen(page, seen, widgets, size / 1024, seconds, pss)


def first_screens(folder: Path) -> list[FirstScreen]:
    db_url = f"sqlite:///{folder / 'bench.sqlite'}"
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Benchmark plan")
        store.remember_plan(plan.id)
        choice_done(store, plan.id)
    env = {**os.environ, DB_URL_ENV: db_url}
    results = [_run_cells([FLOOR_CODE], env, folder, "floor")]
    for page in workbook_pages():
        notebook = nbformat.read(notebooks_dir() / page.notebook, as_version=4)
        cells = [c.source for c in notebook.cells if c.cell_type == "code"]
        results.append(_run_cells(cells, env, folder, page.notebook))
    return results


def import_seconds(module: str, repeats: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(samples)


#: One page built in a process that then waits; ``FORK`` children are forked after the imports
#: (the design step of a warm parent that kernels are forked from), else it builds its own.
_PAGE_PROCESS = """
import os, sys, time
import ipykernel.ipkernel, buyin_workbook.exercises.choice.view as view
from buyin_workbook.store import WorkbookStore
children = int(sys.argv[2])
for _ in range(children):
    if os.fork() == 0:
        break
else:
    if children:
        print("parent", flush=True)
        time.sleep(600)
view.ChoiceExercise(WorkbookStore(sys.argv[1]))
print("page", flush=True)
time.sleep(600)
"""


def pages_pss(db_url: str, pages: int, forked: bool) -> float:
    """Total PSS (MB) of ``pages`` page processes, separate or forked from one parent."""
    command = [sys.executable, "-c", _PAGE_PROCESS, db_url]
    runs = [subprocess.Popen([*command, str(pages)], stdout=subprocess.PIPE, text=True)]
    if not forked:
        runs = [
            subprocess.Popen([*command, "0"], stdout=subprocess.PIPE, text=True)
            for _ in range(pages)
        ]
    try:
        for run in runs:
            assert run.stdout is not None
            for _ in range(pages + 1 if forked else 1):
                run.stdout.readline()
        family = [psutil.Process(run.pid) for run in runs]
        family += [child for run in family[:] for child in run.children(recursive=True)]
        return sum(process.memory_full_info().pss for process in family) / 2**20
    finally:
        for run in runs:
            for child in psutil.Process(run.pid).children(recursive=True):
                child.kill()
            run.kill()
            run.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for the tests)")
    parser.add_argument(
        "--forked",
        type=int,
        default=0,
        metavar="N",
        help="also compare N pages in N processes with N forked from one warm parent",
    )
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 7
    print(
        f"{date.today()} on {platform.node()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        screens = first_screens(Path(tmp))
        if args.forked:
            db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            separate = pages_pss(db_url, args.forked, forked=False)
            shared = pages_pss(db_url, args.forked, forked=True)
    floor = screens[0]
    print("\nfirst screen: messages a fresh kernel sends until idle (on a plan with answers)")
    print(
        f"{'page':<26} {'widget msgs':>11} {'ratio':>6} {'KB':>7} {'to idle':>8} "
        f"{'ratio':>6} {'PSS MB':>7} {'ratio':>6}"
    )
    for s in screens:
        print(
            f"{s.page:<26} {s.widget_messages:>11}"
            f" {s.widget_messages / floor.widget_messages:>5.0f}x"
            f" {s.kilobytes:>7.0f} {s.seconds:>7.2f}s {s.seconds / floor.seconds:>5.1f}x"
            f" {s.pss_mb:>7.0f} {s.pss_mb / floor.pss_mb:>5.1f}x"
        )
    if args.forked:
        print(
            f"\n{args.forked} choice pages, total PSS: {separate:.0f} MB in separate processes,"
            f" {shared:.0f} MB forked from one warm parent (parent included):"
            f" {separate / args.forked:.0f} vs {shared / args.forked:.0f} MB a page"
        )
    print(f"\nimport time in a fresh interpreter, median of {repeats}")
    base = import_seconds(IMPORTS["floor: ipywidgets"], repeats)
    for label, module in IMPORTS.items():
        seconds = base if module == "ipywidgets" else import_seconds(module, repeats)
        print(f"{label:<26} {seconds:>7.3f}s {seconds / base:>5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
