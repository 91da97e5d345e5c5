"""Keeps every test, notebook kernels included, away from the user's real workbook."""

import os
import tempfile

# jp_fetch, jp_serverapp and friends, for the server extension's tests.
pytest_plugins = ["pytest_jupyter.jupyter_server"]

_SESSION_DIR = tempfile.TemporaryDirectory(prefix="buyin-workbook-tests-")


def pytest_configure(config):
    # Kernels started by nbval inherit this environment.
    os.environ["BUYIN_WORKBOOK_DB_URL"] = f"sqlite:///{_SESSION_DIR.name}/notebooks.sqlite"
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
