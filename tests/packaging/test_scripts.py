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
