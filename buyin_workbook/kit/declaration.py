"""What the rest of the workbook knows of an exercise: one :class:`Exercise` its package
declares in its ``__init__.py``.

An exercise is one folder: ``content.toml`` and ``content.py`` (its words), ``model.py``
(its answers as plain data), ``scoring.py`` (pure functions), ``charts.py`` (altair),
``view.py`` (ipywidgets), and the declaration. The declaration's functions take the plain
``{key: value}`` answers the store keeps and import the rest only when called, so listing
the exercises (the JupyterLab API, ``serve``) loads no widgets, charts or pandas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

from ..languages import translator

if TYPE_CHECKING:
    from .cohort import CohortValues
    from .content import ExerciseContent

#: The answers of one exercise in one plan, as the store keeps them: ``{key: value}``.
Values = dict[str, Any]
#: The few numbers the history follows over time: ``{name: value}``.
Figures = dict[str, float | str | None]
#: Where a plan stands on an exercise.
Progress = Literal["not started", "in progress", "done"]


@dataclass(frozen=True)
class ReportChart:
    """One chart of the summary report, with its text alternative."""

    name: str
    title: str
    #: An altair chart.
    chart: Any
    #: What the chart shows, in words (screen readers, the Markdown export).
    description: str


def figure_name(key: str, language: str = "en", templates: Sequence[str] = ()) -> str:
    """A snapshot figure's name (kept in English, as the scoring wrote it) in ``language``:
    from the catalogues, as written or by the template with blanks it was made from."""
    words = translator(language)
    said = words.gettext(key)
    if said != key or language == "en":
        return said
    for template in templates:
        parts = re.split(r"\{(\w+)\}", template)  # text, blank, text, ...
        blanks = "".join(
            f"(?P<{part}>.+?)" if n % 2 else re.escape(part) for n, part in enumerate(parts)
        )
        found = re.fullmatch(blanks, key)
        if found:
            return words.gettext(template, **found.groupdict())
    return key


@dataclass(frozen=True)
class ReportPart:
    """What one exercise puts into the plan's summary report."""

    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)


@dataclass(frozen=True)
class Exercise:
    """One exercise, as its package declares it."""

    #: Its name in the store, in links and in the API.
    id: str
    #: Its thin notebook, among the packaged notebooks.
    notebook: str
    #: Loads its words in a language (:class:`~._content.ExerciseContent`; English unless
    #: told).
    content: Callable[..., ExerciseContent]
    #: Where a plan stands on it, from its stored answers.
    progress: Callable[[Values], Progress]
    #: The numbers its snapshots keep, from its stored answers.
    figures: Callable[[Values], Figures]
    #: Its part of the summary report, from its stored answers, in a language (English
    #: unless told).
    report: Callable[..., ReportPart]
    #: What it gives a course cohort's figures, from its stored answers (``_cohort.py``).
    cohort_values: Callable[[Values], CohortValues]
    #: Its answers as its model holds them (``model.<answers>``), from its stored answers.
    read_answers: Callable[[Values], Any]
    #: Its package (``buyin_workbook.exercises.<folder>``), whose modules are named as above.
    package: str = ""
    #: The thin notebook a team member's link opens, if the exercise hears from the team.
    member_notebook: str | None = None
    #: A snapshot figure's name in a language (snapshots keep the English name).
    figure_name: Callable[..., str] = figure_name

    @classmethod
    def declare(
        cls,
        package: str,
        id: str,
        notebook: str,
        *,
        answers: str,
        report: Callable[[Any, Any], ReportPart],
        member_notebook: str | None = None,
    ) -> Exercise:
        """The exercise of a folder laid out as every exercise is: ``content.load_content()``,
        ``model.<answers>.from_store(values)``, and ``scoring.progress(answers)``,
        ``scoring.figures(answers)`` and ``scoring.cohort_values(answers)``; ``report`` takes
        the answers and the content in the report's language."""

        def module(name: str) -> Any:
            return import_module(f".{name}", package)

        def answers_of(values: Values) -> Any:
            return getattr(module("model"), answers).from_store(values)

        return cls(
            id,
            notebook,
            content=lambda language="en": module("content").load_content(language),
            progress=lambda values: module("scoring").progress(answers_of(values)),
            figures=lambda values: module("scoring").figures(answers_of(values)),
            report=lambda values, language="en": report(
                answers_of(values), module("content").load_content(language)
            ),
            cohort_values=lambda values: module("scoring").cohort_values(answers_of(values)),
            read_answers=answers_of,
            package=package,
            member_notebook=member_notebook,
            figure_name=lambda key, language="en": figure_name(
                key, language, getattr(module("scoring"), "FIGURE_TEMPLATES", ())
            ),
        )

    @property
    def title(self) -> str:
        return self.content().title

    @property
    def question(self) -> str:
        return self.content().question


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name from its module when first used.

    ``exports`` maps a public name to the module (relative to ``package``) defining it, so
    ``choice.ChoiceExercise`` works while importing the package stays light.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(exports[name], package), name)

    return __getattr__
