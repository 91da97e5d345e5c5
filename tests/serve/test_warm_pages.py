"""Those who are expected find their pages warm: a crowd a facilitator announces (`cohort
create --expect N`) its first pages, a team member their page while their link works; the
warm pages go back once they have come or no one more is expected. One server for the file,
looking every second at who is expected."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from buyin_workbook.store import WorkbookStore
from tests.plugin.coach import add_client
from tests.plugin.protocol import Visit, has_class, http_client
from tests.plugin.servers import ServerFactory, ServerURL, workbook_cli, workbook_command

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts the fork server's kernels (Linux)"
)
SELFCHECK = "02-am-i-bought-in.ipynb"
#: One warm page per pre-heated notebook: the four exercises and the summary.
POOL = 5


def _kernels(serve: psutil.Process) -> int:
    """Kernels serve runs now (each a child of its fork server)."""
    (fork_server,) = [c for c in serve.children() if "_fork_server" in " ".join(c.cmdline())]
    return len(fork_server.children())


def _until_kernels(serve: psutil.Process, count: int, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while (now := _kernels(serve)) != count and time.monotonic() < deadline:
        time.sleep(0.3)
    return now


def _until_logged(url: ServerURL, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while text not in url.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.3)
    return text in url.log.read_text()


@dataclass
class Served:
    url: ServerURL
    db_url: str
    process: psutil.Process


@pytest.fixture(scope="module")
def served(file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory) -> Served:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('warm') / 'course.sqlite'}"
    url = file_servers.workbook(db_url, "--ServeApp.crowd_check=1")
    served = Served(url, db_url, psutil.Process(url.process.pid))
    assert _until_kernels(served.process, POOL) == POOL
    return served


def test_an_expected_crowd_finds_its_pages_warm_and_they_go_back_after(served: Served):
    db_url, url, serve = served.db_url, served.url, served.process
    made = workbook_cli(
        db_url, "cohort", "create", "Tuesday room", "--exercises=selfcheck", "--expect=3"
    )
    assert "3 expected" in made
    workbook_cli(db_url, "cohort", "create", "Thursday room", "--exercises=selfcheck")
    with WorkbookStore(db_url) as facilitator:
        tuesday = facilitator.find_cohort("Tuesday room")
        keys = [facilitator.join_cohort(tuesday.id, f"Guest {n}")[1] for n in range(3)]
    # The pool, and a warm self-check page for each of the three expected.
    assert _until_kernels(serve, POOL + 3) == POOL + 3

    async def the_room() -> None:
        pages = [Visit(f"{url}voila/render/{SELFCHECK}?key={key}") for key in keys]
        await asyncio.gather(
            *(page.open(http_client(), has_class("bw-plan-picker"), 120) for page in pages)
        )
        text = url.log.read_text()
        assert text.count("Using pre-heated kernel: ") >= 3, "no warm pages for the crowd"
        assert "Warm pages of 02-am-i-bought-in.ipynb for those expected: 3" in text
        # They have come: their three pages and the pool as before, no more warm ones.
        assert await asyncio.to_thread(_until_kernels, serve, POOL + 3) == POOL + 3
        await asyncio.sleep(3)  # a few crowd checks later, still no more
        assert _kernels(serve) == POOL + 3
        for page in pages:
            await page.leave(http_client())

    asyncio.run(the_room())
    assert _until_kernels(serve, POOL) == POOL

    # Another room is announced, then called off: its warm pages are given back.
    workbook_cli(db_url, "cohort", "expect", "Thursday room", "2")
    assert _until_kernels(serve, POOL + 2) == POOL + 2
    said = workbook_cli(db_url, "cohort", "expect", "Thursday room", "0")
    assert "no crowd announced" in said
    assert _until_kernels(serve, POOL) == POOL


def test_a_member_link_finds_its_page_warm_while_it_works(served: Served):
    """The team's say page stays warm while a link to it works: a member's link opens on a
    pre-heated kernel, the page taken is warmed again, and once the last such link is
    withdrawn the warm page goes back (the member's own open page stays theirs)."""
    serve = served.process
    _key, client_id = add_client(served.db_url, "Dana")
    with WorkbookStore(served.db_url, client_id=client_id) as dana:
        plan = dana.create_plan("Rota")
        dana.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "The rota"}])
        dana.save_answer(plan.id, "choice", "voice/members", [{"id": "m1", "name": "Ana"}])
        member_key = dana.add_member_link(plan.id, "m1", "Ana", exercise="choice")
    assert _until_kernels(serve, POOL + 1) == POOL + 1, "no warm page for the member's link"
    assert "Warm pages of my-say.ipynb for those expected: 1" in served.url.log.read_text()
    # Warm once Voila has run the page up to its visitor's key (its kernel runs before that:
    # a member who comes sooner gets a page started for them, as with no warm page).
    assert _until_logged(served.url, "Kernel pool of my-say.ipynb is filled")

    async def the_member() -> None:
        page = Visit(f"{served.url}voila/render/my-say.ipynb?key={member_key}")
        await page.open(http_client(), has_class("bw-member-send"), 120)
        assert "for my-say.ipynb" in _preheated_lines(served.url.log.read_text())
        # Their page, and a warm one again for the next visit.
        assert await asyncio.to_thread(_until_kernels, serve, POOL + 2) == POOL + 2
        with WorkbookStore(served.db_url, client_id=client_id) as dana:
            dana.revoke_member_link(plan.id, "choice", "m1")
        assert await asyncio.to_thread(_until_kernels, serve, POOL + 1) == POOL + 1
        await page.leave(http_client())

    asyncio.run(the_member())
    assert _until_kernels(serve, POOL) == POOL


def _preheated_lines(log: str) -> str:
    return "\n".join(line for line in log.splitlines() if "Using pre-heated kernel: " in line)


def test_expecting_more_than_may_join_or_a_hub_cohort_is_refused_in_words(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'course.sqlite'}"
    with WorkbookStore(db_url) as facilitator:
        cohort, _f, _j = facilitator.create_cohort("Small room", ["selfcheck"], max_participants=10)
        for wrong in (11, -1, True, "30"):
            with pytest.raises(Exception, match=r"from 0 .* to the cohort's limit, 10"):
                facilitator.expect_cohort(cohort.id, wrong)  # type: ignore[arg-type]
        assert facilitator.expect_cohort(cohort.id, 10).expected == 10
        hub = facilitator.hub_cohort("course-group", ["selfcheck"], 5)
        with pytest.raises(Exception, match="each participant's own JupyterLab"):
            facilitator.expect_cohort(hub.id, 3)
        facilitator.close_cohort(cohort.id)
        assert facilitator.expected_cohorts() == []
    said = subprocess.run(
        workbook_command("cohort", "expect", "Small room", "lots", f"--db-url={db_url}"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert said.returncode == 1
    assert "how many you expect must be a whole number (got “lots”)" in said.stderr
