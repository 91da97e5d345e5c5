"""The workbook's pages as a visitor finds them listed: each exercise, then the summary, with
its title, the question it answers, and its notebook.

One list for the JupyterLab API and for ``serve``. Importing it loads no widgets, charts or
pandas (a test checks), so neither server carries them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .exercise_ids import SUMMARY
from .exercises import EXERCISES

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


def facilitator_page() -> Page:
    return Page(
        FACILITATOR,
        "My course cohort in figures (facilitator)",
        "How did my cohort answer? Its released figures in pandas and altair, with no names.",
        FACILITATOR_NOTEBOOK,
    )


def lab_pages(language: str = "en") -> list[Page]:
    """What JupyterLab's launcher offers: every page (named in ``language``), then the
    facilitator's notebook."""
    return [*workbook_pages(language), facilitator_page()]
