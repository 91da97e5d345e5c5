"""What every ``jupyter workbook`` command shares, in one base application.

Its version, its config file (``jupyter_workbook_config``), the workbook's options and the
``--db-url`` alias, a store opened with them, errors printed in plain words, and: a command
with subcommands hands over to the one named, or prints its help.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from jupyter_core.application import JupyterApp

from .._version import __version__
from ..config import CONFIG_FILE_NAME, WorkbookConfig
from ..store import WorkbookStore

#: The options every command that opens the store takes.
STORE_ALIASES = {
    "db-url": "WorkbookConfig.db_url",
    "log-level": "Application.log_level",
}


class WorkbookCommand(JupyterApp):
    """The base of ``jupyter workbook`` and each of its subcommands (but ``serve``, which is
    Voila's own application with the same version, config file and options)."""

    version = __version__
    config_file_name = CONFIG_FILE_NAME
    classes: list[Any] = [WorkbookConfig]
    aliases: dict[str, Any] = dict(STORE_ALIASES)

    @property
    def workbook_config(self) -> WorkbookConfig:
        return WorkbookConfig(parent=self)

    def store(self) -> WorkbookStore:
        """The workbook's store, as the config files and the command line point to it."""
        return WorkbookStore(config=self.workbook_config)

    def fail(self, message: str) -> NoReturn:
        """Say what went wrong, in the user's words, and stop with status 1."""
        print(f"{self.name.replace('-', ' ')}: {message}", file=sys.stderr)
        self.exit(1)
        raise SystemExit(1)  # for type checkers: exit() does not return

    def start(self) -> None:
        """A command with subcommands hands over to the one named, or prints its help."""
        if self.subapp is not None:
            self.subapp.start()
            return
        self.print_help()
        self.exit(1)
