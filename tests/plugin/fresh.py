"""Code run in a fresh interpreter: what a kernel or a server imports, seen from outside."""

from __future__ import annotations

import subprocess
import sys

from tests.plugin.paths import ROOT


def fresh_python(code: str, timeout: float = 120) -> str:
    """The standard output of ``code`` run by a new Python process (in the project root)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
