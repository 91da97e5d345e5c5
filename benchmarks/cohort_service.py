"""A course of 10,000 on JupyterHub: the cohort service's facilitator dashboard and its
figures API over a cohort of N participants' measures in PostgreSQL, against a cohort of B
(the baseline) served by the same service in the same run.

Target (issue: JupyterHub and PostgreSQL): under 1 s per page with 10,000 participants, and
a chart payload (the figures API's JSON) that does not grow with the number of participants.

    python -m benchmarks.cohort_service [--participants 10000] [--baseline 100] [--views 10]
                                        [--db-url postgresql+psycopg://...]

Without --db-url a throwaway PostgreSQL cluster is started (Debian's `postgresql`, as the
tests do). The service runs under a real JupyterHub (configurable-http-proxy from
tests/hub). Every participant's measures are written straight into the service's database
(random but valid values for every measure of every exercise, seeded, with the tidy rows
the service keeps beside them); then the dashboard
and the API are each asked for `--views` times through the hub's proxy with the
facilitator's token. The first view of a cohort draws its figures (a release); the views
after it read them. Prints a table; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import machine
from buyin_workbook._store import schema as t
from buyin_workbook._store.keys import hash_key, new_key
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.cohorts.figures import measure_rows
from tests.plugin.cohort import random_measures
from tests.plugin.databases import PostgresServer
from tests.plugin.hub import running_hub

BIG, BASE = "cohort-course", "cohort-baseline"


def fill(db_url: str, group: str, participants: int, seed: int) -> float:
    """A hub cohort with every participant's measures of every exercise; seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with WorkbookStore(db_url) as store:
        cohort = store.hub_cohort(group, tuple(EXERCISES), 5)
    engine = sa.create_engine(db_url)
    now = "2026-11-26T00:00:00+00:00"
    with engine.begin() as conn:
        ids = conn.execute(
            t.clients.insert().returning(t.clients.c.id),
            [
                {
                    "name": f"user-{n:05d}",
                    "key_hash": hash_key(new_key()),
                    "created_at": now,
                    "cohort_id": cohort.id,
                }
                for n in range(participants)
            ],
        ).scalars()
        sent = [
            (client_id, exercise, random_measures(declared.content().cohort, rng))
            for client_id in list(ids)
            for exercise, declared in EXERCISES.items()
        ]
        conn.execute(
            t.cohort_values.insert(),
            [
                {
                    "client_id": client_id,
                    "exercise": exercise,
                    "cohort_id": cohort.id,
                    "measures": json.dumps(values),
                    "sent_at": now,
                }
                for client_id, exercise, values in sent
            ],
        )
        conn.execute(
            t.cohort_figures.insert(),
            [
                {
                    "client_id": client_id,
                    "exercise": exercise,
                    "cohort_id": cohort.id,
                    "measure": measure,
                    "item": item,
                    "value": value,
                }
                for client_id, exercise, values in sent
                for measure, item, value in measure_rows(
                    EXERCISES[exercise].content().cohort, values
                )
            ],
        )
    engine.dispose()
    return time.perf_counter() - started


def timed_get(url: str, token: str) -> tuple[float, int, int]:
    """Seconds, status and size in bytes of one GET with a hub token."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - started, status, len(body)


def measure(service: str, group: str, token: str, views: int) -> dict[str, float]:
    timed_get(f"{service}api/me", token)  # the hub's first check of the token, not timed
    first, _, _ = timed_get(f"{service}cohorts/{group}", token)
    pages = [timed_get(f"{service}cohorts/{group}", token) for _ in range(views)]
    api = [timed_get(f"{service}api/cohorts/{group}/figures", token) for _ in range(views)]
    assert all(status == 200 for _, status, _ in pages + api)
    return {
        "first page s": first,
        "page p50 s": statistics.median(s for s, _, _ in pages),
        "page max s": max(s for s, _, _ in pages),
        "API p50 s": statistics.median(s for s, _, _ in api),
        "page bytes": statistics.median(b for _, _, b in pages),
        "API bytes": statistics.median(b for _, _, b in api),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--views", type=int, default=10)
    parser.add_argument("--db-url", default="", help="an empty PostgreSQL database to use")
    args = parser.parse_args()

    server = None
    if args.db_url:
        db_url = args.db_url
    else:
        server = PostgresServer()
        server.start()
        db_url = server.new_database()
    try:
        fills = {
            BASE: fill(db_url, BASE, args.baseline, seed=1),
            BIG: fill(db_url, BIG, args.participants, seed=2),
        }
        groups = {BASE: ["p1"], BIG: ["p2"], "facilitators": ["facilitator"]}
        with running_hub(Path(tempfile.mkdtemp()), db_url, groups, (BASE, BIG)) as hub:
            token = hub.api(
                "POST",
                "/users/facilitator/tokens",
                {
                    "scopes": [
                        "access:services!service=workbook",
                        *(f"custom:workbook:facilitate!group={g}" for g in (BASE, BIG)),
                    ]
                },
            )["token"]
            results = {
                BASE: measure(hub.service(), BASE, token, args.views),
                BIG: measure(hub.service(), BIG, token, args.views),
            }
    finally:
        if server is not None:
            server.stop()

    print(f"# Cohort service on PostgreSQL ({machine()})")
    sizes = {BASE: args.baseline, BIG: args.participants}
    keys = list(results[BASE])
    print("| cohort | participants | fill s | " + " | ".join(keys) + " |")
    print("|---|---:|---:|" + "---:|" * len(keys))
    for group in (BASE, BIG):
        row = results[group]
        cells = " | ".join(
            f"{row[key]:,.0f}" if "bytes" in key else f"{row[key]:.3f}" for key in keys
        )
        print(f"| {group} | {sizes[group]:,} | {fills[group]:.1f} | {cells} |")
    ratios = " | ".join(f"{results[BIG][key] / results[BASE][key]:.2f}x" for key in keys)
    print(f"| ratio | {sizes[BIG] / sizes[BASE]:.0f}x | | {ratios} |")
    under = results[BIG]["page p50 s"] < 1 and results[BIG]["first page s"] < 1
    print(
        f"\nTarget: under 1 s per page at {sizes[BIG]:,}: "
        + ("met" if under else "MISSED")
        + f" (first view {results[BIG]['first page s']:.2f} s, p50 "
        f"{results[BIG]['page p50 s']:.2f} s). Chart payload (API bytes) "
        f"{results[BIG]['API bytes'] / results[BASE]['API bytes']:.2f}x the baseline's."
    )


if __name__ == "__main__":
    main()
