"""A real JupyterHub for the hub tests: JupyterHub's own proxy (configurable-http-proxy from
the npm registry), a local-process spawner running each user's JupyterLab from this
environment, a shared-password authenticator for test users, cohort groups, the
facilitator's role, and the workbook's cohort service as a hub-managed service."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.plugin.paths import ROOT
from tests.plugin.servers import free_port

PROXY = ROOT / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "workbook-hub-test"
ADMIN_TOKEN = "admin-" + "5f0c1e2d3b4a69788796a5b4c3d2e1f0"
#: The scopes a user's own server token carries: the service's, if the user holds them.
SERVER_TOKEN_SCOPES = [
    "users:activity!user",
    "access:servers!server",
    "access:services!service=workbook",
    "read:services!service=workbook",
    "custom:workbook:facilitate",
]

_CONFIG = """\
import json
from tests.plugin.paths import ROOT
c = get_config()  # noqa: F821
settings = json.loads({settings!r})
c.JupyterHub.bind_url = settings["public"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = settings["proxy_api"]
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = "sqlite:///" + settings["folder"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = settings["folder"] + "/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = settings["folder"] + "/proxy.pid"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = settings["password"]
c.Authenticator.allowed_users = set(settings["users"])
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = settings["folder"] + "/homes/{{username}}"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.args = settings["server_args"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.server_token_scopes = settings["server_token_scopes"]
c.JupyterHub.load_groups = {{g: {{"users": u}} for g, u in settings["groups"].items()}}
c.JupyterHub.custom_scopes = {{
    "custom:workbook:facilitate": {{"description": "Facilitate Buy-in Workbook cohorts"}},
}}
c.JupyterHub.load_roles = [
    {{
        "name": "workbook-facilitator",
        "scopes": settings["facilitator_scopes"],
        "groups": ["facilitators"],
    }},
    {{
        "name": "workbook-user",
        "scopes": ["access:services!service=workbook", "read:services!service=workbook"],
        "groups": [g for g in settings["groups"] if g != "strangers"],
    }},
    {{"name": "admin", "services": ["test-admin"]}},
]
c.JupyterHub.services = [
    {{
        "name": "workbook",
        "url": settings["service_url"],
        "command": settings["service_command"],
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": ["custom:workbook:facilitate"],
        "environment": {{"PYTHONUNBUFFERED": "1"}},
    }},
    {{"name": "test-admin", "api_token": settings["admin_token"]}},
]
"""


def hub_missing_reason() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed: JupyterHub's proxy needs it (the README's test command)"
    if not PROXY.exists():
        return (
            "configurable-http-proxy is not installed in tests/hub; the README's test command "
            "installs it (npm ci in tests/hub)."
        )
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed; `pip install -e '.[test]'` installs it."
    return None


@dataclass
class Hub:
    url: str
    api_url: str
    folder: Path
    process: subprocess.Popen

    def api(self, method: str, path: str, body: Any = None, token: str = ADMIN_TOKEN) -> Any:
        """A call to the hub's REST API (as the test's admin service unless told)."""
        status, data = call(f"{self.api_url}{path}", token, method, body)
        assert status < 300, (method, path, status, data)
        return data

    def start_servers(self, *users: str) -> None:
        """Each user's own JupyterLab, started through the hub as a login would."""
        # The hub answers 202 while a server is still starting: start them all, then wait.
        threads = [
            threading.Thread(target=self.api, args=("POST", f"/users/{user}/server"))
            for user in users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 180
        for user in users:
            while not self.api("GET", f"/users/{user}").get("servers", {}).get("", {}).get("ready"):
                assert time.monotonic() < deadline, f"{user}'s server did not start"
                time.sleep(0.3)

    def token(self, user: str) -> str:
        """A token of the user's own, with the scopes their server's token has."""
        scopes = ["access:services!service=workbook", "read:services!service=workbook"]
        return self.api("POST", f"/users/{user}/tokens", {"scopes": scopes})["token"]

    def service(self) -> str:
        """The cohort service's address through the hub's proxy."""
        return f"{self.url}services/workbook/"


def call(url: str, token: str | None, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    """An HTTP call with a hub token; its status and JSON (or text) body."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", f"token {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@contextmanager
def running_hub(
    folder: Path,
    service_db_url: str,
    groups: dict[str, list[str]],
    facilitates: tuple[str, ...] = ("cohort-leading-change",),
    service_args: tuple[str, ...] = (),
) -> Iterator[Hub]:
    """JupyterHub on loopback with the workbook's cohort service, until the block ends. The
    group "facilitators" facilitates the cohorts named in ``facilitates``."""
    folder.mkdir(parents=True, exist_ok=True)
    port, hub_port, proxy_port, service_port = (free_port() for _ in range(4))
    bin_dir = Path(sys.executable).parent
    users = sorted({user for members in groups.values() for user in members})
    settings = {
        "public": f"http://127.0.0.1:{port}",
        "hub_port": hub_port,
        "proxy_api": f"http://127.0.0.1:{proxy_port}",
        "proxy": str(PROXY),
        "folder": str(folder),
        "password": PASSWORD,
        "users": users,
        "singleuser": str(bin_dir / "jupyterhub-singleuser"),
        "server_args": ["--allow-root"] if os.getuid() == 0 else [],
        "server_token_scopes": SERVER_TOKEN_SCOPES,
        "groups": groups,
        "service_url": f"http://127.0.0.1:{service_port}",
        "service_command": [
            str(bin_dir / "jupyter-workbook"),
            "cohort-service",
            f"--db-url={service_db_url}",
            *service_args,
        ],
        "admin_token": ADMIN_TOKEN,
        "facilitator_scopes": [f"custom:workbook:facilitate!group={g}" for g in facilitates],
    }
    for user in users:
        # Each user already answered JupyterLab's "notified about news?" question (no), so
        # its toast does not sit over the pages the tests look at.
        settings_dir = folder / "homes" / user / ".jupyter" / "lab" / "user-settings"
        notification = settings_dir / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    config = folder / "jupyterhub_config.py"
    config.write_text(_CONFIG.format(settings=json.dumps(settings)))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTERHUB_", "BUYIN_WORKBOOK_"))
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    with (folder / "hub.log").open("a") as log:
        process = subprocess.Popen(
            [str(bin_dir / "jupyterhub"), "-f", str(config)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = Hub(f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/hub/api", folder, process)
        try:
            _wait_until_up(hub)
            yield hub
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)


def _wait_until_up(hub: Hub) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited; see {hub.folder / 'hub.log'}")
        try:
            status, _ = call(hub.api_url + "/", None)
            service, _ = call(hub.service() + "api/me", ADMIN_TOKEN)
        except (urllib.error.URLError, OSError):
            status = service = 0
        if status == 200 and service == 403:  # the service answers, refusing a non-person
            return
        time.sleep(0.3)
    raise RuntimeError(f"JupyterHub did not answer; see {hub.folder / 'hub.log'}")
