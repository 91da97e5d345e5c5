"""`jupyter workbook` as a user runs it: a real subprocess on a real database."""

import os
import subprocess
import sys
from pathlib import Path

from workbook.store import WorkbookStore

COMMAND = [sys.executable, "-m", "jupyter", "workbook"]


def run(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url}
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=180)


def test_help_lists_the_subcommands(tmp_path: Path):
    result = run("--help", db_url=f"sqlite:///{tmp_path / 'w.sqlite'}", cwd=tmp_path)
    assert result.returncode == 0
    assert "export" in result.stdout
    export_help = run("export", "--help", db_url=f"sqlite:///{tmp_path / 'w.sqlite'}",
                      cwd=tmp_path)
    assert "--format" in export_help.stdout and "--output" in export_help.stdout


def test_export_by_name_in_any_case(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.create_plan("Q3 Platform Migration")
    result = run("export", "q3 platform migration", "--format=html,md,share",
                 "--output=out", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["buyin-workbook-q3-platform-migration-for-my-coach.zip",
                       "buyin-workbook-q3-platform-migration.html",
                       "buyin-workbook-q3-platform-migration.md"]
    assert "html  out/buyin-workbook-q3-platform-migration.html" in result.stdout


def test_an_unknown_plan_lists_the_real_ones_and_fails(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.create_plan("Rota")
    result = run("export", "Nope", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "No plan called “Nope”. Your plans: 1: Rota." in result.stderr


def test_a_damaged_database_is_reported_not_traced(tmp_path: Path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 10)
    result = run("export", "x", db_url=f"sqlite:///{broken}", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot be read" in result.stderr and "Traceback" not in result.stderr
