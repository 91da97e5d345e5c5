"""Am I bought in myself? Alignment or buy-in, and the foundations of the goal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._exercise import Exercise, ReportChart, ReportPart, lazy_exports

if TYPE_CHECKING:
    from .content import SelfCheckContent, attitudes_reference, load_content
    from .model import SelfCheckAnswers
    from .scoring import reading, sentence_findings
    from .view import SelfCheckExercise


def _report(answers: SelfCheckAnswers) -> ReportPart:
    from . import charts, scoring
    from .content import load_content

    content = load_content()
    facts = []
    report_charts = []
    if answers.attitude:
        attitude = content.attitude(answers.attitude)
        facts.append(("Attitude", f"{attitude.name} ({content.states[attitude.state]})"))
        report_charts.append(
            ReportChart(
                "selfcheck-ladder",
                "Where you stand",
                charts.ladder_chart(attitude.id),
                attitude.name,
            )
        )
    if answers.stance:
        facts.append(("Stance", next(s.label for s in content.stances if s.id == answers.stance)))
    if answers.sentence:
        facts.append(("The goal in one sentence", answers.sentence))
    profile = scoring.foundation_profile(answers)
    if not profile.empty:
        report_charts.append(
            ReportChart(
                "selfcheck-foundations",
                "The five foundations",
                charts.foundations_chart(profile),
                ", ".join(f"{r.foundation} {r.score}" for r in profile.itertuples()),
            )
        )
    return ReportPart(scoring.reading(answers).paragraphs, facts, report_charts)


EXERCISE = Exercise.declare(
    __name__, "selfcheck", "02-am-i-bought-in.ipynb", answers="SelfCheckAnswers", report=_report
)

__getattr__ = lazy_exports(
    __name__,
    {
        "SelfCheckContent": ".content",
        "attitudes_reference": ".content",
        "load_content": ".content",
        "reading": ".scoring",
        "sentence_findings": ".scoring",
        "SelfCheckExercise": ".view",
    },
)
__all__ = [
    "EXERCISE",
    "SelfCheckContent",
    "SelfCheckExercise",
    "attitudes_reference",
    "load_content",
    "reading",
    "sentence_findings",
]
