"""What every ``jupyter workbook`` command shares, in one base application.

Its version, its config file (``jupyter_workbook_config``), the workbook's options and the
``--db-url`` alias, a store opened with them, errors printed in plain words, and: a command
with subcommands hands over to the one named, or prints its help.
"""

from __future__ import annotations

import sys
from abc import abstractmethod
from typing import Any, NoReturn

from jupyter_core.application import JupyterApp

from .._text import N_, Said, TextError
from .._version import __version__
from ..config import CONFIG_FILE_NAME, WorkbookConfig
from ..languages import LANGUAGE_NAMES
from ..store import StoreError, WorkbookStore
from ._help import TranslatedHelp

#: Jupyter's own options of every command, in the workbook's words (said in the terminal's
#: language, as the rest of ``--help``).
_JUPYTER_FLAG_HELP = {
    "debug": N_("Log everything the command does (the DEBUG level)."),
    "show-config": N_("Show the settings the command would use, and where each was set."),
    "show-config-json": N_("Show the same settings, as JSON."),
    "generate-config": N_(
        "Write a config file with every setting, each commented out, in Jupyter's config "
        "folder (`jupyter --config-dir`)."
    ),
    "y": N_("Answer yes to every question instead of asking."),
}
_LOG_LEVEL_HELP = N_(
    "How much the command logs: a level's name (DEBUG, INFO, WARN, ERROR, CRITICAL) or number."
)

#: The languages a coach or facilitator may set for their people, as an option's help lists
#: them ("de (Deutsch)").
LANGUAGE_CHOICES = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())

#: The options every command that opens the store takes.
STORE_ALIASES: dict[str, Any] = {
    "db-url": "WorkbookConfig.db_url",
    "log-level": ("Application.log_level", _LOG_LEVEL_HELP),
}


_NO_NAME = N_("this command takes no name (see --help).")


class WorkbookCommand(TranslatedHelp, JupyterApp):
    """The base of ``jupyter workbook`` and each of its subcommands (but ``serve``, which is
    Voila's own application with the same version, config file and options). Its ``--help``
    and messages are in the terminal's language (``words``)."""

    version = __version__
    config_file_name = CONFIG_FILE_NAME
    classes: list[Any] = [WorkbookConfig]
    aliases: dict[str, Any] = dict(STORE_ALIASES)
    flags: dict[Any, Any] = {
        name: (settings, _JUPYTER_FLAG_HELP.get(name, help_text))
        for name, (settings, help_text) in JupyterApp.flags.items()
    }

    @property
    def workbook_config(self) -> WorkbookConfig:
        return WorkbookConfig(parent=self)

    def store(self) -> WorkbookStore:
        """The workbook's store, as the config files and the command line point to it."""
        return WorkbookStore(config=self.workbook_config)

    def say(self, message: str, **values: object) -> None:
        """Print ``message`` (words with ``{blanks}``) in the terminal's language. Its words
        are gathered into the catalogues as ``fail``'s are (scripts/catalogues' keywords)."""
        print(self.words.gettext(message, **values))

    def fail(self, message: str, **values: object) -> NoReturn:
        """Say what went wrong (words with ``{blanks}``, in the user's terms and language),
        and stop with status 1."""
        self._stop(self.words.gettext(message, **values))

    def fail_with(self, error: Said) -> NoReturn:
        """Stop with an error written for the user (the store's, a text's, a report's), said
        in the terminal's language."""
        self._stop(self.words.said(error))

    def _stop(self, said: str) -> NoReturn:
        print(f"{self.name.replace('-', ' ')}: {said}", file=sys.stderr)
        self.exit(1)
        raise SystemExit(1)  # for type checkers: exit() does not return

    def start(self) -> None:
        """A command with subcommands hands over to the one named, or prints its help."""
        if self.subapp is not None:
            self.subapp.start()
            return
        self.print_help()
        self.exit(1)


class LinksCommand(WorkbookCommand):
    """A command that opens the store, works on what it names and may print served links
    (the `clients` and `cohort` subcommands)."""

    aliases = {**STORE_ALIASES, "public-url": "WorkbookConfig.public_url"}
    #: How many names the command takes (0, 1 or 2).
    takes_name = 1

    _link_base = ""
    _store: WorkbookStore | None = None

    def name_hint(self) -> str:
        """What to say when the command is not given the one name it takes."""
        return N_("name one (see --help).")

    def link(self, path: str, key: str) -> str:
        if not self._link_base:
            assert self._store is not None, "links are made while the store is open"
            self._link_base = self._links_start(self._store)
        return f"{self._link_base}{path}?key={key}"

    def start(self) -> None:
        if len(self.extra_args) != self.takes_name:
            self.fail(self.name_hint() if self.takes_name else _NO_NAME)
        try:
            with self.store() as store:
                self._store = store
                self.run(store, *self.extra_args)
        except (StoreError, TextError) as error:
            self.fail_with(error)

    def _links_start(self, store: WorkbookStore) -> str:
        """The public URL if set; else where the last `serve` of this store said its links
        point; else the default address, and the command says it assumed it."""
        if self.workbook_config.public_url.strip():
            return self.workbook_config.link_base()
        served = store.served_link_base()
        if served:
            return served
        assumed = self.workbook_config.link_base()
        self.say(
            N_(
                "(`jupyter workbook serve` has not run on this store yet: links assume it will "
                "serve at {address}. Set --public-url, or run `serve` first, if not.)"
            ),
            address=assumed,
        )
        return assumed

    @abstractmethod
    def run(self, store: WorkbookStore, *names: str) -> None:
        """Do the command's work with the open store."""
