"""What a facilitator's open pages cost `serve` while a room works: the dashboard and the
presenter view ask every 2 s whether anything changed, and are drawn again when it did.

One `serve` (no warm kernels: these pages need none) over a cohort of N participants who
have all finished the self-check (its figures revealed) and half of whom have finished the
choice exercise. A client that speaks HTTP, as the pages' script does, measures:

- the baseline: the question asked every 2 s when nothing changed (``since`` answered 204);
- a participant's landing page (a page of the same server with no figures);
- the dashboard and the presenter view drawn again after one participant saved an answer
  (what each open page costs the server at each change).

For each: the median and p95 of the request's time, and serve's CPU seconds per request
(serve alone: its kernels are not involved). Ratios are against the baseline; the last lines
say what share of one CPU an open dashboard takes if a change came every 2 s (a room of N all
saving), which is the most its script can ask for. Nothing is asserted.

    python -m benchmarks.live_dashboard [--participants 30] [--rounds 40]

About a minute on 2 CPUs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from benchmarks.common import load_average, log, machine
from benchmarks.serve_apps.table import Row, fmt, p95, print_table, ratio_text
from buyin_workbook.store import WorkbookStore
from tests.plugin.cohort import finish_choice, finish_selfcheck
from tests.plugin.servers import free_port, wait_for_http, workbook_command

#: How often the pages' script asks (templates/_live.js).
EVERY_S = 2.0


def _seed(db_url: str, participants: int) -> tuple[str, list[tuple[int, str]]]:
    with WorkbookStore(db_url) as coach:
        cohort, facilitator, _join = coach.create_cohort("Room", ["selfcheck", "choice"], 5)
        people = [coach.join_cohort(cohort.id, f"Person {n}") for n in range(participants)]
    for n, (person, key) in enumerate(people):
        finish_selfcheck(
            db_url,
            person.id,
            key,
            attitude="commitment",
            stance="aligned",
            scores=(n % 5 + 1, 3, 4, 2, 5),
        )
        if n % 2 == 0:
            finish_choice(db_url, person.id, key)
    with WorkbookStore(db_url) as coach:
        coach.set_revealed(cohort.id, "selfcheck", True)
    return facilitator, [(p.id, key) for p, key in people]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _activity(body: bytes) -> str:
    """The fingerprint the page was drawn at (its script sends it back as ``since``)."""
    marker = b'<meta name="bw-activity" content="'
    start = body.index(marker) + len(marker)
    return body[start : body.index(b'"', start)].decode()


def _measure(
    name: str, serve: psutil.Process, rounds: int, request, before=None
) -> tuple[str, list[float], float]:
    """``rounds`` requests (each after ``before()``, untimed): seconds each, and serve's CPU
    seconds per request."""
    seconds: list[float] = []
    cpu = 0.0
    for _ in range(rounds):
        if before is not None:
            before()
        start_cpu = sum(serve.cpu_times()[:2])
        start = time.perf_counter()
        request()
        seconds.append(time.perf_counter() - start)
        cpu += sum(serve.cpu_times()[:2]) - start_cpu
    log(f"{name}: median {statistics.median(seconds) * 1000:.1f} ms")
    return name, seconds, cpu / rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bw-live-") as folder:
        tmp = Path(folder)
        db_url = f"sqlite:///{tmp / 'course.sqlite'}"
        log(f"Seeding a cohort of {args.participants}...")
        facilitator, people = _seed(db_url, args.participants)
        port = free_port()
        command = workbook_command("serve", f"--db-url={db_url}", f"--port={port}", "--pool-size=0")
        with (tmp / "serve.log").open("w") as serve_log:
            process = psutil.Popen(command, stdout=serve_log, stderr=serve_log, cwd=tmp)
        try:
            base = f"http://127.0.0.1:{port}/"
            dashboard = f"{base}cohort?key={facilitator}"
            wait_for_http(dashboard, process)
            present = f"{base}cohort/present?key={facilitator}"
            _get(dashboard)  # the first draw imports pandas
            since = _activity(_get(dashboard)[1])
            saved = iter(range(10**6))
            participant_id, participant_key = people[0]

            def one_saves() -> None:
                with WorkbookStore(
                    db_url, client_id=participant_id, access_key=participant_key
                ) as store:
                    plan = store.list_plans()[0]
                    store.save_answer(plan.id, "selfcheck", "sentence", f"Draft {next(saved)}")

            def unchanged() -> None:
                status, _ = _get(f"{dashboard}&since={since}")
                assert status == 204, status

            def drawn(url: str):
                def request() -> None:
                    status, _ = _get(url)
                    assert status == 200, status

                return request

            rounds = args.rounds
            results = [
                _measure("nothing changed (204)", process, rounds, unchanged),
                _measure(
                    "a participant's landing page",
                    process,
                    rounds,
                    drawn(f"{base}?key={participant_key}"),
                ),
                _measure(
                    "dashboard, drawn after a save",
                    process,
                    rounds,
                    drawn(dashboard),
                    one_saves,
                ),
                _measure(
                    "presenter view, drawn after a save",
                    process,
                    rounds,
                    drawn(present),
                    one_saves,
                ),
            ]
        finally:
            process.terminate()
            process.wait(timeout=30)

    _name, base_seconds, base_cpu = results[0]
    base_median = statistics.median(base_seconds)
    rows = []
    for name, seconds, cpu in results:
        median, slowest = statistics.median(seconds), p95(seconds) or 0.0
        rows.append(
            Row(
                f"{name}: median / p95 ms",
                fmt(base_median * 1000, digits=1),
                f"{median * 1000:.1f} / {slowest * 1000:.1f}",
                ratio_text(median, base_median),
            )
        )
        rows.append(
            Row(
                f"{name}: serve CPU ms a request",
                fmt(base_cpu * 1000, digits=1),
                fmt(cpu * 1000, digits=1),
                ratio_text(cpu, base_cpu),
            )
        )
    drawn_cpu = results[2][2]
    print(f"# Live dashboard, {args.participants} participants, {args.rounds} requests each")
    print(f"# {machine()}; load before: {load_average()}; baseline: the 204 answer")
    print_table(rows)
    print(
        f"\nAn open dashboard drawn again at every {EVERY_S:.0f} s (a change each time): "
        f"{drawn_cpu / EVERY_S * 100:.1f}% of one CPU; asking with nothing changed: "
        f"{base_cpu / EVERY_S * 100:.2f}%."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
