"""A course cohort arriving: N participants open the join link within a minute, choose their
alias, follow their private link and open their first exercise, against one participant
alone on the same server (the baseline, measured first in the same run).

Target (issue: course cohorts): 30 participants joining and opening their first exercise
within one minute all get a working page, with nothing lost; p50 and p95 time to
interactive are reported against the single participant's time. A participant's time runs
from the join page requested to the exercise's first control usable; once there, each
creates a plan, and the run checks the store holds every participant and every plan.

    python -m benchmarks.cohort_join [--participants 30] [--within 60] [--pool-size 1]
                                     [--plain-kernels]

`serve` runs with its defaults (pool of 1 per exercise); the browser shares the CPUs with
it, as in the serving benchmark. Prints a table and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from benchmarks.common import log, machine
from benchmarks.serve_apps.browser import new_client
from benchmarks.serve_apps.processes import cpu_seconds, descendants
from benchmarks.serve_apps.servers import db_url_for, launch, stop_server
from buyin_workbook.store import WorkbookStore
from tests.plugin.servers import CHROMIUM, CHROMIUM_ARGS, OfflineGuard, free_port

READY = ".bw-plan-picker"


@dataclass
class Journey:
    alias: str = ""
    seconds: float | None = None  # join page requested -> first exercise usable
    plan_saved: bool = False
    problem: str = ""


async def join_and_open(
    browser: Browser, base_url: str, join_key: str, guard: OfflineGuard, timeout: float
) -> Journey:
    errors: list[str] = []
    client = await new_client(browser, guard, errors)
    page = client.page
    page.set_default_timeout(timeout * 1000)  # the run's deadline, not Playwright's 30 s
    journey = Journey()
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            await page.goto(f"{base_url}cohort/join?key={join_key}", wait_until="commit")
            box = page.get_by_label("Your alias")
            for _attempt in range(3):  # a suggestion another took meanwhile: the next one
                journey.alias = await box.input_value()
                await box.press("Enter")
                await page.wait_for_selector("h1:has-text('Welcome'), .bw-error")
                if await page.locator(".bw-private-link-href").count():
                    break
            link = await page.locator(".bw-private-link-href").inner_text()
            await page.goto(link, wait_until="commit")
            await page.locator(".bw-landing-exercise a").first.click()
            await page.wait_for_selector(READY, state="visible")
            journey.seconds = time.perf_counter() - start
            await page.locator(".bw-plan-new-name input").fill(f"Plan of {journey.alias}")
            await page.locator(".bw-plan-new-name input").press("Enter")
            await page.wait_for_selector(".bw-plan-message:has-text('created')")
            journey.plan_saved = True
    except TimeoutError:
        journey.problem = "deadline"
    except Exception as error:  # a page that fails is reported, not fatal to the run
        journey.problem = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    if errors:
        journey.problem = journey.problem or f"script error: {errors[0][:120]}"
    await client.close()
    return journey


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="buyin-cohort-bench-"))
    with WorkbookStore(db_url_for(tmp)) as store:
        cohort, _facilitator, join_key = store.create_cohort("Benchmark cohort", ["choice"])
    port = free_port()
    serve = Path(sys.executable).with_name("jupyter-workbook")
    command = [
        str(serve),
        "serve",
        f"--port={port}",
        f"--db-url={db_url_for(tmp)}",
        f"--pool-size={args.pool_size}",
        *(["--plain-kernels"] if args.plain_kernels else []),
    ]
    log("starting serve")
    base_url, process = launch(command, tmp, port)
    guard = OfflineGuard()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            await asyncio.sleep(args.settle)  # the pool fills
            singles = []
            for n in range(args.baseline):
                single = await join_and_open(browser, base_url, join_key, guard, args.deadline)
                log(f"  alone {n + 1}: {single.seconds or single.problem}")
                if single.seconds is not None:
                    singles.append(single.seconds)
                await asyncio.sleep(args.settle)
            rng = random.Random(args.seed)
            starts = sorted(rng.uniform(0, args.within) for _ in range(args.participants))
            log(f"{args.participants} participants arriving over {args.within:.0f} s")
            cpu_before = cpu_seconds([process.pid, *descendants(process.pid)])
            began = time.perf_counter()

            async def arrive(at: float) -> Journey:
                await asyncio.sleep(at)
                return await join_and_open(browser, base_url, join_key, guard, args.deadline)

            journeys = await asyncio.gather(*(arrive(at) for at in starts))
            wall = time.perf_counter() - began
            cpu_server = cpu_seconds([process.pid, *descendants(process.pid)]) - cpu_before
            await browser.close()
    finally:
        stop_server(process)

    with WorkbookStore(db_url_for(tmp)) as store:
        participants = store.participants(cohort.id)
    plans = 0
    for participant in participants:
        with WorkbookStore(db_url_for(tmp), client_id=participant.id) as theirs:
            plans += len(theirs.list_plans())
    expected = args.participants + len(singles)
    times = [j.seconds for j in journeys if j.seconds is not None]
    single = statistics.median(singles) if singles else float("nan")
    kernels = ", plain kernels" if args.plain_kernels else ", forked kernels"
    print(f"cohort joining, {args.participants} participants within {args.within:.0f} s{kernels}")
    print(machine())
    print(f"{'measure':<44} | {'value':>10} | {'vs alone':>8}")
    print(
        f"{'one participant alone (median of ' + str(len(singles)) + ')':<44} | "
        f"{single:>9.2f}s | {'1.00x':>8}"
    )
    working = len(times)
    print(f"{'working pages':<44} | {working:>5} of {args.participants:<2} |")
    if times:
        for name, share in (("p50", 0.5), ("p95", 0.95)):
            value = percentile(times, share)
            print(
                f"{'time to interactive, ' + name:<44} | {value:>9.2f}s | {value / single:>7.2f}x"
            )
    saved = sum(j.plan_saved for j in journeys)
    print(f"{'plans created and saved (store)':<44} | {plans:>5} of {expected:<2} |")
    print(f"{'participants in the store':<44} | {len(participants):>5} of {expected:<2} |")
    print(f"{'plan confirmed on the page':<44} | {saved:>5} of {args.participants:<2} |")
    print(f"{'wall time of the arrival, server CPU':<44} | {wall:>9.1f}s | {cpu_server:>6.0f}s")
    for journey in journeys:
        if journey.problem:
            print(f"  problem ({journey.alias or 'no alias'}): {journey.problem}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--within", type=float, default=60.0, help="arrivals spread over (s)")
    parser.add_argument("--pool-size", type=int, default=1)
    parser.add_argument("--baseline", type=int, default=3, help="single-participant runs")
    parser.add_argument("--deadline", type=float, default=180.0, help="per participant (s)")
    parser.add_argument("--settle", type=float, default=10.0, help="pause for the pool (s)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--plain-kernels", action="store_true", help="serve with --plain-kernels (default: forked)"
    )
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
