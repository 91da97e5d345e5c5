"""Configuration shared by the notebooks, the command line and the server extension.

Options live on :class:`WorkbookConfig` as traitlets, so they can be set in the usual
Jupyter config files (``jupyter_workbook_config.py`` or ``.json`` in any directory of
``jupyter --paths``), e.g.::

    c.WorkbookConfig.db_url = "postgresql+psycopg://coach@localhost/workbook"
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir, jupyter_config_path, jupyter_data_dir
from traitlets import Float, Unicode, default
from traitlets.config import Config, Configurable
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

from . import environment as env
from ._text import N_, FilledWords

#: Environment variable that points the store at another database.
DB_URL_ENV = env.DB_URL.name

#: Base name of the workbook's config files (``.py`` and ``.json``).
CONFIG_FILE_NAME = "jupyter_workbook_config"


def default_db_path() -> Path:
    """The embedded SQLite file: one per user, in the Jupyter data directory."""
    return Path(jupyter_data_dir()) / "buyin_workbook" / "workbook.sqlite"


class WorkbookConfig(Configurable):
    """Options of the Buy-in Workbook, read by every part of it."""

    db_url = Unicode(
        help=FilledWords(
            N_(
                "SQLAlchemy URL of the database that keeps the workbook's plans and answers. "
                "Defaults to ${variable} when set, otherwise to an SQLite file in the "
                "Jupyter data directory (see `jupyter --data-dir`)."
            ),
            variable=DB_URL_ENV,
        ),
    ).tag(config=True)

    autosave_delay = Float(
        0.4,
        min=0.0,
        help=(
            "Seconds to wait after the last change before an answer is saved. Typing "
            "resets the wait, so a sentence is saved once rather than once per key."
        ),
    ).tag(config=True)

    watch_interval = Float(
        2.0,
        min=0.0,
        help=(
            "Seconds between an open exercise's looks at its plan: whether another window "
            "changed it, and (for a served link) whether the link still works. 0: never."
        ),
    ).tag(config=True)

    public_url = Unicode(
        "",
        help=N_(
            "The address clients use to reach `jupyter workbook serve`, put in front of the "
            "links that `jupyter workbook clients` prints, e.g. https://coach.example.org/ "
            "behind your HTTPS proxy. Empty: the server's own address on this machine "
            "(http://127.0.0.1:8866/ unless `serve` is told otherwise)."
        ),
    ).tag(config=True)

    cohort_service_url = Unicode(
        "",
        help=(
            "On JupyterHub: the address of the workbook's cohort service (`jupyter workbook "
            "cohort-service`) as a participant's server reaches it, e.g. "
            "http://127.0.0.1:10101/services/workbook/. Empty: asked of the hub, as the "
            "service named by `cohort_service_name`. Off a hub nothing is sent anywhere."
        ),
    ).tag(config=True)

    language = Unicode(
        "",
        help=(
            "The language of the workbook's pages in JupyterLab (en, de, fr or es) when "
            "JupyterLab's own language setting (Settings > Language) names none of them, "
            "and of the `jupyter workbook` commands' messages when the terminal's locale "
            "(LANGUAGE, LC_ALL, LC_MESSAGES, LANG) names none. Empty: English. (Served pages "
            "follow their link's ?lang=, then the language set for the client or cohort, "
            "then the reader's browser.)"
        ),
    ).tag(config=True)

    cohort_service_name = Unicode(
        "workbook",
        help="On JupyterHub: the name the cohort service has in c.JupyterHub.services.",
    ).tag(config=True)

    def link_base(self, fallback: str = "http://127.0.0.1:8866/") -> str:
        """Where client, member and coach links start (ends with a slash)."""
        base = self.public_url.strip() or fallback
        return base if base.endswith("/") else base + "/"

    @default("db_url")
    def _default_db_url(self) -> str:
        from_env = env.DB_URL.get().strip()
        if from_env:
            return from_env
        return f"sqlite:///{default_db_path()}"


def load_config_files(paths: list[str] | None = None) -> Config:
    """Merge ``jupyter_workbook_config.{json,py}`` from the Jupyter config path.

    Later entries of ``jupyter_config_path()`` are system-wide, so they are read first
    and the user's own files win, as in every Jupyter application.
    """
    merged = Config()
    for directory in reversed(paths if paths is not None else jupyter_config_path()):
        for loader_class in (JSONFileConfigLoader, PyFileConfigLoader):
            suffix = ".json" if loader_class is JSONFileConfigLoader else ".py"
            filename = CONFIG_FILE_NAME + suffix
            if not _readable_file(Path(directory) / filename):
                continue
            merged.merge(loader_class(filename, path=directory).load_config())
    return merged


def _readable_file(path: Path) -> bool:
    # A folder of the config path this user may not enter (another user's home, say)
    # holds no config for them, as Jupyter's own applications treat it.
    try:
        return path.is_file() and os.access(path, os.R_OK)
    except OSError:
        return False


#: Where JupyterLab keeps the language chosen in Settings > Language (its translation
#: extension's user settings, JSON with comments).
_LAB_LANGUAGE_SETTINGS = Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")


def lab_language() -> str:
    """The language chosen in JupyterLab's own settings ("de_DE" as "de_DE"), or "" when
    none is (JupyterLab's "default") or the settings cannot be read."""
    import json5

    folder = env.JUPYTERLAB_SETTINGS_DIR.get() or str(
        Path(jupyter_config_dir()) / "lab" / "user-settings"
    )
    try:
        settings = json5.loads((Path(folder) / _LAB_LANGUAGE_SETTINGS).read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    locale = settings.get("locale", "") if isinstance(settings, dict) else ""
    return "" if not isinstance(locale, str) or locale == "default" else locale


def leader_language(config: WorkbookConfig | None = None) -> str:
    """The language of the leader's own pages in JupyterLab: JupyterLab's setting when the
    workbook has it, else ``WorkbookConfig.language``, else English."""
    from .languages import choose_language

    config = config or load_workbook_config()
    return choose_language(lab_language() or None, config.language or None)


def terminal_language(config: WorkbookConfig | None = None) -> str:
    """The language of the commands' messages: the terminal's locale when the workbook has
    its language (``LANGUAGE``'s list first, as gettext reads it; ``C`` and ``POSIX`` name
    none), else ``WorkbookConfig.language``, else English."""
    from .languages import choose_language, known_language

    for variable in env.TERMINAL_LANGUAGES:
        for value in variable.get().split(":"):
            if (code := known_language(value)) is not None:
                return code
    config = config or load_workbook_config()
    return choose_language(None, config.language or None)


def load_workbook_config(paths: list[str] | None = None) -> WorkbookConfig:
    """The configuration a notebook kernel should use."""
    return WorkbookConfig(config=load_config_files(paths))
