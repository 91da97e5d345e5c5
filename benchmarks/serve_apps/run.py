"""A run of the benchmark: its plan, the measurements in order, the rows printed."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Page, async_playwright

from benchmarks.common import log
from benchmarks.serve_apps.constants import (
    BURST_P95_FACTOR,
    CHART_MS,
    CHOICE,
    COLD_RATIO,
    EXERCISES,
    FLOOR,
    MEMORY_RATIO,
    SAVED_MS,
    TTI_RATIO,
)
from benchmarks.serve_apps.measurements import (
    Burst,
    Single,
    burst,
    floor_round_trips,
    rounds,
    sample_after_culling,
    workbook_latencies,
)
from benchmarks.serve_apps.servers import (
    LIVE,
    Server,
    ServerLog,
    close_server,
    cull_interval,
    fetch_page,
    open_server,
    pool_kernels_busy,
    wait_quiet,
)
from benchmarks.serve_apps.table import Row, fmt, median, p95, ratio_row, ratio_text, short
from buyin_workbook.config import load_workbook_config
from tests.plugin.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OfflineGuard,
)


@dataclass
class Plan:
    quick: bool
    clients: int
    pool_size: int
    deadline: float
    repeats: int
    latency_repeats: int
    cull_idle: int
    cull_wait: float
    #: Options only the workbook's server gets (``--plain-kernels`` adds one).
    workbook_options: tuple[str, ...] = ()


@dataclass
class Results:
    floor_cold: Single
    cold: dict[str, Single]
    floor_pool: Single
    pool: dict[str, Single]
    echoes: list[float]
    saved: list[float]
    redrawn: list[float]
    floor_burst: Burst
    burst: Burst
    floor_pool_size: int
    pool_size: int
    preheated: list[str]
    logs: dict[str, ServerLog]


async def measure(plan: Plan, root: Path, guard: OfflineGuard, errors: list[str]) -> Results:
    def start(kind: str, preheat: bool) -> Server:
        return open_server(
            kind,
            root,
            preheat=preheat,
            pool_size=plan.pool_size,
            cull_idle=plan.cull_idle,
            workbook_options=plan.workbook_options,
        )

    echoes: list[float] = []
    saved: list[float] = []
    redrawn: list[float] = []

    async def echo_then(page: Page) -> None:
        echoes.extend(await floor_round_trips(page, plan.latency_repeats))

    async def latency_then(page: Page) -> None:
        typed, charted = await workbook_latencies(page, pool_server, plan.latency_repeats)
        saved.extend(typed)
        redrawn.extend(charted)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            # All four servers at once: the cold ones get their first page (untimed, as on
            # a server that has been up a while) while the pools fill.
            floor_pool_server, pool_server, floor_cold_server, cold_server = await asyncio.gather(
                *(
                    asyncio.to_thread(start, kind, preheat)
                    for kind, preheat in (
                        ("floor", True),
                        ("workbook", True),
                        ("floor", False),
                        ("workbook", False),
                    )
                )
            )
            log("  filling the pools")
            await asyncio.gather(
                asyncio.to_thread(fetch_page, floor_cold_server.url(FLOOR)),
                asyncio.to_thread(fetch_page, cold_server.url(CHOICE)),
            )
            await wait_quiet(timeout=300)
            for server in (floor_pool_server, pool_server):
                # The pool the server keeps is what it filled, whatever it was asked.
                server.pool_expected = plan.pool_size * len(server.events.preheated())
                server.pool_waits = pool_kernels_busy(server)
                log(
                    f"  {server.name}: {server.pool_expected} kernels in the pool, "
                    f"{'busy' if server.pool_waits else 'idle'} until a page asks"
                )

            # Pre-heated, floor and workbook in turns, with the latencies on the way.
            floor_pool, pool = Single(), {notebook: Single() for notebook in EXERCISES}
            await rounds(
                browser,
                floor_pool_server,
                pool_server,
                plan.repeats,
                floor_pool,
                pool,
                plan.deadline,
                guard,
                errors,
                bracket=not plan.quick,
                floor_then=echo_then,
                choice_then=latency_then,
            )
            floor_burst = await burst(
                browser, floor_pool_server, [FLOOR], plan.clients, plan.deadline, guard, errors
            )
            samplers = [sample_after_culling(floor_pool_server, floor_burst, plan.cull_wait)]
            workbook_burst = await burst(
                browser, pool_server, EXERCISES, plan.clients, plan.deadline, guard, errors
            )
            samplers.append(sample_after_culling(pool_server, workbook_burst, plan.cull_wait))

            # Cold, while the culler works on the clients' kernels.
            floor_cold, cold = Single(), {notebook: Single() for notebook in EXERCISES}
            await rounds(
                browser,
                floor_cold_server,
                cold_server,
                plan.repeats,
                floor_cold,
                cold,
                plan.deadline,
                guard,
                errors,
                bracket=not plan.quick,
            )
            close_server(floor_cold_server)
            close_server(cold_server)
            if any(sampler.is_alive() for sampler in samplers):
                log("waiting for the culler's time to pass")
            while any(sampler.is_alive() for sampler in samplers):
                await asyncio.sleep(0.5)
            close_server(floor_pool_server)
            close_server(pool_server)
        finally:
            await browser.close()
            for server in list(LIVE):
                close_server(server)
    logs = {
        server.name: server.events
        for server in (floor_pool_server, pool_server, floor_cold_server, cold_server)
    }
    return Results(
        floor_cold,
        cold,
        floor_pool,
        pool,
        echoes,
        saved,
        redrawn,
        floor_burst,
        workbook_burst,
        floor_pool_server.pool_expected,
        pool_server.pool_expected,
        pool_server.events.preheated(),
        logs,
    )


def single_time(plan: Plan, r: Results) -> float:
    """One client at a time, pre-heated, over the same mix of apps as the clients at once."""
    mix = [EXERCISES[i % len(EXERCISES)] for i in range(plan.clients)]
    return statistics.mean(median(r.pool[nb].seconds) or plan.deadline for nb in mix)


def report(plan: Plan, r: Results) -> list[Row]:
    rows: list[Row] = []
    floor_cold, floor_pool = median(r.floor_cold.seconds), median(r.floor_pool.seconds)
    for notebook in EXERCISES:
        rows.append(
            ratio_row(
                f"time to interactive, cold: {short(notebook)}",
                floor_cold,
                median(r.cold[notebook].seconds),
                " s",
                2,
                COLD_RATIO,
            )
        )
    for notebook in EXERCISES:
        rows.append(
            ratio_row(
                f"time to interactive, pool: {short(notebook)}",
                floor_pool,
                median(r.pool[notebook].seconds),
                " s",
                2,
                TTI_RATIO,
            )
        )
    views = len(r.floor_pool.seconds), sum(len(s.seconds) for s in r.pool.values())
    culled = r.floor_pool.culled, sum(single.culled for single in r.pool.values())
    rows.append(
        Row(
            "  pool pages whose kernel was culled at hand-out",
            f"{culled[0]} of {views[0]}",
            f"{culled[1]} of {views[1]}",
            "",
            "0 (else opened again)",
            culled[1] == 0,
        )
    )
    for index, label in ((0, "RSS"), (1, "PSS")):
        floor_memory = median(m[index] for m in r.floor_cold.memory)
        for notebook in EXERCISES:
            rows.append(
                ratio_row(
                    f"kernel {label} per client: {short(notebook)}",
                    floor_memory,
                    median(m[index] for m in r.cold[notebook].memory),
                    " MB",
                    0,
                    MEMORY_RATIO,
                )
            )

    # 3: the clients at once, against one client at a time on the same apps (pre-heated).
    n, single = plan.clients, single_time(plan, r)
    figures = {}
    for name, result in (("floor", r.floor_burst), ("workbook", r.burst)):
        # A client that missed the deadline counts as the deadline in the percentiles.
        capped = [plan.deadline if s is None else s for s in result.seconds]
        done = sum(s is not None for s in result.seconds)
        figures[name] = (done, result.count("culled"), median(capped), p95(capped))
    (f_done, f_culled, f_p50, f_p95) = figures["floor"]
    (w_done, w_culled, w_p50, w_p95) = figures["workbook"]
    rows.append(
        Row(
            f"{n} clients at once: interactive in {plan.deadline:.0f} s",
            f"{f_done}/{n}",
            f"{w_done}/{n}",
            "",
            f"{n} of {n}",
            w_done == n,
        )
    )
    rows.append(
        Row(
            "  of the others, kernel culled at hand-out",
            f"{f_culled}",
            f"{w_culled}",
            "",
            "0",
            w_culled == 0,
        )
    )
    rows.append(
        Row(
            f"{n} clients at once: p50",
            fmt(f_p50, " s"),
            fmt(w_p50, " s"),
            ratio_text(w_p50, f_p50),
        )
    )
    rows.append(
        Row(
            f"{n} clients at once: p95",
            fmt(f_p95, " s"),
            fmt(w_p95, " s"),
            ratio_text(w_p95, f_p95),
            f"<= {BURST_P95_FACTOR:.0f}x single ({BURST_P95_FACTOR * single:.1f} s)",
            w_p95 is not None and w_p95 <= BURST_P95_FACTOR * single,
        )
    )
    f_peak, w_peak = r.floor_burst.peak, r.burst.peak
    rows.append(
        Row(
            "  kernels alive at the peak, all their PSS",
            f"{f_peak[0]}, {f_peak[2]:.0f} MB",
            f"{w_peak[0]}, {w_peak[2]:.0f} MB",
            ratio_text(w_peak[2], f_peak[2]),
        )
    )
    f_cpu, w_cpu = r.floor_burst.cpu, r.burst.cpu
    rows.append(
        Row(
            "  CPU seconds: server and kernels / browser",
            f"{f_cpu[0]:.0f} / {f_cpu[1]:.0f}",
            f"{w_cpu[0]:.0f} / {w_cpu[1]:.0f}",
            ratio_text(w_cpu[0], f_cpu[0]),
        )
    )

    # 4: culling.
    f_after, w_after = r.floor_burst.after, r.burst.after
    rows.append(
        Row(
            f"kernels alive {plan.cull_wait:.0f} s after pages dropped",
            "-" if f_after is None else f"{f_after[0]} (pool {r.floor_pool_size})",
            "-" if w_after is None else f"{w_after[0]} (pool {r.pool_size})",
            "",
            f"= pool ({r.pool_size})",
            w_after is not None and w_after[0] == r.pool_size,
        )
    )
    rows.append(
        Row(
            "  their memory, RSS / PSS",
            "-" if f_after is None else f"{f_after[1]:.0f} / {f_after[2]:.0f} MB",
            "-" if w_after is None else f"{w_after[1]:.0f} / {w_after[2]:.0f} MB",
            ratio_text(w_after and w_after[2], f_after and f_after[2]),
        )
    )

    # 5: latencies; the floor is a widget's round trip to the kernel and back.
    delay_ms = load_workbook_config().autosave_delay * 1000
    echo_p50, echo_p95 = median(r.echoes), p95(r.echoes)
    saved_p50, saved_p95 = median(r.saved), p95(r.saved)
    minus = None if saved_p95 is None else saved_p95 - delay_ms
    rows.append(
        Row(
            "answer -> saved, p50 (raw)",
            fmt(echo_p50, " ms", 0),
            fmt(saved_p50, " ms", 0),
            ratio_text(saved_p50, echo_p50),
        )
    )
    rows.append(
        Row(
            "answer -> saved, p95 (raw)",
            fmt(echo_p95, " ms", 0),
            fmt(saved_p95, " ms", 0),
            ratio_text(saved_p95, echo_p95),
        )
    )
    rows.append(
        Row(
            f"answer -> saved, p95 minus autosave {delay_ms:.0f} ms",
            fmt(echo_p95, " ms", 0),
            fmt(minus, " ms", 0),
            ratio_text(minus, echo_p95),
            f"<= {SAVED_MS:.0f} ms",
            minus is not None and minus <= SAVED_MS,
        )
    )
    chart_p50, chart_p95 = median(r.redrawn), p95(r.redrawn)
    rows.append(
        Row(
            "rating -> chart redrawn, p50",
            fmt(echo_p50, " ms", 0),
            fmt(chart_p50, " ms", 0),
            ratio_text(chart_p50, echo_p50),
        )
    )
    rows.append(
        Row(
            "rating -> chart redrawn, p95",
            fmt(echo_p95, " ms", 0),
            fmt(chart_p95, " ms", 0),
            ratio_text(chart_p95, echo_p95),
            f"<= {CHART_MS:.0f} ms",
            chart_p95 is not None and chart_p95 <= CHART_MS,
        )
    )
    return rows


def notes(plan: Plan, r: Results, guard: OfflineGuard, errors: list[str]) -> list[str]:
    waited = max(r.floor_burst.waited, r.burst.waited)
    iopub = ", ".join(f"{name} {log.iopub_timeouts}" for name, log in r.logs.items())
    refused = ", ".join(f"{name} {log.refused_shutdowns}" for name, log in r.logs.items())
    return [
        f"single-client time for the p95 target: {single_time(plan, r):.2f} s (pool, the same "
        "mix of apps)",
        f"culling: cull_idle_timeout={plan.cull_idle} s, cull_interval="
        f"{cull_interval(plan.cull_idle)} s; kernels counted {waited:.0f} s after the pages "
        "were dropped without beforeunload",
        "latency floor: slider key press -> the kernel's echo back in the page "
        f"({len(r.echoes)} samples); workbook: {len(r.saved)} answers, {len(r.redrawn)} "
        "ratings",
        f"server logs, cells whose output Voila stopped waiting for (IOPub timeout): {iopub}",
        f"server logs, tab-close kernel shutdowns refused (403): {refused}",
        f"notebooks the workbook server pre-heats: {', '.join(r.preheated)}",
        "the browser shares the machine's CPUs with the servers (its CPU seconds above)",
        f"requests that tried to leave the machine (blocked): {len(guard.blocked)}"
        + (f", e.g. {guard.blocked[0]}" if guard.blocked else ""),
        f"script errors in the pages: {len(errors)}"
        + (f", e.g. {errors[0][:120]}" if errors else ""),
    ]
