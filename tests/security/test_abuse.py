"""An attacker and an unlucky operator, against a served workbook and the cohort service: a
leaked join link, a locked or unreachable database, huge or deep bodies, two servers on one
database. The server keeps serving everyone else, and says why in words; a visitor never
reads where the database is. Each case was reproduced on a9b664c (issue 26) and fails there.
(Keys, kernels and endpoints are attacked in test_attacks.py; anonymity in
test_anonymity.py.)
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from tornado.httpclient import HTTPClientError

from buyin_workbook.cohorts import exercise_results
from buyin_workbook.exercises.choice import ChoiceExercise
from buyin_workbook.store import UNAVAILABLE, AliasTaken, CohortFull, WorkbookStore
from buyin_workbook.use_cases.visitor import current_access
from tests.plugin.cohort import cohort_command, finish_selfcheck
from tests.plugin.databases import Database
from tests.plugin.served import serve_page
from tests.plugin.servers import free_port, mount_workbook_pages

# -- a visitor never reads where the database is, or what its driver said ------------------

#: A PostgreSQL server that is not running: nothing listens on its port.
STOPPED = f"postgresql+psycopg://workbook:s3cret@127.0.0.1:{free_port()}/coaching"


async def _refused(jp_fetch, *parts: str, **params: str) -> tuple[int, str]:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, params=params)
    response = caught.value.response
    return caught.value.code, (response.body or b"").decode() if response else ""


async def test_a_stopped_database_server_is_never_named_to_a_visitor(
    jp_serverapp, jp_base_url: str, jp_fetch, caplog: pytest.LogCaptureFixture
):
    mount_workbook_pages(jp_serverapp, jp_base_url, STOPPED)
    for parts, params in (
        (("buyin", "nav"), {"key": "a-wrong-key"}),
        (("coach",), {"key": "a-wrong-key"}),
        (("cohort", "join"), {"key": "a-wrong-key"}),
    ):
        code, body = await _refused(jp_fetch, *parts, **params)
        assert code == 503, parts
        assert "cannot read or save answers just now" in body, parts
        for detail in ("127.0.0.1", "coaching", "workbook@", "s3cret", "psycopg", "refused"):
            assert detail not in body, (parts, detail)
    # Whoever runs the server reads what failed, and where (never the password).
    logged = caplog.text
    assert "cannot be reached" in logged and "127.0.0.1" in logged and "s3cret" not in logged


def test_a_served_page_on_a_damaged_database_says_so_in_plain_words(tmp_path: Path, monkeypatch):
    path = tmp_path / "coach.sqlite"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("BUYIN_WORKBOOK_DB_URL", url)
    current_access.cache_clear()
    with WorkbookStore(url) as coach:
        _client, key = coach.add_client("Dana")
    assert ChoiceExercise().store_error is None  # the leader's own page, before
    path.write_bytes(b"this is not a database" * 400)
    # The leader on their own machine is told where the file is and what to do.
    current_access.cache_clear()
    assert str(path) in (ChoiceExercise().store_error or "")
    # A client's page, served: plain words, nothing of the server's files.
    serve_page(monkeypatch, key)
    served_error = ChoiceExercise().store_error or ""
    assert served_error == UNAVAILABLE and str(tmp_path) not in served_error


# -- a leaked join link fills a cohort no further than its limit ---------------------------


async def test_a_cohort_takes_no_more_than_its_limit_and_says_so(
    jp_serverapp, jp_base_url: str, jp_fetch, database: Database
):
    mount_workbook_pages(jp_serverapp, jp_base_url, database.url)
    with WorkbookStore(database.url) as store:
        cohort, _, join_key = store.create_cohort("C", ["selfcheck"], 3, max_participants=4)

    async def join(alias: str):
        body = urlencode({"alias": alias})
        return await jp_fetch(
            "cohort",
            "join",
            method="POST",
            params={"key": join_key},
            body=body,
            follow_redirects=False,
            raise_error=False,
        )

    def admitted(reply) -> bool:
        # A join sends the participant on to their own page, on their own private link
        # (the page itself is tested in tests/serve/test_cohort.py).
        assert reply.code == 302, reply.code
        query = parse_qs(urlsplit(reply.headers["Location"]).query)
        with WorkbookStore(database.url) as store:
            return query["joined"] == ["1"] and store.client_for_key(query["key"][0]) is not None

    for n in range(4):
        assert admitted(await join(f"Person {n}"))
    form = jp_fetch("cohort", "join", params={"key": join_key}, raise_error=False)
    for refused in (await join("Person 5"), await form):
        assert refused.code == 403 and "This course is full" in refused.body.decode()
    with WorkbookStore(database.url) as store:
        store.limit_cohort(cohort.id, 6)
    assert admitted(await join("Person 5"))


def test_the_cohort_commands_set_and_change_the_limit_and_remove_by_alias(
    database: Database, capsys
):
    def cli(*args: str) -> int | str | None:
        return cohort_command(*args, f"--db-url={database.url}")

    assert cli("create", "C", "--min-group=3", "--max-participants=4") in (0, None)
    assert "at most 4 participants" in capsys.readouterr().out
    with WorkbookStore(database.url) as store:
        cohort = store.find_cohort("C")
        for alias in ("Ana", "Ben", "Cy", "Dee"):
            store.join_cohort(cohort.id, alias)
    assert cli("limit", "C", "6") in (0, None)
    assert "at most 6 participants (4 joined so far)" in capsys.readouterr().out
    assert cli("list") in (0, None)
    assert "4 of 6 participants" in capsys.readouterr().out
    assert cli("limit", "C", "2") == 1
    assert "from the minimum group (3) to 2,000" in capsys.readouterr().err
    assert cli("remove", "C", "cy", "--yes") in (0, None)
    assert "Removed “Cy”" in capsys.readouterr().out
    assert cli("remove", "C", "Zed", "--yes") == 1
    assert "No one in this cohort goes by “Zed”" in capsys.readouterr().err
    with WorkbookStore(database.url) as store:
        assert [p.alias for p in store.participants(cohort.id)] == ["Ana", "Ben", "Dee"]


def test_two_servers_admit_one_alias_however_it_is_written(database: Database):
    """Two `serve` processes on one database, each admitting a "Twin n" at the same moment
    as the other admits "TWIN n": one of each pair gets in, the other is told to pick
    another alias (on PostgreSQL the two run truly at once)."""
    with WorkbookStore(database.url) as store:
        cohort, _, _ = store.create_cohort("Twins", ["selfcheck"], 3, 2000)
    outcomes: dict[int, list[str]] = {n: [] for n in range(40)}

    def join(alias: str, n: int, ready: threading.Barrier) -> None:
        with WorkbookStore(database.url) as store:
            ready.wait()  # both servers' requests at the same moment
            try:
                store.join_cohort(cohort.id, alias)
                outcomes[n].append("in")
            except AliasTaken:
                outcomes[n].append("taken")

    for n in range(40):
        ready = threading.Barrier(2)
        pair = [
            threading.Thread(target=join, args=(f"Twin {n}", n, ready)),
            threading.Thread(target=join, args=(f"TWIN  {n}", n, ready)),
        ]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
    assert all(sorted(result) == ["in", "taken"] for result in outcomes.values()), outcomes
    with WorkbookStore(database.url) as store:
        assert len(store.participants(cohort.id)) == 40


def test_a_crowd_joining_at_the_same_instant_stays_within_the_limit(database: Database):
    """Twelve join a cohort of at most three at the same moment, each through a store of
    their own (on PostgreSQL they truly run at once): three get in, nine are told it is
    full."""
    with WorkbookStore(database.url) as store:
        cohort, _, _ = store.create_cohort("Small room", ["selfcheck"], 3, max_participants=3)
    ready = threading.Barrier(12)
    outcomes: list[str] = []

    def join(n: int) -> None:
        with WorkbookStore(database.url) as store:
            store.participants(cohort.id)  # connected before the barrier
            ready.wait()
            try:
                store.join_cohort(cohort.id, f"Person {n}")
                outcomes.append("in")
            except CohortFull:
                outcomes.append("full")

    threads = [threading.Thread(target=join, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 9 + ["in"] * 3
    with WorkbookStore(database.url) as store:
        assert len(store.participants(cohort.id)) == 3


# -- a facilitator takes one participant out -----------------------------------------------


async def test_a_facilitator_takes_one_participant_out(
    jp_serverapp, jp_base_url: str, jp_fetch, database: Database
):
    mount_workbook_pages(jp_serverapp, jp_base_url, database.url)
    with WorkbookStore(database.url) as store:
        cohort, facilitator, _ = store.create_cohort("C", ["selfcheck"], 3)
        people = [store.join_cohort(cohort.id, alias) for alias in ("Ana", "Ben", "Cy", "Dee")]
    secret = "BEN-WROTE-THIS-1f2e"
    for (participant, key), alias in zip(people, ("Ana", "Ben", "Cy", "Dee"), strict=True):
        sentence = secret if alias == "Ben" else "Cut the queue by June."
        finish_selfcheck(
            database.url,
            participant.id,
            key,
            attitude="commitment",
            stance="aligned",
            scores=(3, 3, 3, 3, 3),
            sentence=sentence,
        )
    dashboard = (await jp_fetch("cohort", params={"key": facilitator})).body.decode()
    assert "Remove Ben…" in dashboard and "4 of at most 100" in dashboard
    assert "Drawn from the 4 people" in dashboard
    # The dashboard's button opens a page that says what follows; its form removes. The
    # link names Ben by a reference of this cohort's, not the id that counts the server's
    # every participant and client.
    _ben, ben_key = people[1]
    found = re.search(
        r'href="[^"]*/cohort/participants/([^/"]+)/remove[^"]*">Remove Ben…', dashboard
    )
    assert found is not None
    ben_ref = found.group(1)
    assert re.fullmatch(r"[0-9a-f]{16}", ben_ref)
    assert not any(f"/participants/{p.id}/" in dashboard for p, _key in people)
    page = await jp_fetch("cohort", "participants", ben_ref, "remove", params={"key": facilitator})
    text = page.body.decode()
    assert "<h1>Remove “Ben” from " in text and "erased" in text
    assert database.holds(secret)  # the check below can fail
    await jp_fetch(
        "cohort",
        "participants",
        ben_ref,
        "remove",
        method="POST",
        params={"key": facilitator},
        body="",
        follow_redirects=False,
        raise_error=False,
    )
    with WorkbookStore(database.url) as store:
        assert store.client_for_key(ben_key) is None
        assert [p.alias for p in store.participants(cohort.id)] == ["Ana", "Cy", "Dee"]
        results = exercise_results(store, cohort, "selfcheck")
    assert not database.holds(secret)
    # The figures of four stay; new ones would show Ben's answers by the difference.
    assert len(results.release.contributors) == 4 and results.waiting.moved == "left"


# -- a take-back answers at once and is scrubbed in the background ------------------------


def test_a_take_back_is_scrubbed_after_the_request_not_in_it(database: Database):
    from buyin_workbook.exercises import EXERCISES
    from buyin_workbook.use_cases.cohorts.figures import measure_rows

    name = "taker-back-7c1d"
    measures = EXERCISES["selfcheck"].content().cohort
    with WorkbookStore(database.url) as store:
        cohort = store.hub_cohort("cohort-c", ("selfcheck",), 5)
        person = store.hub_participant(cohort.id, name)
        sent = {"ladder": "apathy"}
        store.send_values(cohort.id, person.id, "selfcheck", sent, measure_rows(measures, sent))
        assert store.erase_hub_participant(cohort.id, name, scrub=False)
        assert store.participants(cohort.id) == []  # gone at once...
        if database.kind == "postgresql":
            assert database.holds(name)  # ...though its row is still in the files
        store.scrub_erased()
    assert not database.holds(name)


async def test_the_services_scrubber_runs_off_the_event_loop_once_for_many_take_backs(
    tmp_path: Path,
):
    import asyncio

    from buyin_workbook.hub.service import Scrubber

    store = WorkbookStore(f"sqlite:///{tmp_path / 'service.sqlite'}").open()
    loop_thread = threading.get_ident()
    ran: list[int] = []
    scrub = store.scrub_erased

    def counted() -> None:
        ran.append(threading.get_ident())
        scrub()

    store.scrub_erased = counted  # type: ignore[method-assign]
    scrubber = Scrubber(store, within=0.2)
    for _ in range(5):  # five take-backs in a moment
        scrubber.soon()
    await asyncio.sleep(1.0)
    assert len(ran) == 1 and ran[0] != loop_thread
    scrubber.soon()
    await asyncio.sleep(1.0)
    assert len(ran) == 2
    store.close()
