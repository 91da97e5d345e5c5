"""The fixtures every folder of tests shares, registered once by tests/conftest.py:

- ``servers``, ``file_servers``: a :class:`ServerFactory` each, whose servers (`jupyter
  workbook serve`, Voila, JupyterLab) stop at the end of the test or of the test file (each
  file's servers hold data its tests seed and change, so none is shared across files);
- ``browser``: Debian's Chromium, launched once per worker; what a test opens in it (each
  ``new_page`` is a context of its own) is closed after the test;
- ``postgres``, ``database``, ``empty_database``: the store's databases;
- ``built_wheel``: the project's wheel, built once per run.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plugin.databases import Database, database_of_kind, postgres
from tests.plugin.paths import ROOT
from tests.plugin.servers import CHROMIUM, CHROMIUM_ARGS, ServerFactory, live_server_logs

__all__ = [
    "browser",
    "built_wheel",
    "chromium",
    "database",
    "empty_database",
    "file_servers",
    "postgres",
    "servers",
]


def pytest_configure(config: pytest.Config) -> None:
    # The commands speak the terminal's language: the suite reads them in English whatever
    # this machine's locale (a test of another language sets its own).
    os.environ["LANGUAGE"] = "en"


# -- servers ---------------------------------------------------------------------------------


@pytest.fixture()
def servers(tmp_path: Path) -> Iterator[ServerFactory]:
    """Servers for one test, stopped after it."""
    with ServerFactory(tmp_path) as factory:
        yield factory


@pytest.fixture(scope="module")
def file_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerFactory]:
    """Servers the tests of one file share (their fixtures seed them)."""
    with ServerFactory(tmp_path_factory.mktemp("file-servers")) as factory:
        yield factory


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    # A failing test shows what its servers and their kernels said last.
    if report.failed:
        for name, tail in live_server_logs():
            report.sections.append((f"last lines of {name}", tail))
    return report


# -- the order -------------------------------------------------------------------------------

#: The files that take minutes on two CPUs, longest first: started first (pyproject turns
#: off xdist's own order by size), so the short files fill the other worker beside them.
SLOW_FIRST = (
    "tests/packaging/test_packaging.py",
    "tests/serve/test_forked.py",
    "tests/serve/test_kernels.py",
    "tests/apps/test_apps.py",
    "tests/serve/test_serve.py",
    "tests/browser/test_accessibility.py",
    "tests/serve/test_cohort.py",
    "tests/benchmarks/test_quick_runs.py",
    "tests/serve/test_team_voice.py",
    "tests/hub/test_hub.py",
    "tests/lab/test_lab_choice.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    count = Counter(item.nodeid.split("::")[0] for item in items)

    def rank(item: pytest.Item) -> tuple[int, int]:
        path = item.nodeid.split("::")[0]
        first = SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)
        return first, -count[path]  # then the files with most tests, as xdist orders them

    items.sort(key=rank)  # stable: a file's tests keep their order


# -- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Chromium through Playwright's sync API, once per worker (a launch costs ~3 s)."""
    from playwright.sync_api import expect, sync_playwright

    # A kernel answers a change after the autosave pause, and two test workers share two
    # CPUs with their kernels: allow 15 s, not Playwright's 5, for a page to catch up.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        # Unmarked until a test asks for it: session fixtures are set up before a test's
        # own, and pytest-jupyter's autouse loop must not take Playwright's for its own.
        _playwright_loop(launched, running=False)
        try:
            yield launched
        finally:
            _playwright_loop(launched, running=True)
            launched.close()


def _playwright_loop(browser: Any, *, running: bool) -> None:
    """Mark Playwright's event loop as this thread's running loop, or unmark it.

    Between two sync calls Playwright leaves its loop marked as running (see
    playwright/_impl/_greenlets.py), which makes ``asyncio.run`` and pytest-jupyter's loop
    refuse to start; a worker's later tests need it unmarked, and Playwright's calls need
    it marked again.
    """
    asyncio._set_running_loop(browser._loop if running else None)


@pytest.fixture()
def browser(chromium: Any) -> Iterator[Any]:
    """The worker's Chromium; every context (and page) the test opened is closed after it,
    so no page keeps a kernel or a link's page slot."""
    _playwright_loop(chromium, running=True)
    before = set(chromium.contexts)
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            if context not in before:
                context.close()
        _playwright_loop(chromium, running=False)


# -- databases and the wheel -----------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A database at the newest schema, on each kind the store supports."""
    return database_of_kind(request, tmp_path / "workbook.sqlite", empty=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A database with no tables yet, on each kind the store supports."""
    return database_of_kind(request, tmp_path / "workbook.sqlite", empty=True)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once per run by `pip wheel`. The build backends come from
    the test environment (the `test` extra has them) rather than an isolated one: the same
    wheel, file for file, without installing JupyterLab again for the build."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(folder),
            str(ROOT),
        ],
        check=True,
        timeout=900,
    )
    (wheel,) = folder.glob("buyin_workbook-*.whl")
    return wheel


@pytest.fixture(autouse=True)
def _a_kernel_works_out_its_visitor_anew():
    """A kernel works out whom it serves once (``current_access`` is cached); each test is a
    kernel of its own."""
    from buyin_workbook.use_cases.visitor import current_access

    current_access.cache_clear()
    yield
    current_access.cache_clear()
