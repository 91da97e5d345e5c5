import re

import pandas as pd

from buyin_workbook.exercises.choice import charts, scoring
from buyin_workbook.exercises.choice.content import load_content
from buyin_workbook.exercises.choice.model import ChoiceAnswers, Decision
from buyin_workbook.kit.charts import chart_bundle
from buyin_workbook.report.render import to_svg
from tests.plugin.charts import chart_spec

LABELS = ["Goal", "<script>alert('x')</script>", "Tools 🚀"]


def rated() -> ChoiceAnswers:
    answers = ChoiceAnswers()
    for index, label in enumerate(LABELS):
        answers.decisions.append(Decision(f"d{index}", label))
        for dim in ("what", "how"):
            answers.ratings[(f"d{index}", dim, "today")] = 1 + index
            answers.ratings[(f"d{index}", dim, "possible")] = 3 + index
    return answers


def _datasets(spec: dict) -> list[pd.DataFrame]:
    return [pd.DataFrame(rows) for rows in spec["datasets"].values()]


def test_choice_chart_plots_today_and_possible_for_every_decision_and_dimension():
    frame = scoring.ratings_frame(rated())
    spec = charts.choice_chart(frame).to_dict()
    points = pd.concat([d for d in _datasets(spec) if "moment" in d])
    assert len(points) == 12
    assert set(points["decision"]) == set(LABELS)
    assert sorted(points["moment"].unique()) == ["Most I could give", "Today"]
    goal_what = points[(points["decision"] == "Goal") & (points["dimension"] == "what")]
    assert sorted(goal_what["level"]) == [1, 3]


def test_choice_chart_legend_names_low_medium_and_high():
    spec = charts.choice_chart(scoring.ratings_frame(rated())).to_dict()
    zones = next(d for d in _datasets(spec) if "zone" in d)
    assert list(zones["zone"]) == [zone.label for zone in load_content().zones]
    assert [z.split(":")[0] for z in zones["zone"]] == ["Low", "Medium", "High"]


def test_headroom_chart_colours_by_band_with_its_legend():
    by_decision = scoring.headroom_by_decision(scoring.ratings_frame(rated()))
    spec = charts.headroom_chart(by_decision).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == [b.label for b in load_content().headroom_bands]
    assert colour["title"] == "Choice headroom"


def test_svg_is_self_contained_and_escapes_user_text():
    svg = to_svg(charts.choice_chart(scoring.ratings_frame(rated())))
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert not re.search(r"(href|src)=\"https?://", svg)


def test_bundle_carries_a_text_alternative():
    bundle = chart_bundle(
        charts.headroom_chart(scoring.headroom_by_decision(scoring.ratings_frame(rated()))),
        "Headroom: Goal 4",
    )
    assert bundle["text/plain"] == "Headroom: Goal 4"
    spec = chart_spec({"data": bundle})
    assert spec["title"] == load_content().chart["headroom_title"]
