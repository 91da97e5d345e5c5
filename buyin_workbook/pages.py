"""The workbook's pages as a visitor finds them listed: each exercise, then the summary, with
its title, the question it answers, and its notebook.

One list for the JupyterLab API and for ``serve``. Importing it loads no widgets, charts or
pandas (a test checks), so neither server carries them.

A leader's own copy of a notebook (:func:`notebook_in`) has its Markdown cells in their
language: each cell is one message of the gettext catalogue, gathered by
:func:`extract_markdown_cells` (Babel's extractor for notebooks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .exercise_ids import SUMMARY
from .exercises import EXERCISES
from .languages import N_, translator

SUMMARY_NOTEBOOK = "05-summary.ipynb"
#: The facilitator's notebook (JupyterLab only: `serve` opens it to no link).
FACILITATOR_NOTEBOOK = "06-cohort.ipynb"
#: Its id in JupyterLab's list (no exercise has it).
FACILITATOR = "cohort"
#: The pages team members' links open (one per exercise that hears from the team).
MEMBER_NOTEBOOKS = tuple(e.member_notebook for e in EXERCISES.values() if e.member_notebook)
#: The member page of links made before links named their exercise (all were "About me").
ABOUT_ME = "about-me.ipynb"


def member_page(exercise: str) -> str:
    """The one page a team member's link to ``exercise`` opens."""
    declared = EXERCISES.get(exercise)
    return (declared.member_notebook if declared else None) or ABOUT_ME


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    question: str
    notebook: str


def summary_page(language: str = "en") -> Page:
    from .report.content import load_content

    content = load_content(language)
    return Page(SUMMARY, content.title, content.question, SUMMARY_NOTEBOOK)


def workbook_pages(language: str = "en") -> list[Page]:
    """Every exercise in order, then the summary, named in ``language``."""
    exercises = []
    for exercise in EXERCISES.values():
        content = exercise.content(language)
        exercises.append(Page(exercise.id, content.title, content.question, exercise.notebook))
    return [*exercises, summary_page(language)]


def facilitator_page(language: str = "en") -> Page:
    words = translator(language)
    return Page(
        FACILITATOR,
        words.gettext(N_("My course cohort in figures (facilitator)")),
        words.gettext(
            N_(
                "How did my cohort answer? Its released figures in pandas and altair, "
                "with no names."
            )
        ),
        FACILITATOR_NOTEBOOK,
    )


def lab_pages(language: str = "en") -> list[Page]:
    """What JupyterLab's launcher offers: every page (named in ``language``), then the
    facilitator's notebook."""
    return [*workbook_pages(language), facilitator_page(language)]


def _markdown(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_in(notebook: str, language: str = "en") -> dict[str, Any]:
    """The workbook's ``notebook`` (nbformat JSON) with its Markdown cells in ``language``:
    a leader's own copy. Its code stays as written (the names in it are Python's)."""
    from . import notebooks_dir

    content: dict[str, Any] = json.loads((notebooks_dir() / notebook).read_text("utf-8"))
    words = translator(language)
    for cell in content["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = words.gettext(_markdown(cell))
    return content


def extract_markdown_cells(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor for a notebook (``pyproject.toml``'s ``[tool.babel]``): each
    Markdown cell, whole, is one message; its place is the cell's number."""
    content = json.load(fileobj)
    for number, cell in enumerate(content["cells"], start=1):
        if cell["cell_type"] == "markdown" and _markdown(cell).strip():
            yield number, None, _markdown(cell), [f"Markdown cell {number} of the notebook."]
