"""A team member opening their link: from the request to their page's Send button, with the
member page kept warm (the default) against the same `serve` starting its kernel when the
link is opened (``--ServeApp.warm_member_pages=False``, the baseline, measured first).

A leader's plan asks one member for their say (the choice exercise's member page). Each
server is opened ``--opens`` times by a client that speaks the protocol (the server's and
kernels' own cost, as on a member's own machine), then ``--browser-opens`` times in headless
Chromium on the same CPUs (what a person sees, the browser's work included). Between two
opens the member leaves and the server is given ``--pause`` seconds to warm a page again.

    python -m benchmarks.member_page [--opens 5] [--browser-opens 3] [--pause 8]
                                     [--plain-kernels]

About three minutes on 2 CPUs. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import load_average, log, machine
from benchmarks.serve_apps.table import Row, fmt, print_table, ratio_text
from buyin_workbook.store import WorkbookStore
from tests.plugin.coach import add_client
from tests.plugin.protocol import Visit, has_class, http_client
from tests.plugin.servers import CHROMIUM, CHROMIUM_ARGS, OfflineGuard, ServerFactory

PAGE = "voila/render/my-say.ipynb"
READY = "bw-member-send"


def _seed(db_url: str) -> str:
    """A leader's plan with one decision and one member asked; the member's link key."""
    _key, client_id = add_client(db_url, "Leader")
    with WorkbookStore(db_url, client_id=client_id) as leader:
        plan = leader.create_plan("Rota")
        leader.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "The rota"}])
        leader.save_answer(plan.id, "choice", "voice/members", [{"id": "m1", "name": "Ana"}])
        return leader.add_member_link(plan.id, "m1", "Ana", exercise="choice")


async def _protocol_opens(url: str, opens: int, pause: float) -> list[float]:
    seconds = []
    for _ in range(opens):
        await asyncio.sleep(pause)
        page = Visit(url)
        await page.open(http_client(), has_class(READY), 120)
        assert page.usable_seconds is not None
        seconds.append(page.usable_seconds)
        await page.leave(http_client())
    return seconds


async def _browser_opens(url: str, opens: int, pause: float) -> list[float]:
    from playwright.async_api import async_playwright

    seconds = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(opens):
                await asyncio.sleep(pause)
                context = await browser.new_context()
                page = OfflineGuard().watch(await context.new_page())
                started = time.monotonic()
                await page.goto(url)
                await page.wait_for_selector(f".{READY}", timeout=120_000)
                seconds.append(time.monotonic() - started)
                await context.close()  # the tab closes: its kernel is given back
        finally:
            await browser.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--browser-opens", type=int, default=3)
    parser.add_argument("--pause", type=float, default=8.0)
    parser.add_argument(
        "--plain-kernels",
        action="store_true",
        help="kernels as processes of their own (the default on macOS and Windows)",
    )
    args = parser.parse_args(argv)
    kernels = ("--plain-kernels",) if args.plain_kernels else ()

    figures: dict[str, tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bw-member-") as folder:
        tmp = Path(folder)
        for kind, options in (
            ("cold", ("--ServeApp.warm_member_pages=False", *kernels)),
            ("warm", ("--ServeApp.crowd_check=1", *kernels)),
        ):
            db_url = f"sqlite:///{tmp / f'{kind}.sqlite'}"
            key = _seed(db_url)
            (tmp / kind).mkdir()
            with ServerFactory(tmp / kind) as servers:
                url = f"{servers.workbook(db_url, *options)}{PAGE}?key={key}"
                log(f"{kind}: {args.opens} opens by protocol...")
                protocol = asyncio.run(_protocol_opens(url, args.opens, args.pause))
                log(f"{kind}: {args.browser_opens} opens in Chromium...")
                browser = asyncio.run(_browser_opens(url, args.browser_opens, args.pause))
                figures[kind] = (protocol, browser)

    cold, warm = figures["cold"], figures["warm"]
    rows = []
    for index, what in enumerate(("protocol client", "Chromium")):
        before, after = statistics.median(cold[index]), statistics.median(warm[index])
        rows.append(
            Row(
                f"{what}: request -> Send button, median s",
                fmt(before, "s"),
                fmt(after, "s"),
                ratio_text(after, before),
            )
        )
        rows.append(
            Row(
                f"{what}: slowest of {len(cold[index])}",
                fmt(max(cold[index]), "s"),
                fmt(max(warm[index]), "s"),
                ratio_text(max(warm[index]), max(cold[index])),
            )
        )
    print("# A member's link: their say page. floor: cold (the baseline); workbook: kept warm")
    print(f"# kernels: {'plain' if args.plain_kernels else 'forked (the default on Linux)'}")
    print(f"# {machine()}; load at the end: {load_average()}")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
