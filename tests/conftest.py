"""Shared fixtures: the built wheel, Debian's Chromium through Playwright cut off from the
network, and the databases the store runs on (an SQLite file and a real PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests._databases import Database, database_of_kind, postgres
from tests._servers import CHROMIUM, CHROMIUM_ARGS

__all__ = ["postgres"]  # a session fixture: one PostgreSQL cluster per test worker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _a_kernel_works_out_its_visitor_anew():
    """A kernel works out whom it serves once (``current_access`` is cached); each test is a
    kernel of its own."""
    from buyin_workbook.use_cases.visitor import current_access

    current_access.cache_clear()
    yield
    current_access.cache_clear()


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


@pytest.fixture()
def browser():
    from playwright.sync_api import expect, sync_playwright

    # A kernel answers a change after the autosave pause, and two test workers share two
    # CPUs with their kernels: allow 15 s, not Playwright's 5, for a page to catch up.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A database at the newest schema, on each kind the store supports."""
    return database_of_kind(request, tmp_path / "workbook.sqlite", empty=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A database with no tables yet, on each kind the store supports."""
    return database_of_kind(request, tmp_path / "workbook.sqlite", empty=True)
