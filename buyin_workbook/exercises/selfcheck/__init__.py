"""Am I bought in myself? Alignment or buy-in, and the foundations of the goal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports
from ...languages import N_, translator

if TYPE_CHECKING:
    from .content import SelfCheckContent, load_content
    from .member_view import GoalInMyWords
    from .model import SelfCheckAnswers
    from .scoring import reading, sentence_findings
    from .view import SelfCheckExercise, attitudes_reference, sentence_example


_ATTITUDE = N_("Attitude")
_WHERE = N_("Where you stand")
_STANCE = N_("Stance")
_GOAL = N_("The goal in one sentence")
_FOUNDATIONS = N_("The five foundations")
_WITHOUT_NAMES = N_("{title} (without names): {sentences}.")


def _report(answers: SelfCheckAnswers, content: SelfCheckContent) -> ReportPart:
    from . import charts, scoring, their_words

    say = translator(content.language)
    facts = []
    report_charts = []
    if answers.attitude:
        attitude = content.attitude(answers.attitude)
        facts.append(
            (say.gettext(_ATTITUDE), f"{attitude.name} ({content.states[attitude.state]})")
        )
        report_charts.append(
            ReportChart(
                "selfcheck-ladder",
                say.gettext(_WHERE),
                charts.ladder_chart(attitude.id, content),
                attitude.name,
            )
        )
    if answers.stance:
        stance = next(s.label for s in content.stances if s.id == answers.stance)
        facts.append((say.gettext(_STANCE), stance))
    if answers.sentence:
        facts.append((say.gettext(_GOAL), answers.sentence))
    profile = scoring.foundation_profile(answers, content)
    if not profile.empty:
        report_charts.append(
            ReportChart(
                "selfcheck-foundations",
                say.gettext(_FOUNDATIONS),
                charts.foundations_chart(profile, content),
                ", ".join(f"{r.foundation} {r.score}" for r in profile.itertuples()),
            )
        )
    paragraphs = scoring.reading(answers, content).paragraphs
    goals = their_words.shown_goals(answers, content)
    if goals is not None:
        facts.append((content.their_words["title"], their_words.evidence_text(goals, content)))
        judged = their_words.judgement_text(goals, answers.judgements, content)
        if judged is not None:
            facts.append((content.their_words["judge_legend"], judged))
        # Sorted, not in arrival order: nothing in the report tells whose sentence is whose.
        quoted = "; ".join(say.quoted(g.sentence) for g in sorted(goals, key=lambda g: g.sentence))
        title = content.their_words["title"]
        paragraphs = [*paragraphs, say.gettext(_WITHOUT_NAMES, title=title, sentences=quoted)]
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
        "attitudes_reference": ".view",
        "sentence_example": ".view",
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
    "sentence_example",
    "sentence_findings",
]
