"""Every command's ``--help`` in the terminal's language: German, French and Spanish with no
English word left but the names of options, settings and code; in English, every option
traitlets would list."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from traitlets.config.application import Application
from traitlets.utils.importstring import import_item

from buyin_workbook.apps.workbookapp import WorkbookApp
from tests.apps.test_apps import COMMAND
from tests.plugin.languages import english_left

#: What is code, not words: `quoted`, [settings], 'values', options, addresses, variables,
#: paths and dotted names (WorkbookConfig.language).
_CODE = re.compile(r"`[^`]*`|\[[^\]]*\]|'[^']*'|\S*(?:--|://|[=$_/<>@])\S*|\w+\.\w[\w.]*")


def _commands() -> Iterator[tuple[str, type[Any]]]:
    """Every command, as a person types it after `jupyter workbook`, and its application."""
    waiting: list[tuple[str, type[Any]]] = [("", WorkbookApp)]
    while waiting:
        command, app = waiting.pop(0)
        yield command, app
        subcommands = (
            app.subcommands if isinstance(app.subcommands, dict) else {}
        )  # Voila's: a trait
        for name, (path, _) in subcommands.items():
            waiting.append((f"{command} {name}".strip(), import_item(path)))


COMMANDS = dict(_commands())


def _help(app: type[Any]) -> str:
    return "\n".join(app().emit_help())


def _prose(help_text: str) -> str:
    """The help's words: no option line, underline or example command line, no code."""
    lines = [
        line
        for line in help_text.splitlines()
        if not line.strip().startswith(("-", "=", "jupyter workbook"))
    ]
    return _CODE.sub(" ", "\n".join(lines))


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch):
    """Sets the terminal's language, as `LANGUAGE` does (the rest of the locale unset)."""

    def speak(language: str) -> None:
        for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("LANGUAGE", language)

    return speak


def test_every_command_is_listed():
    assert {"", "serve", "clients add", "cohort create", "cohort-service", "export"} <= set(
        COMMANDS
    )
    assert len(COMMANDS) == 22


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_every_commands_help_speaks_the_terminals_language(terminal, language: str):
    terminal(language)
    for command, app in COMMANDS.items():
        shown = _help(app)
        # "share" is one of export's formats, listed by name.
        assert english_left(_prose(shown), names=("share",)) == [], (command, shown)


def test_the_english_help_lists_every_option_traitlets_would(terminal):
    """The workbook writes its help itself: each flag and option traitlets lists is there,
    with the value it takes, its help, its default and the setting it stands for."""
    terminal("C")
    for command, app_class in COMMANDS.items():
        app = app_class()
        shown = _help(app_class)
        theirs = [
            *Application.emit_flag_help(app),
            *Application.emit_alias_help(app),
        ]
        headers = [line for line in theirs if line.startswith("-")]
        assert headers, command
        for header in headers:
            assert f"\n{header}\n" in shown, (command, header)
        settings = re.findall(r"Equivalent to: \[.*\]", "\n".join(theirs))
        assert len(settings) == shown.count("Equivalent to: ["), command
        for setting in settings:
            assert setting in shown, (command, setting)
        if app.examples:
            assert "Examples\n--------" in shown, command


def test_each_command_lists_the_options_that_matter(terminal):
    terminal("C")
    expected = {
        "": ["serve", "clients", "cohort", "cohort-service", "export"],
        "serve": ["--pool-size", "--cull-idle-timeout", "--port", "--public-url", "--db-url"],
        "clients": ["add", "list", "revoke", "renew", "erase", "coach-link"],
        "clients add": ["--public-url", "--db-url", "--language"],
        "clients erase": ["--yes"],
        "cohort-service": ["--db-url", "--exercises", "--min-group", "--facilitator-scope"],
        "export": ["--format", "--output", "--client", "--language"],
    }
    for command, options in expected.items():
        shown = _help(COMMANDS[command])
        for option in options:
            assert f"\n{option}" in shown, (command, option)
    # One option a meaning: not Voila's own pool, template or notebook argument beside ours.
    serve = _help(COMMANDS["serve"])
    for voila_only in ("--pool_size", "notebook_path", "--template", "--theme", "--preheat"):
        assert voila_only not in serve, voila_only
    assert serve.count("--pool-size=<Int>") == 1


def test_help_through_the_command_line():
    """As a person types it: `jupyter workbook --help` lists the subcommands; `serve` is
    Voila's application, and its --help in French shows serve's own defaults (its loopback
    address, not Voila's), as the terminal's locale asks."""
    locale = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    env = {k: v for k, v in os.environ.items() if k not in locale}

    def run(language: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, *args, "--help"],
            capture_output=True,
            text=True,
            env={**env, "LANG": language},
            timeout=180,
        )

    # Each is a Python start-up of its own: side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        parent = pool.submit(run, "C.UTF-8")
        french = pool.submit(run, "fr_FR.UTF-8", "serve")
    listed = parent.result()
    assert listed.returncode == 0, listed.stderr
    assert "Subcommands\n===========" in listed.stdout
    for subcommand in ("serve", "clients", "cohort", "cohort-service", "export"):
        assert f"\n{subcommand}\n" in listed.stdout
    result = french.result()
    assert result.returncode == 0, result.stderr
    assert "Options\n=======" in result.stdout
    assert "L’adresse sur laquelle serve écoute" in result.stdout
    assert "Par défaut : '127.0.0.1'" in result.stdout
    assert english_left(_prose(result.stdout)) == [], result.stdout
