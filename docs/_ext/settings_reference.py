"""Writes the settings reference from the traitlets themselves, so it cannot drift: every
configurable option of the workbook and its commands, with its type, default and help."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from traitlets import HasTraits, TraitType

OUT = "_generated/settings-reference.md"


def _classes() -> list[type[HasTraits]]:
    from buyin_workbook.apps.clientsapp import ClientsApp
    from buyin_workbook.apps.cohortapp import CohortApp
    from buyin_workbook.apps.cohortserviceapp import CohortServiceApp
    from buyin_workbook.apps.exportapp import ExportApp
    from buyin_workbook.apps.serveapp import ServeApp
    from buyin_workbook.config import WorkbookConfig

    return [WorkbookConfig, ServeApp, CohortServiceApp, ExportApp, ClientsApp, CohortApp]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(trait: TraitType[Any, Any]) -> str:
    value = trait.default_value_repr()
    return f"`{_cell(value)}`" if value else ""


def reference() -> str:
    """The reference as MyST Markdown: one table a class, own options only."""
    lines = [
        "Every option below can be set in `jupyter_workbook_config.py` (or `.json`) as",
        "`c.Class.name = value`, or on the command line as `--Class.name=value`.",
        "",
    ]
    for cls in _classes():
        own = {
            name: trait
            for name, trait in sorted(cls.class_traits(config=True).items())
            if name in cls.__dict__
        }
        if not own:
            continue
        lines += [f"## `{cls.__name__}`", "", _cell(inspect.getdoc(cls) or ""), ""]
        lines += ["| option | type | default | what it does |", "| --- | --- | --- | --- |"]
        for name, trait in own.items():
            kind = type(trait).__name__
            lines.append(
                f"| `{cls.__name__}.{name}` | {kind} | {_default(trait)} | {_cell(trait.help)} |"
            )
        lines.append("")
    lines += _environment()
    return "\n".join(lines)


def _environment() -> list[str]:
    from buyin_workbook import environment

    lines = [
        "## Environment variables",
        "",
        "Settings go in the options above; these are what a process is handed. Only the first",
        "is yours to set; the others are set by `serve`, Voila or JupyterHub, for the",
        "workbook to read.",
        "",
        "| variable | set by | default | what it means |",
        "| --- | --- | --- | --- |",
    ]
    for variable in environment.ALL:
        default = f"`{variable.default}`" if variable.default else ""
        lines.append(
            f"| `{variable.name}` | {variable.set_by} | {default} | {_cell(variable.help)} |"
        )
    return [*lines, ""]


def _write(app: Sphinx) -> None:
    target = Path(app.srcdir) / OUT
    target.parent.mkdir(exist_ok=True)
    text = reference()
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "version": "1"}
