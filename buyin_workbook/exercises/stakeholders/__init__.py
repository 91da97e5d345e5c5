"""Who else must buy in, and who will sell with me? Stakeholders on Mendelow's grid, where
each stands, who could champion the plan, and the obstacle and strategy checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports

if TYPE_CHECKING:
    from .content import StakeholdersContent, grid_reference, levels_reference, load_content
    from .model import StakeholdersAnswers
    from .scoring import Analysis, Champion, Conversation, analyse, progress, quadrant_for
    from .view import StakeholdersExercise


def _report(answers: StakeholdersAnswers) -> ReportPart:
    from . import charts, scoring

    analysis = scoring.analyse(answers)
    facts = [
        (
            f"Champion: {c.name}",
            "; ".join(
                part
                for part in (
                    f"sells to {c.audience}" if c.audience else "",
                    f"case: {c.case}" if c.case else "",
                )
                if part
            )
            or "audience and case not written yet",
        )
        for c in analysis.champions
    ]
    facts += [
        (
            f"Next conversation: {c.who or 'someone to name'}",
            (c.about or "topic not written yet")
            + (f" (by {c.by_when:%d %b %Y})" if c.by_when else ""),
        )
        for c in analysis.next_conversations
    ]
    report_charts = []
    if not analysis.grid.empty:
        report_charts.append(
            ReportChart(
                "stakeholders-grid",
                "Power and interest",
                charts.grid_chart(analysis.grid),
                f"{len(analysis.grid)} stakeholders",
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
        "grid_reference": ".content",
        "levels_reference": ".content",
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
