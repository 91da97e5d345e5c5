"""Where do my team's motivators overlap with mine and with the plan?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports

if TYPE_CHECKING:
    from .content import MotivatorsContent, catalogue_reference, load_content
    from .model import MotivatorsAnswers
    from .scoring import analyse, plan_overlap, profile_overlap, spearman
    from .view import AboutMe, MotivatorsExercise


def _report(answers: MotivatorsAnswers) -> ReportPart:
    from . import charts, scoring

    analysis = scoring.analyse(answers)
    facts = [("People", str(len(answers.members)))]
    report_charts = []
    overlaps = analysis.overlaps_frame()
    if analysis.members and overlaps[["plan", "me"]].notna().any().any():
        report_charts.append(
            ReportChart(
                "motivators-overlap",
                "Overlap with the plan and with you",
                charts.overlap_chart(overlaps),
                "; ".join(f"{r.member}: plan {r.plan}, me {r.me}" for r in overlaps.itertuples()),
            )
        )
    if analysis.members:
        importance = scoring.importance_frame(answers)
        names = [m.name for m in scoring.catalogue(answers)]
        report_charts.append(
            ReportChart(
                "motivators-heatmap",
                "What moves each person",
                charts.heatmap(importance, names),
                f"{len(analysis.members)} people",
            )
        )
    guides = scoring.guide_paragraphs(analysis)
    return ReportPart([*analysis.paragraphs, *guides], facts, report_charts)


EXERCISE = Exercise.declare(
    __name__,
    "motivators",
    "03-motivators.ipynb",
    answers="MotivatorsAnswers",
    report=_report,
    member_notebook="about-me.ipynb",
)

__getattr__ = lazy_exports(
    __name__,
    {
        "MotivatorsContent": ".content",
        "catalogue_reference": ".content",
        "load_content": ".content",
        "analyse": ".scoring",
        "plan_overlap": ".scoring",
        "profile_overlap": ".scoring",
        "spearman": ".scoring",
        "AboutMe": ".view",
        "MotivatorsExercise": ".view",
    },
)
__all__ = [
    "EXERCISE",
    "AboutMe",
    "MotivatorsContent",
    "MotivatorsExercise",
    "analyse",
    "catalogue_reference",
    "load_content",
    "plan_overlap",
    "profile_overlap",
    "spearman",
]
