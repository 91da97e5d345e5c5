"""How much choice can I give? The team's say over WHAT the plan is and HOW it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports
from ...languages import N_, Nn_, translator

if TYPE_CHECKING:
    from .content import ChoiceContent, load_content
    from .member_view import MySay
    from .model import ChoiceAnswers
    from .scoring import reading
    from .view import ChoiceExercise, levels_reference


_DECISIONS = N_("Decisions listed")
_HEADROOM = N_("Choice headroom")
_LEVELS = Nn_("{count} level", "{count} levels")
_TODAY_AND_MOST = N_("Today and the most you could give")
_PER_DECISION = N_("Delegation levels per decision. Headroom per decision: {per_decision}.")
_HAND_OVER = N_("Levels you could hand over")


def _report(answers: ChoiceAnswers, content: ChoiceContent) -> ReportPart:
    from . import charts, scoring, team_say

    say = translator(content.language)
    frame = scoring.ratings_frame(answers)
    facts = [(say.gettext(_DECISIONS), say.number(len(answers.decisions)))]
    report_charts = []
    if not frame.empty:
        by_decision = scoring.headroom_by_decision(frame, content)
        total = int(by_decision["total"].sum())
        facts.append((say.gettext(_HEADROOM), say.ngettext(*_LEVELS, total)))
        per_decision = ", ".join(f"{r.decision}: {r.total}" for r in by_decision.itertuples())
        report_charts = [
            ReportChart(
                "choice-today-and-possible",
                say.gettext(_TODAY_AND_MOST),
                charts.choice_chart(frame, content),
                say.gettext(_PER_DECISION, per_decision=per_decision),
            ),
            ReportChart(
                "choice-headroom",
                say.gettext(_HAND_OVER),
                charts.headroom_chart(by_decision, content),
                per_decision,
            ),
        ]
    paragraphs = scoring.reading(answers, content).paragraphs
    shown = team_say.shown_team_say(answers)
    if shown:
        gap = team_say.felt_say_gap(shown)
        if gap is not None:
            facts.append(
                (content.team_say["fact"], content.text("team_say", "fact_value", gap=gap))
            )
        findings = [f.text for f in team_say.say_findings(shown, content)]
        paragraphs = [*paragraphs, *(findings or [content.team_say["none"]])]
        say_frame = team_say.team_say_frame(shown)
        report_charts.append(
            ReportChart(
                "choice-team-say",
                content.team_say["chart_title"],
                charts.team_say_chart(say_frame, content),
                team_say.say_description(say_frame, content),
            )
        )
    board = scoring.delegation_board(answers, content)
    if board is not None:
        paragraphs = [*paragraphs, board]
    return ReportPart(paragraphs, facts, report_charts)


EXERCISE = Exercise.declare(
    __name__,
    "choice",
    "01-how-much-choice.ipynb",
    answers="ChoiceAnswers",
    report=_report,
    member_notebook="my-say.ipynb",
)

__getattr__ = lazy_exports(
    __name__,
    {
        "MySay": ".member_view",
        "ChoiceContent": ".content",
        "levels_reference": ".view",
        "load_content": ".content",
        "reading": ".scoring",
        "ChoiceExercise": ".view",
    },
)
__all__ = [
    "EXERCISE",
    "ChoiceContent",
    "ChoiceExercise",
    "MySay",
    "levels_reference",
    "load_content",
    "reading",
]
