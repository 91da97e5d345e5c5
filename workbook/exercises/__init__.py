"""The workbook's exercises; each is content (data), scoring (pure), view (widgets), charts.

:data:`EXERCISES` lists them in the order a leader works through them, with what the summary,
the history and (later) the app server need to know of each, computed from the store's plain
``{key: value}`` answers so no widget is involved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Values = dict[str, Any]
Figures = dict[str, float | str | None]


@dataclass(frozen=True)
class Exercise:
    id: str
    notebook: str
    #: Loads the exercise's content (its words), which has ``title`` and ``question``.
    content: Callable[[], Any]
    #: "not started", "in progress" or "done".
    progress: Callable[[Values], str]
    #: The few numbers the history follows over time (name -> value).
    figures: Callable[[Values], Figures]

    @property
    def title(self) -> str:
        return str(self.content().title)

    @property
    def question(self) -> str:
        return str(self.content().question)


def _content(module: str) -> Callable[[], Any]:
    def load() -> Any:
        from importlib import import_module

        return import_module(f"{__name__}.{module}.content").load_content()

    return load


def _choice_progress(values: Values) -> str:
    from .choice.model import ChoiceAnswers
    from .choice.scoring import progress

    return progress(ChoiceAnswers.from_store(values))


def _choice_figures(values: Values) -> Figures:
    from .choice.model import ChoiceAnswers
    from .choice.scoring import headroom_by_decision, ratings_frame

    frame = ratings_frame(ChoiceAnswers.from_store(values))
    if frame.empty:
        return {"choice headroom (levels)": None, "team's say today (average level)": None}
    by_decision = headroom_by_decision(frame)
    return {"choice headroom (levels)": int(by_decision["total"].sum()),
            "team's say today (average level)": round(float(frame["today"].mean()), 2)}


def _selfcheck_progress(values: Values) -> str:
    from .selfcheck.model import SelfCheckAnswers
    from .selfcheck.scoring import progress

    return progress(SelfCheckAnswers.from_store(values))


def _selfcheck_figures(values: Values) -> Figures:
    from .selfcheck.content import load_content
    from .selfcheck.model import SelfCheckAnswers

    answers = SelfCheckAnswers.from_store(values)
    content = load_content()
    scores = list(answers.scores.values())
    return {
        "attitude (7 commitment … 1 apathy)":
            content.attitude(answers.attitude).rank if answers.attitude else None,
        "foundations (average of 5)": round(sum(scores) / len(scores), 2) if scores else None,
    }


def _motivators_progress(values: Values) -> str:
    from .motivators.model import MotivatorsAnswers
    from .motivators.scoring import progress

    return progress(MotivatorsAnswers.from_store(values))


def _motivators_figures(values: Values) -> Figures:
    from .motivators.model import MotivatorsAnswers
    from .motivators.scoring import analyse

    analysis = analyse(MotivatorsAnswers.from_store(values))
    figures: Figures = {}
    plan = [r.plan_overlap for r in analysis.members if r.plan_overlap is not None]
    figures["overlap with the plan (average)"] = round(sum(plan) / len(plan), 1) if plan else None
    for result in analysis.members:
        if result.plan_overlap is not None:
            figures[f"overlap with the plan: {result.member.name}"] = result.plan_overlap
    return figures


def _stakeholders_progress(values: Values) -> str:
    from .stakeholders.model import StakeholdersAnswers
    from .stakeholders.scoring import progress

    return progress(StakeholdersAnswers.from_store(values))


def _stakeholders_figures(values: Values) -> Figures:
    from .stakeholders.model import StakeholdersAnswers
    from .stakeholders.scoring import figures

    return figures(StakeholdersAnswers.from_store(values))


EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise for exercise in (
        Exercise("choice", "01-how-much-choice.ipynb", _content("choice"),
                 _choice_progress, _choice_figures),
        Exercise("selfcheck", "02-am-i-bought-in.ipynb", _content("selfcheck"),
                 _selfcheck_progress, _selfcheck_figures),
        Exercise("motivators", "03-motivators.ipynb", _content("motivators"),
                 _motivators_progress, _motivators_figures),
        Exercise("stakeholders", "04-stakeholders.ipynb", _content("stakeholders"),
                 _stakeholders_progress, _stakeholders_figures),
    )
}


@dataclass(frozen=True)
class ExerciseProgress:
    """Where one plan stands on one exercise."""

    id: str
    title: str
    notebook: str
    #: "not started", "in progress" or "done".
    progress: str
    #: When an answer last changed (ISO 8601), or ``None``.
    last_changed: str | None


def plan_progress(store: Any, plan_id: int) -> list[ExerciseProgress]:
    """Each exercise's progress in one plan of ``store`` (a :class:`WorkbookStore`)."""
    result = []
    for exercise in EXERCISES.values():
        answers = store.answers(plan_id, exercise.id)
        values = {key: answer.value for key, answer in answers.items()}
        result.append(ExerciseProgress(
            exercise.id, exercise.title, exercise.notebook, exercise.progress(values),
            max((a.updated_at for a in answers.values()), default=None)))
    return result
