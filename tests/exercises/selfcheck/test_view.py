"""Drives "Am I bought in myself?" in-process, as a user would, against a real store."""

from datetime import date
from pathlib import Path

import pytest

from buyin_workbook.exercises.selfcheck import SelfCheckExercise
from buyin_workbook.store import WorkbookStore
from tests.plugin.charts import chart_spec


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workbook.sqlite'}"


def started(db_url: str) -> SelfCheckExercise:
    exercise = SelfCheckExercise(WorkbookStore(db_url))
    exercise.picker.new_name.value = "Q3 platform migration"
    exercise.picker.create.click()
    return exercise


def test_walkthrough_reading_charts_store_and_restore(db_url: str):
    exercise = started(db_url)
    assert "Pick your attitude" in exercise.reading_html.value
    assert exercise.ladder.outputs == () and exercise.profile.outputs == ()

    # Step 2.
    exercise.attitude.value = "genuine_compliance"
    exercise.stance.value = "bought_in"
    (ladder,) = exercise.ladder.outputs
    assert "Genuine compliance (agreement)" in ladder["data"]["text/plain"]

    # Step 3, with evidence; an over-long one is refused and the earlier one kept.
    for foundation_id, score in {
        "clear": 4,
        "compelling": 2,
        "realistic": 3,
        "consistent": 3,
        "understood": 5,
    }.items():
        exercise.scores[foundation_id].value = score
    evidence = exercise._text_answers["foundation/compelling/evidence"][0]
    evidence.value = "The team asked <b>why</b> twice"
    evidence.value = "x" * 501
    assert "limit is 500" in exercise._text_answers["foundation/compelling/evidence"][1].value
    (profile,) = exercise.profile.outputs
    assert "Compelling 2" in profile["data"]["text/plain"]
    chart_spec(profile)

    # Step 4: the checks show, with their caveat; markup stays text.
    exercise.sentence.value = "Leverage synergies <script>x</script> by Q3."
    findings = exercise.findings.value
    assert "✗ Vague words: “leverage” and “synergies”" in findings
    assert "✓ Names a time (Q3)" in findings
    assert "rules of thumb" in findings
    assert "<script>" not in findings

    # Step 5: two conditions, one removed.
    exercise.movers.add.click()
    exercise.movers.add.click()
    first, second = exercise.movers.list.children
    first.children[0].value = "Budget for the second team confirmed"
    when, whom, _remove = first.children[1].children
    when.value = date(2027, 1, 15)
    whom.value = "My director"
    second.children[0].value = "to be removed"
    second.children[1].children[2].click()
    assert len(exercise.movers.list.children) == 1

    # Step 6.
    reading = exercise.reading_html.value
    assert "premature" in reading and "genuine compliance, which is agreement" in reading
    assert "You call yourself bought in" in reading
    assert "Weakest foundation: Compelling (2 of 5)" in reading
    assert "“Budget for the second team confirmed”, by 15 Jan 2027, from My director" in reading
    assert "passes 3 of 6 checks" in reading  # length, one sentence, time
    assert exercise.progress() == "done"
    plan_id = exercise.plan.id
    exercise.close_store()

    with WorkbookStore(db_url) as store:
        saved = {k: a.value for k, a in store.answers(plan_id, "selfcheck").items()}
    assert saved["attitude"] == "genuine_compliance"
    assert saved["foundation/compelling/score"] == 2
    assert saved["foundation/compelling/evidence"] == "The team asked <b>why</b> twice"
    assert [m["what"] for m in saved["movers"]] == ["Budget for the second team confirmed"]
    assert saved["movers"][0]["by_when"] == "2027-01-15"

    again = SelfCheckExercise(WorkbookStore(db_url))
    assert again.attitude.value == "genuine_compliance"
    assert again.stance.value == "bought_in"
    assert again.scores["understood"].value == 5
    assert again.sentence.value == "Leverage synergies <script>x</script> by Q3."
    assert (
        again._text_answers["foundation/compelling/evidence"][0].value
        == "The team asked <b>why</b> twice"
    )
    (mover,) = again.movers.list.children
    assert mover.children[1].children[0].value == date(2027, 1, 15)
    assert again.reading_html.value == reading
    again.close_store()


def test_at_most_eight_conditions(db_url: str):
    exercise = started(db_url)
    for _ in range(8):
        exercise.movers.add.click()
    assert exercise.movers.add.disabled
    exercise.movers.add_row()
    assert "At most 8" in exercise.movers.message.value
    assert len(exercise.answers.movers) == 8
    exercise.close_store()


def test_each_plan_keeps_its_own_answers(db_url: str):
    exercise = started(db_url)
    exercise.attitude.value = "commitment"
    first = exercise.plan.id
    exercise.picker.new_name.value = "New on-call rota"
    exercise.picker.create.click()
    assert exercise.attitude.value is None
    exercise.attitude.value = "apathy"
    exercise.picker.select.value = first
    assert exercise.attitude.value == "commitment"
    exercise.close_store()
