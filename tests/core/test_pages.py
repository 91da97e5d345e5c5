"""The page catalogue, and what the two servers load when they start."""

import json
from pathlib import Path

import pytest

import buyin_workbook
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.pages import FACILITATOR_NOTEBOOK, SUMMARY, workbook_pages
from tests.plugin.fresh import fresh_python


def test_every_exercise_in_order_then_the_summary():
    pages = workbook_pages()
    assert [p.id for p in pages] == [*EXERCISES, SUMMARY]
    assert [p.notebook for p in pages] == [
        "01-how-much-choice.ipynb",
        "02-am-i-bought-in.ipynb",
        "03-motivators.ipynb",
        "04-stakeholders.ipynb",
        "05-summary.ipynb",
    ]
    assert all(p.title and p.question and "\n" not in p.question for p in pages)


@pytest.mark.parametrize(
    "server",
    ["buyin_workbook.lab_api", "buyin_workbook.serve.handlers", "buyin_workbook.apps.serveapp"],
)
def test_a_server_loads_no_widgets_charts_or_pandas(server: str):
    code = (
        f"import sys, {server}, buyin_workbook.pages\n"
        "buyin_workbook.pages.workbook_pages()\n"
        "print(sorted(m for m in ('ipywidgets', 'altair', 'pandas', 'vl_convert') "
        "if m in sys.modules))"
    )
    assert fresh_python(code).strip() == "[]"


def test_the_stores_list_of_exercise_ids_is_the_registrys():
    """The store checks a cohort's exercises against ``EXERCISE_IDS`` (it imports no
    exercise); the registry must list the same, in the same order."""
    from buyin_workbook.exercise_ids import EXERCISE_IDS
    from buyin_workbook.exercises import EXERCISES

    assert tuple(EXERCISES) == EXERCISE_IDS


def test_a_leaders_notebooks_hold_no_words_of_their_own():
    """An exercise's, the summary's and a team member's notebooks say every word through
    the workbook (its content files, in the page's language): no Markdown cell of English
    stays behind when the page speaks German. (The facilitator's notebook, English for now,
    teaches pandas in its own words.)"""
    notebooks = Path(buyin_workbook.__file__).parent.parent / "notebooks"
    found = sorted(notebooks.glob("*.ipynb"))
    assert len(found) >= 8
    for path in found:
        if path.name == FACILITATOR_NOTEBOOK:
            continue
        cells = json.loads(path.read_text("utf-8"))["cells"]
        assert [c for c in cells if c["cell_type"] == "markdown"] == [], path.name
