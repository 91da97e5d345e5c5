"""nbval runs the choice exercise's notebook in German: the leader's JupyterLab set to
German, its reference card must come out as the German copy stores it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]
PACKAGED = ROOT / "notebooks" / "01-how-much-choice.ipynb"
GERMAN = ROOT / "tests" / "data" / "notebooks" / "01-how-much-choice.de.ipynb"


def _sources(path: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(path.read_text("utf-8"))["cells"]]


def test_the_german_copy_is_the_packaged_notebook_with_german_outputs():
    assert _sources(GERMAN) == _sources(PACKAGED)
    assert "6 · Erkundigen" in GERMAN.read_text("utf-8")


def test_nbval_runs_the_notebook_in_german(tmp_path: Path):
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"locale": "de_DE"}', "utf-8")
    # Run outside the repository: its conftest gives the tests a JupyterLab set to nothing.
    notebook = tmp_path / GERMAN.name
    notebook.write_bytes(GERMAN.read_bytes())
    environment = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "BUYIN_WORKBOOK_DB_URL": f"sqlite:///{tmp_path / 'german.sqlite'}",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-o",
            "addopts=",
            "--nbval-lax",
            "--nbval-current-env",
            "--rootdir",
            str(tmp_path),
            str(notebook),
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
