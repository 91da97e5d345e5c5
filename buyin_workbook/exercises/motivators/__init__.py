"""Where do my team's motivators overlap with mine and with the plan?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kit.declaration import Exercise, ReportChart, ReportPart, lazy_exports
from ...languages import N_, Nn_, translator

if TYPE_CHECKING:
    from .content import MotivatorsContent, load_content
    from .model import MotivatorsAnswers
    from .scoring import analyse, plan_overlap, profile_overlap, spearman
    from .view import AboutMe, MotivatorsExercise, catalogue_reference


_PEOPLE = N_("People")
_OVERLAP = N_("Overlap with the plan and with you")
_OVERLAP_OF = N_("{member}: plan {plan}, me {me}")
_WHAT_MOVES = N_("What moves each person")
_HOW_MANY = Nn_("{count} person", "{count} people")


def _shown(overlap: object) -> str:
    """An overlap as the report's words give it: rounded, a dash when there is none."""
    return f"{overlap:.0f}" if isinstance(overlap, int | float) and overlap == overlap else "\u2013"


def _report(answers: MotivatorsAnswers, content: MotivatorsContent) -> ReportPart:
    from . import charts, scoring

    say = translator(content.language)
    analysis = scoring.analyse(answers, content)
    facts = [(say.gettext(_PEOPLE), say.number(len(answers.members)))]
    report_charts = []
    overlaps = analysis.overlaps_frame()
    if analysis.members and overlaps[["plan", "me"]].notna().any().any():
        report_charts.append(
            ReportChart(
                "motivators-overlap",
                say.gettext(_OVERLAP),
                charts.overlap_chart(overlaps, content),
                "; ".join(
                    say.gettext(_OVERLAP_OF, member=r.member, plan=_shown(r.plan), me=_shown(r.me))
                    for r in overlaps.itertuples()
                ),
            )
        )
    if analysis.members:
        importance = scoring.importance_frame(answers, content)
        names = [m.name for m in scoring.catalogue(answers, content)]
        report_charts.append(
            ReportChart(
                "motivators-heatmap",
                say.gettext(_WHAT_MOVES),
                charts.heatmap(importance, names, content),
                say.ngettext(*_HOW_MANY, len(analysis.members)),
            )
        )
    guides = scoring.guide_paragraphs(analysis, content)
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
        "catalogue_reference": ".view",
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
