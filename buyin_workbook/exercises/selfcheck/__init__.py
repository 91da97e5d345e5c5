"""Am I bought in myself? Alignment or buy-in, and the foundations of the goal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports

if TYPE_CHECKING:
    from .content import SelfCheckContent, attitudes_reference, load_content
    from .member_view import GoalInMyWords
    from .model import SelfCheckAnswers
    from .scoring import reading, sentence_findings
    from .view import SelfCheckExercise


def _report(answers: SelfCheckAnswers) -> ReportPart:
    from . import charts, scoring, their_words
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
    paragraphs = scoring.reading(answers).paragraphs
    goals = their_words.shown_goals(answers, content)
    if goals is not None:
        facts.append((content.their_words["title"], their_words.evidence_text(goals, content)))
        judged = their_words.judgement_text(goals, answers.judgements, content)
        if judged is not None:
            facts.append((content.their_words["judge_legend"], judged))
        # Sorted, not in arrival order: nothing in the report tells whose sentence is whose.
        quoted = "; ".join(f"“{g.sentence}”" for g in sorted(goals, key=lambda g: g.sentence))
        paragraphs = [*paragraphs, f"{content.their_words['title']} (without names): {quoted}."]
    return ReportPart(paragraphs, facts, report_charts)


EXERCISE = Exercise.declare(
    __name__,
    "selfcheck",
    "02-am-i-bought-in.ipynb",
    answers="SelfCheckAnswers",
    report=_report,
    member_notebook="goal-in-my-words.ipynb",
)

__getattr__ = lazy_exports(
    __name__,
    {
        "GoalInMyWords": ".member_view",
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
    "GoalInMyWords",
    "SelfCheckContent",
    "SelfCheckExercise",
    "attitudes_reference",
    "load_content",
    "reading",
    "sentence_findings",
]
