"""A user's install: the wheel into a clean virtual environment with no node on the PATH.

Both halves of the JupyterLab integration must come from the wheel alone: the prebuilt
labextension and the enabled server extension. Slow (it installs JupyterLab), so it runs once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory: pytest.TempPathFactory, built_wheel: Path) -> dict[str, str]:
    work = tmp_path_factory.mktemp("wheel-install")
    target = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = target / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", str(built_wheel)], check=True, timeout=1200)
    # Only the venv and the system's basic tools: no node, no npm, no jlpm of ours.
    bare_path = os.pathsep.join([str(target / "bin"), "/usr/bin", "/bin"])
    assert shutil.which("node", path=str(target / "bin")) is None
    env = {"PATH": bare_path, "HOME": str(work / "home"), "JUPYTER_PLATFORM_DIRS": "1",
           "BUYIN_WORKBOOK_DB_URL": f"sqlite:///{work / 'w.sqlite'}"}
    (work / "home").mkdir()
    return env


def jupyter(env: dict[str, str], *args: str) -> str:
    venv_bin = env["PATH"].split(os.pathsep)[0]
    result = subprocess.run([f"{venv_bin}/jupyter", *args], env=env, capture_output=True,
                            text=True, timeout=300)
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # no colours


def test_node_is_not_needed(clean_env: dict[str, str]):
    assert shutil.which("node", path=clean_env["PATH"].split(os.pathsep)[0]) is None


def test_labextension_is_installed_and_enabled(clean_env: dict[str, str]):
    listing = jupyter(clean_env, "labextension", "list")
    line = next((line for line in listing.splitlines() if "buyin-workbook" in line), "")
    assert "enabled" in line and "OK" in line, listing


def test_server_extension_is_enabled(clean_env: dict[str, str]):
    listing = jupyter(clean_env, "server", "extension", "list")
    assert "workbook enabled" in listing, listing
    assert re.search(r"workbook \S+ OK", listing), listing
