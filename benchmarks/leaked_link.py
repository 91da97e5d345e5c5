"""A leaked join link at the issue's scale: 5,000 joins through a cohort's join link, then
page requests with no browser behind them, at one `jupyter workbook serve` with its default
limits (a cohort of at most 100, 40 page kernels, a kernel given back 60 s after a page no
browser came for). The baseline is the same server before the attack, with one page open.

    python -m benchmarks.leaked_link [--joins 5000] [--pages 32] [--max-kernels 40]

Loopback only, no browser: every page is fetched as a script would (so every kernel,
the baseline's too, is given back once no browser has come for it). Prints a table;
asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine
from buyin_workbook.store import WorkbookStore
from tests.plugin.servers import workbook_server
from tests.plugin.soak import SELFCHECK, kernels_of, leak, pss_mb, wait_for_kernels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--joins", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=32)
    parser.add_argument("--max-kernels", type=int, default=40)
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    db_url = f"sqlite:///{folder / 'course.sqlite'}"
    with WorkbookStore(db_url) as store:
        cohort, _, join_key = store.create_cohort("Spring", ["selfcheck"], 5)
        _, real_key = store.join_cohort(cohort.id, "Real Person")
    with workbook_server(
        db_url,
        folder / "serve.log",
        "--pool-size=0",
        f"--max-kernels={args.max_kernels}",
        f"--page-connect-timeout={args.connect_timeout}",
    ) as server:
        from urllib.request import urlopen

        with urlopen(f"{server}{SELFCHECK}?key={real_key}", timeout=180) as reply:
            kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', reply.read().decode())
        assert kernel is not None
        time.sleep(2)
        baseline_kernels = kernels_of(server)
        baseline = pss_mb(baseline_kernels)
        attack = leak(server, join_key, joins=args.joins, pages=args.pages)
        started = time.monotonic()
        left = wait_for_kernels(server, at_most=0, timeout=args.connect_timeout + 60)
        given_back = time.monotonic() - started

    print(f"# A leaked join link at one `serve` ({machine()})")
    print("| measure | baseline (one page) | under the attack | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| kernels at once | {len(baseline_kernels)} | {attack.most_kernels} | "
        f"{attack.most_kernels / max(1, len(baseline_kernels)):.1f}x |"
    )
    print(
        f"| kernels' PSS at most (MB) | {baseline:.0f} | {attack.most_kernel_pss_mb:.0f} | "
        f"{attack.most_kernel_pss_mb / max(baseline, 1):.1f}x |"
    )
    print(
        f"\nJoins: {dict(attack.joins)} in {attack.seconds:.1f} s (accepted up to the "
        f"cohort's limit, {cohort.max_participants}, the first being the real participant)."
    )
    print(f"Pages: {dict(attack.pages)} (503: the workbook is full; cap {args.max_kernels}).")
    print(
        f"Kernels left {given_back:.0f} s after the attack: {left} (pages no browser came "
        f"for give theirs back after {args.connect_timeout:.0f} s)."
    )


if __name__ == "__main__":
    main()
