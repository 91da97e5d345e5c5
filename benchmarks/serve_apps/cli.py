"""`python -m benchmarks.serve_apps`: the options, read once into a :class:`Plan`."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks import serve_apps
from benchmarks.common import load_average, log, machine
from benchmarks.serve_apps.run import Plan, measure, notes, report
from benchmarks.serve_apps.servers import STARTED, stop_server
from benchmarks.serve_apps.table import print_table
from tests.plugin.servers import (
    OfflineGuard,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.serve_apps", description=serve_apps.__doc__.splitlines()[0]
    )
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
    workbook_options = ("--plain-kernels",) if args.plain_kernels else ()
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
            workbook_options=workbook_options,
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
            workbook_options=workbook_options,
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
    if plan.workbook_options:
        print(f"workbook served with {' '.join(plan.workbook_options)}; the floor without")
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
