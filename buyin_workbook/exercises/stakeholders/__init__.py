"""Who else must buy in, and who will sell with me? Stakeholders on Mendelow's grid, where
each stands, who could champion the plan, and the obstacle and strategy checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports
from ...languages import N_, Nn_, translator

if TYPE_CHECKING:
    from .content import StakeholdersContent, load_content
    from .model import StakeholdersAnswers
    from .scoring import Analysis, Champion, Conversation, analyse, progress, quadrant_for
    from .view import StakeholdersExercise, grid_reference, levels_reference


_CHAMPION = N_("Champion: {name}")
_SELLS_TO = N_("sells to {audience}")
_CASE = N_("case: {case}")
_NOT_WRITTEN = N_("audience and case not written yet")
_NEXT = N_("Next conversation: {who}")
_SOMEONE = N_("someone to name")
_NO_TOPIC = N_("topic not written yet")
_BY = N_("(by {day})")
_GRID = N_("Power and interest")
_HOW_MANY = Nn_("{count} stakeholder", "{count} stakeholders")


def _report(answers: StakeholdersAnswers, content: StakeholdersContent) -> ReportPart:
    from . import charts, scoring

    say = translator(content.language)
    analysis = scoring.analyse(answers, content=content)
    facts = [
        (
            say.gettext(_CHAMPION, name=c.name),
            "; ".join(
                part
                for part in (
                    say.gettext(_SELLS_TO, audience=c.audience) if c.audience else "",
                    say.gettext(_CASE, case=c.case) if c.case else "",
                )
                if part
            )
            or say.gettext(_NOT_WRITTEN),
        )
        for c in analysis.champions
    ]
    facts += [
        (
            say.gettext(_NEXT, who=c.who or say.gettext(_SOMEONE)),
            (c.about or say.gettext(_NO_TOPIC))
            + (" " + say.gettext(_BY, day=say.short_day(c.by_when)) if c.by_when else ""),
        )
        for c in analysis.next_conversations
    ]
    report_charts = []
    if not analysis.grid.empty:
        report_charts.append(
            ReportChart(
                "stakeholders-grid",
                say.gettext(_GRID),
                charts.grid_chart(analysis.grid, content),
                say.ngettext(*_HOW_MANY, len(analysis.grid)),
            )
        )
    return ReportPart(analysis.paragraphs, facts, report_charts)


EXERCISE = Exercise.declare(
    __name__, "stakeholders", "04-stakeholders.ipynb", answers="StakeholdersAnswers", report=_report
)

__getattr__ = lazy_exports(
    __name__,
    {
        "StakeholdersContent": ".content",
        "grid_reference": ".view",
        "levels_reference": ".view",
        "load_content": ".content",
        "StakeholdersAnswers": ".model",
        "Analysis": ".scoring",
        "Champion": ".scoring",
        "Conversation": ".scoring",
        "analyse": ".scoring",
        "progress": ".scoring",
        "quadrant_for": ".scoring",
        "StakeholdersExercise": ".view",
    },
)
__all__ = [
    "EXERCISE",
    "Analysis",
    "Champion",
    "Conversation",
    "StakeholdersAnswers",
    "StakeholdersContent",
    "StakeholdersExercise",
    "analyse",
    "grid_reference",
    "levels_reference",
    "load_content",
    "progress",
    "quadrant_for",
]
