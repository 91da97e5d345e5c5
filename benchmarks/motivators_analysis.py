"""How long the motivators analysis takes for a large team, against a one-person baseline.

Target (issue: motivators): a team of 50 members x 15 motivators renders the analysis
(figures, reading, both charts' specs as the kernel sends them to the page) in under a
second. The page draws the charts (the workbook's renderer); a report file draws them with
vl-convert, timed here as its own row. Prints a table; it asserts
nothing about time, so a slow machine reports rather than fails.

    python -m benchmarks.motivators_analysis [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from buyin_workbook.exercises.motivators import charts, scoring
from buyin_workbook.exercises.motivators.content import load_content
from buyin_workbook.exercises.motivators.model import Member, MotivatorsAnswers, SelfReport
from buyin_workbook.kit.charts import chart_bundle
from buyin_workbook.report.render import to_svg

if TYPE_CHECKING:
    import altair as alt

TARGET_SECONDS = 1.0


def team(size: int, seed: int = 7) -> MotivatorsAnswers:
    """A team of ``size`` with random guesses, a third with their own order, appeals set."""
    rng = random.Random(seed)
    ids = [m.id for m in load_content().motivators]
    answers = MotivatorsAnswers(
        leader_order=rng.sample(ids, len(ids)),
        effects={m: rng.choice(["feeds", "neutral", "hurts"]) for m in ids},
    )
    for index in range(size):
        member = Member(f"m{index}", f"Person {index}")
        answers.members.append(member)
        answers.guesses[member.id] = rng.sample(ids, len(ids))
        answers.appeals[member.id] = rng.choice(ids)
        if index % 3 == 0:
            answers.self_reports[member.id] = SelfReport(
                tuple(rng.sample(ids, len(ids))), member.name, ""
            )
    return answers


def figures(answers: MotivatorsAnswers) -> None:
    scoring.analyse(answers)
    scoring.importance_frame(answers)


def _charts(answers: MotivatorsAnswers) -> list[alt.TopLevelMixin]:
    content = load_content()
    analysis = scoring.analyse(answers, content)
    importance = scoring.importance_frame(answers, content)
    return [
        charts.overlap_chart(analysis.overlaps_frame(), content),
        charts.heatmap(importance, [m.name for m in content.motivators], content),
    ]


def full_render(answers: MotivatorsAnswers) -> None:
    for chart in _charts(answers):
        chart_bundle(chart, "chart")


def report_files(answers: MotivatorsAnswers) -> None:
    for chart in _charts(answers):
        to_svg(chart)


def timed(work: Callable[[], None], repeats: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), max(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for the tests)")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 7
    one, fifty = team(1), team(50)
    full_render(one)  # warm-up: imports
    report_files(one)  # and the vega engine's first start

    rows = []
    for label, work in (
        ("figures and reading", figures),
        ("page (2 chart specs)", full_render),
        ("report file (2 SVG charts)", report_files),
    ):
        base, _ = timed(lambda w=work: w(one), repeats)
        median, worst = timed(lambda w=work: w(fifty), repeats)
        rows.append((label, base, median, worst))

    print(f"motivators analysis, {repeats} runs each, median (worst); baseline: 1 member")
    print(f"{'step':<28} {'1 member':>10} {'50 members':>12} {'worst':>8} {'ratio':>7}")
    for label, base, median, worst in rows:
        print(
            f"{label:<28} {base * 1000:>8.1f}ms {median * 1000:>10.1f}ms "
            f"{worst * 1000:>6.0f}ms {median / base:>6.1f}x"
        )
    total = rows[1][2]
    verdict = "meets" if total < TARGET_SECONDS else "misses"
    print(f"50 x 15 full render: {total:.3f} s, {verdict} the {TARGET_SECONDS:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
