"""The README's two commands set up the workbook once: `scripts/_install.sh` decides when an
install has anything to do (checked against this checkout's own environment, which the test
command has just set up with the test extras)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.plugin.paths import ROOT


def _checkout(folder: Path) -> Path:
    """A checkout as the install step sees it (the files its stamp is made of), set up with
    the test extras: what `./scripts/test` leaves."""
    for name in (
        "pyproject.toml",
        "hatch_build.py",
        "extension/package.json",
        "extension/yarn.lock",
        "extension/src/index.ts",
        "extension/style/base.css",
        "share/jupyter/voila/templates/buyin/index.html.j2",
        "buyin_workbook/locale/de/LC_MESSAGES/buyin_workbook.po",
        "buyin_workbook/labextension/package.json",
        ".venv/bin/python",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    (folder / ".venv/bin/python").chmod(0o755)
    _bash(folder, "_workbook_sources_stamp > .venv/workbook-installed")
    (folder / ".venv/workbook-extras").write_text("test\n")
    return folder


def _bash(folder: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "bash",
            "-c",
            f'set -euo pipefail; source "{ROOT}/scripts/_install.sh"; {script}',
            "_",
            *args,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _needed(folder: Path, *extras: str) -> bool:
    done = _bash(folder, 'workbook_install_needed "$@"', *extras)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


def test_a_start_after_the_tests_installs_nothing_and_a_new_extra_installs(tmp_path: Path):
    """`./scripts/test` installed the test extras: `./scripts/start` (no extras) then has
    nothing to do, nor has the test command again; an extra not installed yet has, and so
    has a change to what the install is built from (a catalogue, say)."""
    checkout = _checkout(tmp_path)
    assert not _needed(checkout, "test")
    assert not _needed(checkout)
    assert _needed(checkout, "test", "postgres")
    (checkout / "buyin_workbook/locale/de/LC_MESSAGES/buyin_workbook.po").write_text("changed")
    assert _needed(checkout)


def test_the_extras_to_install_keep_those_installed_under_the_scripts_strict_mode(tmp_path):
    """As `scripts/start` and `scripts/test` source it (`set -euo pipefail`): no extras
    file yet and no extra asked is no extra, not a failure; one installed before stays."""

    def extras(*asked: str) -> str:
        done = _bash(tmp_path, '_workbook_extras "$@"', *asked)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert extras() == ""
    assert extras("test") == "test"
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "workbook-extras").write_text("test\n")
    assert extras() == "test"
    assert extras("postgres") == "postgres,test"
