"""The README's two commands set up the workbook once: `scripts/_install.sh` decides when an
install has anything to do (checked against this checkout's own environment, which the test
command has just set up with the test extras)."""

from __future__ import annotations

import subprocess

from tests.plugin.paths import ROOT


def _needed(*extras: str) -> bool:
    done = subprocess.run(
        ["bash", "-c", 'source scripts/_install.sh && workbook_install_needed "$@"', "_", *extras],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


def test_a_start_after_the_tests_installs_nothing_and_a_new_extra_installs():
    """`./scripts/test` installed the test extras: `./scripts/start` (no extras) then has
    nothing to do, nor has the test command again; an extra not installed yet has."""
    assert not _needed("test")
    assert not _needed()
    assert _needed("test", "postgres-not-an-extra-yet")


def test_the_extras_to_install_keep_those_installed_under_the_scripts_strict_mode(tmp_path):
    """As `scripts/start` and `scripts/test` source it (`set -euo pipefail`): no extras
    file yet and no extra asked is no extra, not a failure; one installed before stays."""

    def extras(*asked: str) -> str:
        done = subprocess.run(
            [
                "bash",
                "-c",
                f'set -euo pipefail; source "{ROOT}/scripts/_install.sh"; _workbook_extras "$@"',
                "_",
                *asked,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert extras() == ""
    assert extras("test") == "test"
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "workbook-extras").write_text("test\n")
    assert extras() == "test"
    assert extras("postgres") == "postgres,test"
