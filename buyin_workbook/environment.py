"""Every environment variable the workbook reads or sets, declared once with what it means.

Settings belong in traitlets (``WorkbookConfig`` and the commands' options); these are the
variables a process is handed: the one a user may set (the database), the ones ``serve``
gives its kernels, and the ones Voila and JupyterHub set for the workbook to read. Code reads
them through :meth:`Variable.get`, never through ``os.environ`` with a name of its own (a test
holds that), and the settings reference lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    #: Who sets it: "you", "serve", "Voila" or "JupyterHub".
    set_by: str
    help: str
    default: str = ""

    def get(self) -> str:
        return os.environ.get(self.name, self.default)

    def set(self, value: str) -> None:
        os.environ[self.name] = value


DB_URL = Variable(
    "BUYIN_WORKBOOK_DB_URL",
    "you",
    "The default database URL (any SQLAlchemy URL), as JUPYTER_TOKEN is Jupyter's default "
    "token; a config file's WorkbookConfig.db_url overrides it. serve sets it for its kernels.",
)
SERVED = Variable(
    "BUYIN_WORKBOOK_SERVED",
    "serve",
    "1 in the kernels of `jupyter workbook serve`: each kernel then works for the visitor whose "
    "link opened its page, never for the leader who runs the server.",
)
LINK_BASE = Variable(
    "BUYIN_WORKBOOK_LINK_BASE",
    "serve",
    "Where the served pages' links start, as serve printed them (ends with a slash): the "
    "member links a client makes begin with it.",
)
KERNEL_SECRET = Variable(
    "BUYIN_WORKBOOK_KERNEL_SECRET",
    "serve",
    "A secret serve gives each kernel it starts: a pre-heated kernel shows it to learn its "
    "page's link, so no one else who knows the kernel's id can ask for that link.",
)
VOILA_PREHEAT = Variable(
    "VOILA_PREHEAT", "Voila", "True in a kernel Voila starts before its page is asked for."
)
VOILA_APP_IP = Variable(
    "VOILA_APP_IP", "Voila", "The address Voila listens on, for a kernel's calls back.", "127.0.0.1"
)
VOILA_APP_PORT = Variable("VOILA_APP_PORT", "Voila", "The port Voila listens on.", "8866")
VOILA_SERVER_URL = Variable("VOILA_SERVER_URL", "Voila", "Voila's base path on its server.", "/")
VOILA_BASE_URL = Variable("VOILA_BASE_URL", "Voila", "Voila's base URL in page links.", "/")
VOILA_KERNEL_ID = Variable("VOILA_KERNEL_ID", "Voila", "The id of the kernel Voila started.")
QUERY_STRING = Variable(
    "QUERY_STRING", "Voila", "The query string of the page a kernel serves (its link's key)."
)
ACCEPT_LANGUAGE = Variable(
    "HTTP_ACCEPT_LANGUAGE",
    "Voila",
    "The languages the browser of the page a kernel serves accepts (its Accept-Language).",
)
SERVER_NAME = Variable(
    "SERVER_NAME",
    "Voila",
    "The host a page was asked for, when serve set no link base.",
    "127.0.0.1",
)
SERVER_PORT = Variable("SERVER_PORT", "Voila", "The port a page was asked on.", "8866")
JUPYTERLAB_SETTINGS_DIR = Variable(
    "JUPYTERLAB_SETTINGS_DIR",
    "JupyterLab",
    "Where JupyterLab keeps its user settings (its language among them).",
)
#: The terminal's language, as gettext reads it: the first of these that names a language
#: the workbook has gives the commands' messages theirs.
TERMINAL_LANGUAGES = tuple(
    Variable(name, "you", f"The terminal's language ({role}): the commands' messages follow it.")
    for name, role in (
        ("LANGUAGE", "a list, most wanted first, separated by colons"),
        ("LC_ALL", "over every other locale setting"),
        ("LC_MESSAGES", "for messages"),
        ("LANG", "the locale's default"),
    )
)
JUPYTERHUB_API_URL = Variable(
    "JUPYTERHUB_API_URL",
    "JupyterHub",
    "The hub's API, in a user's server on JupyterHub: the workbook then sends its anonymous "
    "figures to the cohort service.",
)
JUPYTERHUB_API_TOKEN = Variable(
    "JUPYTERHUB_API_TOKEN", "JupyterHub", "The token a user's server or a service calls with."
)
JUPYTERHUB_PUBLIC_URL = Variable(
    "JUPYTERHUB_PUBLIC_URL", "JupyterHub", "The hub's address as users' browsers reach it."
)
JUPYTERHUB_SERVICE_URL = Variable(
    "JUPYTERHUB_SERVICE_URL", "JupyterHub", "Where the cohort service listens, as the hub set it."
)
JUPYTERHUB_SERVICE_PREFIX = Variable(
    "JUPYTERHUB_SERVICE_PREFIX",
    "JupyterHub",
    "The cohort service's path on the hub.",
    "/services/workbook/",
)

ALL: tuple[Variable, ...] = (
    DB_URL,
    *TERMINAL_LANGUAGES,
    SERVED,
    LINK_BASE,
    KERNEL_SECRET,
    VOILA_PREHEAT,
    VOILA_APP_IP,
    VOILA_APP_PORT,
    VOILA_SERVER_URL,
    VOILA_BASE_URL,
    VOILA_KERNEL_ID,
    QUERY_STRING,
    ACCEPT_LANGUAGE,
    SERVER_NAME,
    SERVER_PORT,
    JUPYTERLAB_SETTINGS_DIR,
    JUPYTERHUB_API_URL,
    JUPYTERHUB_API_TOKEN,
    JUPYTERHUB_PUBLIC_URL,
    JUPYTERHUB_SERVICE_URL,
    JUPYTERHUB_SERVICE_PREFIX,
)
