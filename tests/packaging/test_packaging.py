"""The wheel a user installs: what it carries (notebooks, content, migrations, both halves
of the JupyterLab integration), and that it works installed into a clean virtual environment
with no node on the PATH. Slow (it installs JupyterLab), so the wheel is built and installed
once, in this one module.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from buyin_workbook._version import __version__
from tests.plugin.paths import ROOT


def test_wheel_ships_notebooks_content_migrations_and_extensions(built_wheel: Path):
    names = set(zipfile.ZipFile(built_wheel).namelist())
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        assert f"buyin_workbook/notebooks/{notebook}" in names
    assert "buyin_workbook/exercises/choice/content.toml" in names
    for language in ("de", "fr", "es"):  # the words of the other languages ship too
        assert f"buyin_workbook/exercises/selfcheck/content.{language}.toml" in names
    # The catalogues are compiled as the wheel is built (git holds only the .po files).
    said = {}
    for language in ("de", "fr", "es"):
        compiled = f"buyin_workbook/locale/{language}/LC_MESSAGES/buyin_workbook.mo"
        with zipfile.ZipFile(built_wheel).open(compiled) as mo:
            said[language] = gettext.GNUTranslations(mo).gettext("Language")
    assert said == {"de": "Sprache", "fr": "Langue", "es": "Idioma"}
    assert "buyin_workbook/_store/migrations/env.py" in names
    migrations = sorted(
        (ROOT / "buyin_workbook" / "_store" / "migrations" / "versions").glob("0*.py")
    )
    assert len(migrations) >= 5
    for migration in migrations:
        assert f"buyin_workbook/_store/migrations/versions/{migration.name}" in names
    for page in ("base.html", "landing.html", "coach.html", "refused.html", "error.html"):
        assert f"buyin_workbook/serve/templates/{page}" in names
    assert not [n for n in names if n.startswith("tests/")]
    data = f"buyin_workbook-{__version__}.data/data/"
    assert f"{data}share/jupyter/labextensions/buyin-workbook/package.json" in names
    assert f"{data}etc/jupyter/jupyter_server_config.d/buyin_workbook.json" in names
    for template_file in ("conf.json", "index.html.j2"):
        assert f"{data}share/jupyter/voila/templates/buyin/{template_file}" in names


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory: pytest.TempPathFactory, built_wheel: Path) -> dict[str, str]:
    work = tmp_path_factory.mktemp("wheel-install")
    target = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            # Byte-compiling every dependency is a third of the install; Python compiles
            # what it imports anyway.
            "--no-compile",
            str(built_wheel),
        ],
        check=True,
        timeout=1200,
    )
    # Only the venv and the system's basic tools: no node, no npm, no jlpm of ours.
    bare_path = os.pathsep.join([str(target / "bin"), "/usr/bin", "/bin"])
    assert shutil.which("node", path=str(target / "bin")) is None
    env = {
        "PATH": bare_path,
        "HOME": str(work / "home"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "BUYIN_WORKBOOK_DB_URL": f"sqlite:///{work / 'w.sqlite'}",
    }
    (work / "home").mkdir()
    return env


def jupyter(env: dict[str, str], *args: str) -> str:
    venv_bin = env["PATH"].split(os.pathsep)[0]
    result = subprocess.run(
        [f"{venv_bin}/jupyter", *args], env=env, capture_output=True, text=True, timeout=300
    )
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


def test_a_coach_serves_clients_from_the_installed_wheel(clean_env: dict[str, str]):
    from tests.plugin.servers import free_port, wait_for_http

    added = jupyter(clean_env, "workbook", "clients", "add", "Dana")
    key = added.strip().splitlines()[-1].split("key=")[1]
    coach = jupyter(clean_env, "workbook", "clients", "coach-link")
    coach_key = coach.strip().splitlines()[-1].split("key=")[1]
    port = free_port()
    venv_bin = clean_env["PATH"].split(os.pathsep)[0]
    server = subprocess.Popen(
        [f"{venv_bin}/jupyter", "workbook", "serve", f"--port={port}", "--pool-size=0"],
        env=clean_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", server, timeout=120)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?key={key}") as landing:
            assert 'Welcome, <span class="bw-client-name">Dana</span>' in landing.read().decode()
        page = (
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/voila/render/01-how-much-choice.ipynb?key={key}",
                timeout=180,
            )
            .read()
            .decode()
        )
        # The workbook's own template (installed by the wheel), and no code shown.
        assert 'content="Buy-in Workbook"' in page
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "from buyin_workbook.exercises import" not in page
        assert "https://" not in page.split("<body", 1)[0].replace(
            "https://www.w3.org", ""
        )  # no stylesheet or font from a CDN
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert "Coach dashboard: open your dashboard link" in output
    assert key not in output and coach_key not in output  # keys never reach the log
