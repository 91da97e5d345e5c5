"""Course cohorts in the store, their anonymous figures and the rules that keep one person's
answers hidden: thresholds, the subtraction case, export and erase; cohorts on JupyterHub
(the measures a workbook sends, checked whole). On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import random
import re
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from buyin_workbook._disclosure import singled_out
from buyin_workbook._store import schema as t
from buyin_workbook._store.keys import hash_key
from buyin_workbook._text import TextError
from buyin_workbook.cohorts import cohort_frames, exercise_results, participant_progress, withheld
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.exercises.selfcheck import SelfCheckExercise
from buyin_workbook.kit.cohort import CohortBand, CohortMeasure
from buyin_workbook.store import (
    AccessEnded,
    AliasTaken,
    CohortClosed,
    CohortNotFound,
    StoreError,
    WorkbookStore,
    shown_join_code,
)
from buyin_workbook.use_cases.cohorts.figures import (
    MeasuresRefused,
    cells,
    counted_cells,
    measure_rows,
    received,
    tidy_rows,
)
from buyin_workbook.use_cases.cohorts.render import results_html
from tests.plugin.cohort import FOUNDATIONS, cohort_command, finish_selfcheck, random_measures
from tests.plugin.databases import Database
from tests.plugin.paths import ROOT
from tests.plugin.servers import workbook_command

#: Six leaders' self-checks: (attitude, stance, five foundation scores).
ANSWERS = [
    ("commitment", "bought_in", (4, 2, 3, 4, 5)),
    ("enrollment", "bought_in", (5, 3, 3, 4, 4)),
    ("genuine_compliance", "aligned", (3, 1, 2, 4, 3)),
    ("commitment", "aligned", (2, 4, 5, 3, 4)),
    ("formal_compliance", "aligned", (4, 2, 1, 5, 3)),
    ("enrollment", "bought_in", (1, 5, 4, 4, 2)),
]


@pytest.fixture()
def db_url(database: Database) -> str:
    return database.url


def _cohort(db_url: str, people: int = 6, min_group: int = 5, name: str = "Spring"):
    with WorkbookStore(db_url) as store:
        cohort, _, _ = store.create_cohort(name, ["selfcheck"], min_group)
        joined = [store.join_cohort(cohort.id, f"Alias {n}") for n in range(people)]
    return cohort, [(p.id, key) for p, key in joined]


def _finish(db_url: str, people: list[tuple[int, str]], which: range) -> None:
    for n in which:
        attitude, stance, scores = ANSWERS[n % len(ANSWERS)]
        pid, key = people[n]
        finish_selfcheck(db_url, pid, key, attitude=attitude, stance=stance, scores=scores)


# -- the rules ------------------------------------------------------------------------------


def test_a_figure_needs_the_minimum_group_exactly():
    assert withheld(frozenset(range(4)), [], 5).message() == "4 of 5 needed"
    assert withheld(frozenset(range(5)), [], 5) is None
    assert withheld(frozenset(range(6)), [], 5) is None
    assert withheld(frozenset(), [], 3).message() == "0 of 3 needed"


def test_two_groups_that_differ_by_fewer_than_the_minimum_are_refused():
    five, six = frozenset(range(5)), frozenset(range(6))
    # Totals over 1-5 and 1-6 give the sixth person's answer by subtraction.
    refused = withheld(six, [five], 5)
    assert refused is not None and refused.reason == "difference" and refused.have == 1
    assert refused.moved == "came"
    assert "differs from the figures already shown by 1 person" in refused.message()
    # One left and one joined: the one who left is counted on their own.
    swapped = withheld(frozenset({1, 2, 3, 4, 5}), [frozenset({0, 1, 2, 3, 4})], 5)
    assert swapped is not None and (swapped.have, swapped.moved) == (1, "left")
    assert "no longer among those who have finished" in swapped.message()
    # Four more than before: still refused at a minimum of 5; five more: shown.
    assert withheld(frozenset(range(9)), [five], 5) is not None
    assert withheld(frozenset(range(10)), [five], 5) is None
    # The same group again is the same figure, not a new one.
    assert withheld(five, [five], 5) is None
    # Every earlier group counts, not only the last one.
    assert withheld(frozenset(range(11)), [frozenset(range(10)), five], 5).have == 1


def test_one_who_left_is_never_covered_by_people_who_came():
    # V, A, B, C, D were shown; V left and five came (say, made up by the reader): the
    # groups differ by six, but the change is V's answer against five known ones.
    first = frozenset({"V", "A", "B", "C", "D"})
    later = frozenset({"A", "B", "C", "D", "F1", "F2", "F3", "F4", "F5"})
    refused = withheld(later, [first], 5)
    assert refused is not None and (refused.reason, refused.moved, refused.have) == (
        "difference",
        "left",
        1,
    )
    # Leaving and coming in numbers of at least the minimum is a new group, not a difference.
    assert withheld(frozenset(range(10, 15)), [first], 5) is None


def test_no_combination_of_views_singles_anyone_out():
    # Every two of these four views differ by five or more people either way, yet
    # S1 - S2 - S3 + S4 is V alone: the fourth is refused, the first three are not.
    a, b, c, d = (frozenset(f"{name}{n}" for n in range(5)) for name in "abcd")
    views = [a | b | {"V"}, a | c, b | d, c | d]
    for n in range(1, 3):
        assert withheld(views[n], views[:n], 5) is None
    refused = withheld(views[3], views[:3], 5)
    assert refused is not None and refused.reason == "combination" and refused.have == 1
    assert "give one person's answers away" in refused.message()
    assert singled_out(views[:3]) == frozenset() and singled_out(views) == {"V"}
    # People in exactly the same views are never told apart, however the views combine.
    assert singled_out([a | b, a, b | c, c]) == frozenset()


# -- figures against hand-computed values --------------------------------------------------

SCORE = CohortMeasure(
    "score",
    "number",
    "A score",
    bands=(
        CohortBand("low", 1, "Low"),
        CohortBand("medium", 3, "Medium"),
        CohortBand("high", 9, "High"),
    ),
)
PICK = CohortMeasure("pick", "category", "A pick", labels={"a": "A", "b": "B", "c": "C"})
LIMITS = CohortMeasure("limits", "categories", "Limits", labels={"x": "X", "y": "Y"})
ORDER = CohortMeasure("order", "ranking", "Order", labels={"m": "M", "n": "N", "o": "O"})
FLAG = CohortMeasure("flag", "flag", "Flag", labels={"yes": "Yes"})


def test_figures_match_hand_computed_values():
    values = {
        1: {"score": 1, "pick": "a", "limits": ["x"], "order": ["m", "n", "o"], "flag": True},
        2: {"score": 2, "pick": "a", "limits": [], "order": ["n", "m", "o"], "flag": False},
        3: {"score": 3, "pick": "b", "limits": ["x", "y"], "order": ["m", "o", "n"], "flag": True},
        4: {"score": 4, "pick": "<b>typed</b>", "limits": ["y", "free text"], "flag": True},
        5: {"score": 10, "pick": "c", "order": ["o", "n", "m"]},
    }
    measures = (SCORE, PICK, LIMITS, ORDER, FLAG)
    rows = tidy_rows("demo", measures, values)
    assert list(rows.columns) == ["participant", "exercise", "measure", "item", "value"]
    # Nothing outside the listed categories reaches a figure.
    assert "<b>typed</b>" not in set(rows["item"]) and "free text" not in set(rows["item"])

    (score,) = cells(SCORE, rows)
    # 1, 2, 3, 4, 10: median 3; quartiles (linear) 2 and 4; low <= 1 < medium <= 3 < high.
    assert score.value == {
        "n": 5,
        "median": 3.0,
        "q1": 2.0,
        "q3": 4.0,
        "bands": {"low": 1, "medium": 2, "high": 2},
    }
    (pick,) = cells(PICK, rows)
    assert pick.contributors == frozenset({1, 2, 3, 5})  # 4 picked nothing listed
    assert pick.value == {"n": 4, "counts": {"a": 2, "b": 1, "c": 1}}
    (limits,) = cells(LIMITS, rows)
    assert limits.value == {"n": 4, "counts": {"x": 2, "y": 2}}  # 2 named none: still counted
    (order,) = cells(ORDER, rows)
    # m: places 1, 2, 1, 3 -> 1.75; n: 2, 1, 3, 2 -> 2; o: 3, 3, 2, 1 -> 2.25.
    assert order.value == {"n": 4, "places": {"m": 1.75, "n": 2.0, "o": 2.25}}
    (flag,) = cells(FLAG, rows)
    assert flag.value == {"n": 4, "yes": 3}


def test_the_self_check_figures_of_a_fixed_cohort(db_url: str):
    cohort, people = _cohort(db_url)
    _finish(db_url, people, range(5))
    with WorkbookStore(db_url) as store:
        results = exercise_results(store, cohort, "selfcheck")
    assert results.release is not None and len(results.release.contributors) == 5
    ladder, _ = results.cell("ladder")
    assert ladder is not None
    assert ladder["counts"] == {
        "commitment": 2,
        "enrollment": 1,
        "genuine_compliance": 1,
        "formal_compliance": 1,
        "grudging_compliance": 0,
        "noncompliance": 0,
        "apathy": 0,
    }
    stance, _ = results.cell("stance")
    assert stance == {"n": 5, "counts": {"aligned": 3, "bought_in": 2}}
    # Compelling: 2, 3, 1, 4, 2 -> sorted 1, 2, 2, 3, 4: median 2, quartiles 2 and 3.
    compelling, _ = results.cell("foundations/compelling")
    assert compelling == {
        "n": 5,
        "median": 2.0,
        "q1": 2.0,
        "q3": 3.0,
        "bands": {"low": 3, "medium": 1, "high": 1},
    }
    # Weakest (first in content order on a tie): compelling, compelling, compelling, clear,
    # realistic.
    weakest, _ = results.cell("weakest")
    assert weakest is not None
    assert weakest["counts"]["compelling"] == 3
    assert weakest["counts"]["clear"] == 1 and weakest["counts"]["realistic"] == 1


#: Five participants' languages: one cohort, read in four languages, counted together.
MIXED = ("de", "fr", "es", "en", "de")
#: A one-sentence goal as each of them would write it.
GOALS = {
    "en": "Cut the queue to two days by June.",
    "de": "Bis Juni verkürzen wir die Warteschlange auf zwei Tage.",
    "fr": "D'ici juin, nous réduisons la file d'attente à deux jours.",
    "es": "Para junio reducimos la cola a dos días.",
}


def test_a_cohort_of_mixed_languages_counts_together(db_url: str):
    """Answers are kept by id, never by the words shown: five people who answer the
    self-check's page each in their own language, choosing by the words they read, give
    the figures five answers in English give; a plan started in German opens in French with
    its choices."""
    english = SelfCheckExercise.declaration.content("en")
    mixed, people = _cohort(db_url, people=5)
    for n, language in enumerate(MIXED):
        attitude, stance, scores = ANSWERS[n]
        pid, key = people[n]
        page = SelfCheckExercise(
            WorkbookStore(db_url, client_id=pid, access_key=key), language=language
        )
        page.picker.new_name.value = f"Plan {n}"
        page.picker.create.click()
        # The option the English reader would pick, found by its place, picked by its words.
        at = [a.id for a in english.attitudes].index(attitude)
        shown = page.attitude.options[at][0]
        assert (shown == f"{english.attitudes[at].name}: {english.attitudes[at].description}") == (
            language == "en"
        ), shown
        page.attitude.label = shown
        page.stance.label = page.stance.options[[s.id for s in english.stances].index(stance)][0]
        for foundation, score in zip(FOUNDATIONS, scores, strict=True):
            page.scores[foundation].value = score
        page.sentence.value = GOALS[language]
        assert page.progress() == "done", language
        page.close_store()

    reference, english_people = _cohort(db_url, people=5, name="In English")
    _finish(db_url, english_people, range(5))
    with WorkbookStore(db_url) as store:
        theirs = exercise_results(store, mixed, "selfcheck").release
        ours = exercise_results(store, reference, "selfcheck").release
    assert theirs is not None and ours is not None
    assert theirs.cells == ours.cells
    assert set(theirs.cells) >= {"ladder", "stance", "weakest", "foundations/compelling"}

    # The first participant's plan, begun in German, opens in French with its answers.
    pid, key = people[0]
    again = SelfCheckExercise(WorkbookStore(db_url, client_id=pid, access_key=key), language="fr")
    assert again.attitude.value == ANSWERS[0][0] and again.stance.value == ANSWERS[0][1]
    assert [again.scores[f].value for f in FOUNDATIONS] == list(ANSWERS[0][2])
    french = SelfCheckExercise.declaration.content("fr")
    assert again.attitude.label.startswith(french.attitudes[0].name)
    again.close_store()


# -- releases over time --------------------------------------------------------------------


def test_figures_appear_at_the_fifth_and_then_move_in_steps_of_five(db_url: str):
    cohort, people = _cohort(db_url, people=10)
    _finish(db_url, people, range(4))
    with WorkbookStore(db_url) as store:
        four = exercise_results(store, cohort, "selfcheck")
        assert four.release is None and four.waiting is not None
        assert "4 of 5 needed" in results_html(four)

    _finish(db_url, people, range(4, 5))
    with WorkbookStore(db_url) as store:
        five = exercise_results(store, cohort, "selfcheck")
        assert five.release is not None and len(five.release.contributors) == 5

    _finish(db_url, people, range(5, 6))
    with WorkbookStore(db_url) as store:
        six = exercise_results(store, cohort, "selfcheck")
    # The sixth is not added: the change would be their answer.
    assert six.release == five.release and six.finished == 6
    assert six.waiting is not None and six.waiting.reason == "difference"
    assert "6 have finished now (+1)" in results_html(six)
    # A changed answer of someone already counted does not show either.
    _finish(db_url, people, range(1))  # same answers again: still the same group
    pid, key = people[0]
    finish_selfcheck(db_url, pid, key, attitude="apathy", stance="aligned", scores=(1,) * 5)
    with WorkbookStore(db_url) as store:
        again = exercise_results(store, cohort, "selfcheck")
    assert again.release == five.release

    _finish(db_url, people, range(6, 10))
    with WorkbookStore(db_url) as store:
        ten = exercise_results(store, cohort, "selfcheck")
    assert ten.release is not None and len(ten.release.contributors) == 10
    assert ten.release.id != five.release.id
    ladder, _ = ten.cell("ladder")
    assert ladder is not None and ladder["counts"]["apathy"] == 1


def test_a_participant_sees_only_revealed_releases_of_their_own_cohort(db_url: str):
    cohort, people = _cohort(db_url)
    with WorkbookStore(db_url) as store:
        other, _, _ = store.create_cohort("Autumn", ["selfcheck"], 5)
        outsider, outsider_key = store.join_cohort(other.id, "Alias 0")  # same alias: fine
    _finish(db_url, people, range(5))
    with WorkbookStore(db_url) as store:
        exercise_results(store, cohort, "selfcheck")
        store.set_revealed(cohort.id, "selfcheck", True)
    pid, key = people[0]
    with WorkbookStore(db_url, client_id=pid, access_key=key) as mine:
        assert mine.my_cohort() == cohort
        assert mine.revealed(cohort.id) == {"selfcheck"}
        shown = exercise_results(mine, cohort, "selfcheck", release=False)
        assert shown.release is not None
        with pytest.raises(CohortNotFound):
            mine.revealed(other.id)
        with pytest.raises(StoreError):
            mine.participants(cohort.id)  # only the facilitator lists aliases
        with pytest.raises(StoreError):
            mine.set_revealed(cohort.id, "selfcheck", False)
        assert [p.name for p in mine.list_plans()] == ["My plan"]  # their own only
    outside = WorkbookStore(db_url, client_id=outsider.id, access_key=outsider_key)
    with outside as theirs, pytest.raises(CohortNotFound):
        theirs.releases(cohort.id, "selfcheck")
    with WorkbookStore(db_url) as store:
        store.set_revealed(cohort.id, "selfcheck", False)
        assert store.revealed(cohort.id) == set()


# -- joining, closing, the coach's clients -------------------------------------------------


def test_a_join_code_is_typed_as_read_and_renewed_with_the_links(db_url: str):
    with WorkbookStore(db_url) as store:
        cohort, _facilitator, _join = store.create_cohort("Spring", ["selfcheck"])
        code = store.join_code(cohort.id)
        assert store.join_code(cohort.id) == code  # kept, not made anew
        shown = shown_join_code(code)
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", shown) and not set(code) & set("01OIL")
        for typed in (code, shown, shown.lower(), f" {code[:4]} {code[4:]} "):
            assert store.cohort_for_join_code(typed) == cohort, typed
        for wrong in ("", "ABC", code[:-1] + ("A" if code[-1] != "A" else "B"), None, 7, "x" * 99):
            assert store.cohort_for_join_code(wrong) is None, wrong
        store.renew_cohort_links(cohort.id)
        assert store.cohort_for_join_code(code) is None
        assert store.cohort_for_join_code(store.join_code(cohort.id)) == cohort
        # A cohort made before there were codes gets one when its presenter view opens.
        engine = sa.create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(t.cohorts.update().values(join_code=None))
        engine.dispose()
        assert store.cohort_for_join_code(store.join_code(cohort.id)) == cohort
        hub = store.hub_cohort("cohort-autumn", ["selfcheck"], 5)
        with pytest.raises(StoreError, match="hub group"):
            store.join_code(hub.id)
        with pytest.raises(StoreError, match="never closed"):
            store.reopen_cohort(hub.id)


def test_joining_aliases_and_closing(db_url: str, database: Database):
    with WorkbookStore(db_url) as store:
        cohort, facilitator, join = store.create_cohort("Spring", ["choice", "selfcheck"])
        assert cohort.min_group == 5 and cohort.exercises == ("choice", "selfcheck")
        assert store.cohort_for_join_key(join) == cohort
        assert store.cohort_for_facilitator_key(join) is None
        assert store.cohort_for_facilitator_key(facilitator) == cohort
        assert store.cohort_for_join_key("not a key") is None
        amber, key = store.join_cohort(cohort.id, "  Amber   Heron ")
        assert amber.alias == "Amber Heron"
        with pytest.raises(AliasTaken, match="already goes by"):
            store.join_cohort(cohort.id, "amber heron")
        # The same alias in other letters reads the same on the dashboard: refused too, so
        # no one can pass for another (and be taken out in their place).
        store.join_cohort(cohort.id, "KATE")
        for look_alike in ("ΚΑΤΕ", "КАТЕ", "kate"):  # Greek, Cyrillic, another case
            with pytest.raises(AliasTaken, match=r"looks just like|already goes by"):
                store.join_cohort(cohort.id, look_alike)
        store.join_cohort(cohort.id, "Kato")  # another name is another name
        with pytest.raises(TextError, match="Your alias is empty"):
            store.join_cohort(cohort.id, "   ")
        with pytest.raises(TextError, match="Your alias"):
            store.join_cohort(cohort.id, "x" * 41)
        store.join_cohort(cohort.id, "<script>alert(1)</script>")  # kept as text
        # A coach's clients and a cohort's participants never meet.
        store.add_client("Amber Heron")
        assert [c.name for c in store.clients()] == ["Amber Heron"]
        assert len(store.participants(cohort.id)) == 4
        store.close_cohort(cohort.id)
        with pytest.raises(CohortClosed):
            store.join_cohort(cohort.id, "Late Lark")
        assert store.client_for_key(key) is not None  # work and links stay
        with pytest.raises(StoreError, match="at least 3"):
            store.create_cohort("Tiny", ["choice"], 2)
        with pytest.raises(StoreError, match="Choose exercises"):
            store.create_cohort("Odd", ["poker"])
        with pytest.raises(StoreError, match="already have a cohort"):
            store.create_cohort("spring", ["choice"])
        # The keys are kept only as hashes.
        assert not database.holds(facilitator) and not database.holds(join)
        assert database.holds(hash_key(join))


def test_progress_by_alias_and_sharing_a_summary(db_url: str):
    cohort, people = _cohort(db_url, people=2)
    _finish(db_url, people, range(1))
    pid, key = people[0]
    with WorkbookStore(db_url, client_id=pid, access_key=key) as mine:
        assert not mine.shares_summary()
        mine.share_summary(True)
        assert mine.shares_summary()
    with WorkbookStore(db_url) as store:
        progress = participant_progress(store, cohort)
        assert [(p.alias, p.shares_summary, steps) for p, steps in progress] == [
            ("Alias 0", True, {"selfcheck": "done"}),
            ("Alias 1", False, {"selfcheck": "not started"}),
        ]
        client = store.add_client("Dana")[0]
    with WorkbookStore(db_url, client_id=client.id) as coach_client, pytest.raises(StoreError):
        coach_client.share_summary(True)


# -- export and erase ------------------------------------------------------------------------


def test_frames_are_anonymous_and_hold_no_text(db_url: str):
    cohort, people = _cohort(db_url)
    _finish(db_url, people, range(5))
    with WorkbookStore(db_url) as store:
        first = cohort_frames(store, cohort)
        second = cohort_frames(store, cohort)
    values = first["values"]
    # No id of any kind: a row is one answer behind one figure, nothing joins two rows.
    assert list(values.columns) == ["exercise", "measure", "item", "value"]
    assert "Alias 0" not in values.to_csv()
    assert "Cut the queue" not in values.to_csv()
    # Two loads are the same release, row for row (sorted: no order of arrival either).
    pd.testing.assert_frame_equal(values, second["values"])
    # One row per answer behind a figure: 2 categories + 5 foundations + the weakest = 8 each.
    assert len(values) == 5 * 8
    aggregates = first["aggregates"]
    median = aggregates[
        (aggregates["measure"] == "foundations")
        & (aggregates["item"] == "compelling")
        & (aggregates["statistic"] == "median")
    ]["value"]
    assert median.tolist() == [2.0]
    # Pandas all the way: the cohort's median per foundation from the values.
    per_foundation = values[values["measure"] == "foundations"].groupby("item")["value"].median()
    assert per_foundation["compelling"] == 2.0


def test_export_and_erase_from_the_command_line(
    db_url: str, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture
):
    def cli(*args: str) -> str:
        assert cohort_command(*args, f"--db-url={db_url}") in (0, None), args
        return capsys.readouterr().out

    out = cli("create", "Spring <b>26</b>", "--exercises=selfcheck")
    join_key = out.split("cohort/join?key=")[1].split()[0]
    with WorkbookStore(db_url) as store:
        cohort = store.find_cohort("Spring <b>26</b>")
        assert store.cohort_for_join_key(join_key) == cohort
        joined = [store.join_cohort(cohort.id, f"Alias {n}") for n in range(5)]
    _finish(db_url, [(p.id, k) for p, k in joined], range(5))

    listed = cli("list")
    assert "Spring <b>26</b>  open" in listed and "5 of 100 participants" in listed
    renewed = cli("links", "Spring <b>26</b>")
    new_join = renewed.split("cohort/join?key=")[1].split()[0]
    with WorkbookStore(db_url) as store:
        assert store.cohort_for_join_key(join_key) is None  # the old link no longer works
        assert store.cohort_for_join_key(new_join) == cohort
        assert store.client_for_key(joined[0][1]) is not None  # participants keep theirs
    folder = tmp_path / "export"
    out = cli("export", "spring <b>26</b>", f"--output={folder}")
    assert "values.csv" in out and "aggregates.csv" in out and ".json" in out
    csv = pd.read_csv(folder / "spring-b-26-b-values.csv")
    assert len(csv) == 40 and set(csv["exercise"]) == {"selfcheck"}
    assert list(csv.columns) == ["exercise", "measure", "item", "value"]
    data = json.loads((folder / "spring-b-26-b.json").read_text("utf-8"))
    assert data["cohort"]["min_group"] == 5 and len(data["values"]) == 40

    cli("close", "Spring <b>26</b>")
    assert "closed" in cli("list")
    with WorkbookStore(db_url) as store, pytest.raises(CohortClosed):
        store.join_cohort(cohort.id, "Late Lark")
    assert "open to new participants again (5 of at most 100 joined)" in cli(
        "reopen", "spring <b>26</b>"
    )
    assert "Spring <b>26</b>  open" in cli("list")
    with WorkbookStore(db_url) as store:
        store.join_cohort(cohort.id, "Late Lark")
    assert database.holds("Alias 3") and database.holds("Cut the queue")  # can fail below
    cli("erase", "Spring <b>26</b>", "--yes")
    assert "No cohorts yet" in cli("list")
    pid, key = joined[0][0].id, joined[0][1]
    with WorkbookStore(db_url, client_id=pid, access_key=key) as gone, pytest.raises(AccessEnded):
        gone.list_plans()
    assert not database.holds("Alias 3") and not database.holds("Cut the queue")


def test_the_cohort_commands_explain_themselves(db_url: str, capsys: pytest.CaptureFixture):
    import subprocess

    # The command end to end once; each subcommand's help and errors in this process.
    listed = subprocess.run(workbook_command("cohort", "--help"), capture_output=True, text=True)
    assert listed.returncode == 0
    # Said as a person types it: there is no `jupyter-workbook-cohort` to run.
    assert "jupyter-workbook-cohort" not in listed.stdout
    assert "`jupyter workbook cohort COMMAND --help`" in " ".join(listed.stdout.split())
    for command in ("create", "list", "links", "close", "reopen", "export", "erase"):
        assert command in listed.stdout
        assert cohort_command(command, "--help") in (0, None), command
        assert "--db-url" in capsys.readouterr().out, command
    for args, message in (
        (["create", "X", "--min-group=1"], "at least 3"),
        (["close", "Nope"], "No cohort called “Nope”"),
        (["export", "Nope", "--format=xlsx"], "No cohort called “Nope”"),
        (["create"], "name one cohort"),
    ):
        assert cohort_command(*args, f"--db-url={db_url}") == 1, args
        assert message in capsys.readouterr().err, args


# -- cohorts on JupyterHub ----------------------------------------------------------------


def _send(store: WorkbookStore, cohort_id: int, person: int, exercise: str, sent: dict) -> None:
    rows = measure_rows(EXERCISES[exercise].content().cohort, sent)
    store.send_values(cohort_id, person, exercise, sent, rows)


def _sent(attitude: str, stance: str, scores: tuple[int, ...]) -> dict:
    answers = {"attitude": attitude, "stance": stance, "sentence": "Cut the queue by June."}
    answers |= {f"foundation/{f}/score": s for f, s in zip(FOUNDATIONS, scores, strict=True)}
    return EXERCISES["selfcheck"].cohort_values(answers)


SELFCHECK = EXERCISES["selfcheck"].content().cohort


def test_what_a_finished_exercise_sends_is_accepted_as_it_is():
    for attitude, stance, scores in ANSWERS:
        sent = _sent(attitude, stance, scores)
        assert received(SELFCHECK, json.loads(json.dumps(sent))) == sent


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("ladder", "must be an object"),
        ({"sentence": "Cut the queue"}, "Unknown measures: sentence"),
        (
            {"ladder": "<script>alert(1)</script>"},
            "“ladder” must be one of the exercise's listed choices",
        ),
        ({"ladder": ["commitment"]}, "“ladder” must be one of the exercise's listed choices"),
        ({"stance": True}, "“stance” must be one of"),
        ({"foundations": {"clear": float("nan")}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"clear": 1e9}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"clear": 999}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"clear": -1000}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"clear": 0}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"clear": True}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": {"Dana's secret": 3}}, "“foundations” must be numbers from 1 to 5"),
        ({"foundations": [3, 4]}, "“foundations” must be numbers from 1 to 5"),
        ({}, "Nothing to send"),
    ],
)
def test_anything_but_listed_choices_and_numbers_is_refused_whole(sent, message: str):
    with pytest.raises(MeasuresRefused, match=message):
        received(SELFCHECK, sent)


def test_rankings_and_lists_hold_listed_items_once_each():
    ranking = CohortMeasure("order", "ranking", "Order", labels={"a": "A", "b": "B"})
    named = CohortMeasure("named", "categories", "Named", labels={"a": "A", "b": "B"})
    assert received((ranking, named), {"order": ["b", "a"], "named": []}) == {
        "order": ["b", "a"],
        "named": [],
    }
    for bad in (["a", "a"], ["a", "zz"], "ab", [1]):
        with pytest.raises(MeasuresRefused):
            received((ranking,), {"order": bad})


def test_a_hub_cohort_and_its_participants_are_made_once(db_url: str, database: Database):
    exercises = ("choice", "selfcheck")
    with WorkbookStore(db_url) as store:
        made: list[int] = []

        def open_cohort() -> None:
            with WorkbookStore(db_url) as own:
                made.append(own.hub_cohort("cohort-spring", exercises, 5).id)

        threads = [threading.Thread(target=open_cohort) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cohort = store.hub_cohort("cohort-spring", exercises, 5)
        assert made == [cohort.id] * 4 and cohort.hub_group == "cohort-spring"
        arrived: list[int] = []

        def first_request() -> None:
            with WorkbookStore(db_url) as own:
                arrived.append(own.hub_participant(cohort.id, "p1").id)

        threads = [threading.Thread(target=first_request) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(arrived)) == 1 and len(store.participants(cohort.id)) == 1
        # What makes that hold under any timing: the database keeps a name once a cohort.
        engine = sa.create_engine(db_url)
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(
                t.clients.insert().values(
                    name="p1", key_hash="0" * 64, created_at="2026", cohort_id=cohort.id
                )
            )
        engine.dispose()
        people = [store.hub_participant(cohort.id, f"p{n}") for n in range(1, 7)]
        assert people[0].id == arrived[0]
        assert store.clients() == []  # a cohort's participants are not a coach's clients

        for person, (attitude, stance, scores) in zip(people[:4], ANSWERS, strict=False):
            _send(store, cohort.id, person.id, "selfcheck", _sent(attitude, stance, scores))
        assert exercise_results(store, cohort, "selfcheck").release is None  # 4 of 5
        fifth = _sent(*ANSWERS[4])
        _send(store, cohort.id, people[4].id, "selfcheck", {"ladder": "apathy"})
        _send(store, cohort.id, people[4].id, "selfcheck", fifth)  # sent again: replaced
        assert store.sent_values(cohort.id, "selfcheck")[people[4].id] == fifth
        results = exercise_results(store, cohort, "selfcheck")
        assert results.release is not None and len(results.release.contributors) == 5
        ladder = results.release.cells["ladder"]["value"]
        assert ladder["counts"]["commitment"] == 2 and ladder["counts"]["apathy"] == 0
        progress = dict((p.alias, steps) for p, steps in participant_progress(store, cohort))
        assert progress["p1"] == {"choice": "not sent", "selfcheck": "done"}
        assert progress["p6"]["selfcheck"] == "not sent"

        # A participant who takes back what they sent leaves no trace of it.
        store.send_values(cohort.id, people[5].id, "choice", {"marker": 7}, [("marker", "", 7.0)])
        assert database.holds('"marker": 7')
        assert store.erase_hub_participant(cohort.id, "p6")
        assert not store.erase_hub_participant(cohort.id, "p6")  # already gone
        assert len(store.participants(cohort.id)) == 5
        assert not database.holds('"marker": 7')
        store.erase_cohort(cohort.id)
        assert store.sent_values(cohort.id, "selfcheck") == {}


def test_the_databases_counts_give_the_figures_every_row_gives(db_url: str):
    rng = random.Random(7)
    with WorkbookStore(db_url) as store:
        cohort = store.hub_cohort("cohort-counted", tuple(EXERCISES), 5)
        people = [store.hub_participant(cohort.id, f"p{n}") for n in range(23)]
        for exercise, declared in EXERCISES.items():
            measures = declared.content().cohort
            sent = {}
            for person in people[rng.randint(0, 3) :]:
                values = random_measures(measures, rng)
                if rng.random() < 0.3:  # some give only part of an exercise
                    values = dict(list(values.items())[: len(values) // 2 or 1])
                sent[person.id] = values
                _send(store, cohort.id, person.id, exercise, values)
            rows = tidy_rows(exercise, measures, sent)
            counted, sizes = store.figure_counts(cohort.id, exercise)
            for measure in measures:
                every_row = {
                    c.key: (c.contributors, c.value, c.answers) for c in cells(measure, rows)
                }
                from_counts = {
                    key: (value, answers)
                    for key, _, _, value, answers in counted_cells(
                        measure, counted.get(measure.id, []), sizes.get(measure.id, {})
                    )
                }
                assert from_counts == {k: (v, a) for k, (_, v, a) in every_row.items()}, measure.id
                for key, item, people_, _, _ in counted_cells(
                    measure, counted.get(measure.id, []), sizes.get(measure.id, {})
                ):
                    members = store.figure_members(cohort.id, exercise, measure.id, item)
                    assert members == every_row[key][0] and len(members) == people_


def test_a_hub_cohort_from_the_command_line(db_url: str, tmp_path: Path, capsys):
    rng = random.Random(5)
    with WorkbookStore(db_url) as store:
        cohort = store.hub_cohort("cohort-autumn", ("selfcheck",), 5)
        for n in range(5):
            person = store.hub_participant(cohort.id, f"user{n}")
            values = random_measures(SELFCHECK, rng)
            _send(store, cohort.id, person.id, "selfcheck", values)
    assert cohort_command("list", f"--db-url={db_url}") in (0, None)
    listed = " ".join(capsys.readouterr().out.split())
    assert "cohort-autumn on JupyterHub 5 participants" in listed
    for command in ("links", "close"):
        assert cohort_command(command, "cohort-autumn", f"--db-url={db_url}") == 1
        assert "is a cohort on JupyterHub" in capsys.readouterr().err
    out_dir = tmp_path / "export"
    assert cohort_command(
        "export", "cohort-autumn", f"--output={out_dir}", f"--db-url={db_url}"
    ) in (0, None)
    values = pd.read_csv(out_dir / "cohort-autumn-values.csv", keep_default_na=False)
    assert set(values["exercise"]) == {"selfcheck"}
    assert list(values.columns) == ["exercise", "measure", "item", "value"]  # no hub names
    # Five people's answers: one row each per figure shown (the ladder, say).
    assert (values["measure"] == "ladder").sum() == 5
    assert cohort_command("erase", "cohort-autumn", "--yes", f"--db-url={db_url}") in (0, None)
    with WorkbookStore(db_url) as store:
        assert store.find_hub_cohort("cohort-autumn") is None


def test_the_facilitators_notebook_draws_its_charts_offline():
    import altair as alt
    import nbformat

    from buyin_workbook.cohorts import sample_frames
    from buyin_workbook.cohorts.charts import counts_chart, draw_offline, spread_chart
    from buyin_workbook.kit.charts import VEGALITE_CELL_MIME

    before = alt.renderers.active
    try:
        draw_offline()
        values = sample_frames()["values"]
        for chart in (
            spread_chart(values, "selfcheck", "foundations"),
            counts_chart(values, "choice", "self_imposed"),
        ):
            bundle = chart._repr_mimebundle_()
            # The workbook's renderer draws it: no script, nothing to fetch.
            assert set(bundle) == {VEGALITE_CELL_MIME, "text/plain"}
            assert "<script" not in json.dumps(bundle) and "cdn." not in json.dumps(bundle)
            # And a notebook that keeps it as a cell's output is still a valid notebook.
            notebook = nbformat.v4.new_notebook(
                cells=[
                    nbformat.v4.new_code_cell(
                        "chart", outputs=[nbformat.v4.new_output("display_data", data=bundle)]
                    )
                ]
            )
            nbformat.validate(notebook)
    finally:
        alt.renderers.enable(before)
    source = ROOT / "notebooks" / "06-cohort.ipynb"
    cells = [c["source"] for c in nbformat.read(source, as_version=4).cells]
    first_chart = next(n for n, text in enumerate(cells) if "_chart(" in text)
    assert any("draw_offline()" in text for text in cells[:first_chart])


@pytest.mark.parametrize(
    ("language", "spread", "axis", "counts"),
    [
        ("de", "Die Grundlagen des Ziels", "Wert", "Personen"),
        ("fr", "Les fondements de l’objectif", "Valeur", "Personnes"),
        ("es", "Las bases del objetivo", "Valor", "Personas"),
    ],
)
def test_the_facilitators_charts_speak_the_leaders_language(
    language: str, spread: str, axis: str, counts: str
):
    """Titles, axes, the items' names and the text a screen reader reads, in the language
    asked for (a kernel's own, unless given): no English word left but the values."""
    from buyin_workbook.cohorts import sample_frames
    from buyin_workbook.cohorts.charts import counts_chart, spread_chart
    from buyin_workbook.exercises import EXERCISES

    values = sample_frames()["values"]
    box = spread_chart(values, "selfcheck", "foundations", language).to_dict()
    assert box["title"] == spread and box["description"].startswith(spread)
    assert box["layer"][0]["encoding"]["x"]["title"] == axis
    bars = counts_chart(values, "choice", "self_imposed", language).to_dict()
    assert bars["encoding"]["x"]["title"] == counts
    named = {row["label"] for row in next(iter(bars["datasets"].values()))}

    def listed(words: str) -> set[str]:
        measure = next(
            m for m in EXERCISES["choice"].content(words).cohort if m.id == "self_imposed"
        )
        return {measure.label(item) for item in measure.labels}

    assert named == listed(language) != listed("en")
