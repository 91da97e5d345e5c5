"""A crowd a facilitator announces (`cohort create --expect N`) finds its first pages warm,
and the warm pages go back once they have come or no one more is expected."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from buyin_workbook.store import WorkbookStore
from tests.plugin.protocol import Visit, has_class, http_client
from tests.plugin.servers import ServerFactory, workbook_cli, workbook_command

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


def test_an_expected_crowd_finds_its_pages_warm_and_they_go_back_after(
    servers: ServerFactory, tmp_path: Path
):
    db_url = f"sqlite:///{tmp_path / 'course.sqlite'}"
    made = workbook_cli(
        db_url, "cohort", "create", "Tuesday room", "--exercises=selfcheck", "--expect=3"
    )
    assert "3 expected" in made
    workbook_cli(db_url, "cohort", "create", "Thursday room", "--exercises=selfcheck")
    with WorkbookStore(db_url) as facilitator:
        tuesday = facilitator.find_cohort("Tuesday room")
        keys = [facilitator.join_cohort(tuesday.id, f"Guest {n}")[1] for n in range(3)]
    url = servers.workbook(db_url, "--ServeApp.crowd_check=1")
    serve = psutil.Process(url.process.pid)
    # The pool, and a warm self-check page for each of the three expected.
    assert _until_kernels(serve, POOL + 3) == POOL + 3

    async def the_room() -> None:
        pages = [Visit(f"{url}voila/render/{SELFCHECK}?key={key}") for key in keys]
        await asyncio.gather(
            *(page.open(http_client(), has_class("bw-plan-picker"), 120) for page in pages)
        )
        text = url.log.read_text()
        assert text.count("Using pre-heated kernel: ") >= 3, "no warm pages for the crowd"
        assert "Warm pages of 02-am-i-bought-in.ipynb for expected participants: 3" in text
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
