"""A curious facilitator and a curious leader, with only what the workbook gives them: its
pages, commands, exports and frames, compared over time. None of it singles out one person's
answer. Each attack below was reproduced on a9b664c (issue 25) and fails there; where the
store is involved, on SQLite and on PostgreSQL. (Keys, kernels and served endpoints are
attacked in test_attacks.py.)
"""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from tornado.httpclient import HTTPClientError

from buyin_workbook.cohorts import (
    cohort_frames,
    dashboard,
    exercise_results,
    frames,
    participant_progress,
)
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.exercises.choice import ChoiceExercise, MySay
from buyin_workbook.exercises.choice.team_say import shown_team_say, team_say_frame
from buyin_workbook.exercises.selfcheck import GoalInMyWords
from buyin_workbook.report.build import build_report
from buyin_workbook.report.render import export, to_html, to_markdown
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.cohorts.figures import measure_rows
from buyin_workbook.use_cases.plans import plan_values
from buyin_workbook.use_cases.visitor import current_access
from tests.kit.test_team_voice import add_members, leader_selfcheck, member_link, vote
from tests.plugin.cohort import cohort_command, finish_choice, finish_selfcheck
from tests.plugin.databases import Database
from tests.plugin.served import serve_page
from tests.plugin.servers import mount_workbook_pages

#: What each row of an export may say: which figure, and one value behind it.
FIGURE_COLUMNS = {"exercise", "measure", "item", "value"}


@pytest.fixture()
def db_url(database: Database, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUYIN_WORKBOOK_DB_URL", database.url)
    current_access.cache_clear()
    return database.url


def _cohort(db_url: str, exercises: list[str], aliases: list[str]):
    with WorkbookStore(db_url) as store:
        cohort, _, _ = store.create_cohort("C", exercises, 5)
        people = {alias: store.join_cohort(cohort.id, alias) for alias in aliases}
    return cohort, {alias: (p.id, key) for alias, (p, key) in people.items()}


def _selfcheck(db_url: str, person: tuple[int, str], attitude: str = "commitment") -> None:
    finish_selfcheck(db_url, *person, attitude=attitude, stance="aligned", scores=(3, 3, 3, 3, 3))


def _dashboard(db_url: str, cohort) -> str:
    """What the facilitator's dashboard shows (and releases, where the rules allow)."""
    with WorkbookStore(db_url) as store:
        return "".join(section.html for section in dashboard(store, cohort).sections)


def _export(db_url: str, folder: Path) -> dict[str, pd.DataFrame]:
    """`cohort export C --format=csv,json`, read back as the facilitator would."""
    assert cohort_command("export", "C", f"--output={folder}", f"--db-url={db_url}") in (0, None)
    exported = {
        name: pd.read_csv(folder / f"c-{name}.csv", keep_default_na=False)
        for name in ("values", "aggregates")
    }
    data = json.loads((folder / "c.json").read_text("utf-8"))
    assert set(data) == {"cohort", "values", "aggregates"}
    assert pd.DataFrame(data["values"]).shape == exported["values"].shape
    return exported


def _dana(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A coach's client, Dana, whose served page this process now is; her key."""
    with WorkbookStore(db_url) as coach:
        _client, key = coach.add_client("Dana")
    serve_page(monkeypatch, key)
    return key


def _linkable(values: pd.DataFrame) -> list[str]:
    """Columns a reader could group rows by to follow one person across figures."""
    return [column for column in values.columns if column not in FIGURE_COLUMNS]


# -- 1. nothing links one person's rows across exercises, measures or exports -------------


def test_an_export_links_no_rows_across_exercises(db_url: str, tmp_path: Path):
    cohort, people = _cohort(db_url, ["choice", "selfcheck"], list("ABCDEF"))
    for alias in "ABCDE":
        _selfcheck(db_url, people[alias])
    for alias in "BCDEF":
        finish_choice(db_url, *people[alias])
    _dashboard(db_url, cohort)
    with WorkbookStore(db_url) as store:
        progress = {p.alias: steps for p, steps in participant_progress(store, cohort)}
        loaded = frames("C", store)
    # The dashboard says who has finished what: A the self-check only.
    assert progress["A"] == {"choice": "not started", "selfcheck": "done"}
    first, second = _export(db_url, tmp_path / "1"), _export(db_url, tmp_path / "2")
    for values in (first["values"], second["values"], loaded["values"]):
        # No id of any kind: the self-check's rows cannot be told from each other, so
        # "the one with self-check rows and no choice rows" is no one.
        assert _linkable(values) == []
        assert (values["measure"] == "ladder").sum() == 5
        assert (values["measure"] == "headroom").sum() == 5
    # Two exports are the same release, row for row, with nothing to match up.
    pd.testing.assert_frame_equal(first["values"], second["values"])


# -- 2. everything a facilitator can get comes from what was released ----------------------


def test_an_edit_or_a_second_plan_after_a_release_changes_no_export(db_url: str, tmp_path: Path):
    cohort, people = _cohort(db_url, ["selfcheck"], list("ABCDE"))
    for alias in "ABCDE":
        _selfcheck(db_url, people[alias], "apathy" if alias == "A" else "commitment")
    _dashboard(db_url, cohort)
    before = _export(db_url, tmp_path / "before")
    # A edits the released answer; B starts a second plan and finishes it differently.
    with WorkbookStore(db_url, client_id=people["A"][0], access_key=people["A"][1]) as a:
        (plan,) = a.list_plans()
        a.save_answer(plan.id, "selfcheck", "attitude", "enrollment")
    with WorkbookStore(db_url, client_id=people["B"][0], access_key=people["B"][1]) as b:
        second = b.create_plan("Another plan")
        b.save_answer(second.id, "selfcheck", "attitude", "noncompliance")
    shown = _dashboard(db_url, cohort)
    after = _export(db_url, tmp_path / "after")
    for name in ("values", "aggregates"):
        pd.testing.assert_frame_equal(before[name], after[name])
    ladder = after["values"][after["values"]["measure"] == "ladder"]
    assert sorted(ladder["item"]) == ["apathy"] + ["commitment"] * 4  # as released
    assert "Drawn from the 5 people" in shown
    with WorkbookStore(db_url) as store:
        progress = {p.alias: steps for p, steps in participant_progress(store, cohort)}
    assert progress["B"] == {"selfcheck": "done"}  # counted by the plan they finished


def test_a_take_back_on_a_hub_leaves_the_released_figures_as_they_were(db_url: str, tmp_path: Path):
    measures = EXERCISES["selfcheck"].content().cohort
    with WorkbookStore(db_url) as store:
        cohort = store.hub_cohort("cohort-c", ("selfcheck",), 5)
        for n in range(5):
            person = store.hub_participant(cohort.id, f"user{n}")
            sent = {"ladder": "apathy" if n == 0 else "commitment", "stance": "aligned"}
            store.send_values(cohort.id, person.id, "selfcheck", sent, measure_rows(measures, sent))
        first = cohort_frames(store, cohort)
        assert store.erase_hub_participant(cohort.id, "user0")  # "take mine back"
        later = cohort_frames(store, cohort)
        shown = dashboard(store, cohort).sections[0].html
    pd.testing.assert_frame_equal(first["values"], later["values"])
    assert (later["values"]["measure"] == "ladder").sum() == 5
    # The dashboard says the same: the figures of five, and why nothing newer is drawn.
    assert "Drawn from the 5 people" in shown
    assert "4 have finished now (-1): fewer than the 5 new figures need" in shown


# -- 3. people who left are never covered by people who came -------------------------------


def test_made_up_participants_cannot_uncover_one_who_left(db_url: str):
    cohort, people = _cohort(db_url, ["selfcheck"], ["V", "A", "B", "C", "D"])
    attitudes = ["apathy", "commitment", "commitment", "enrollment", "enrollment"]
    for alias, attitude in zip("VABCD", attitudes, strict=True):
        _selfcheck(db_url, people[alias], attitude)
    _dashboard(db_url, cohort)
    # V's counted answers stop being finished; the facilitator joins five made-up
    # participants through the join link and answers "commitment" for each.
    with WorkbookStore(db_url, client_id=people["V"][0], access_key=people["V"][1]) as v:
        (plan,) = v.list_plans()
        v.delete_answers(plan.id, "selfcheck", ["stance"])
    with WorkbookStore(db_url) as store:
        made_up = [store.join_cohort(cohort.id, f"Made up {n}") for n in range(5)]
    for participant, key in made_up:
        _selfcheck(db_url, (participant.id, key), "commitment")
    shown = _dashboard(db_url, cohort)
    with WorkbookStore(db_url) as store:
        results = exercise_results(store, cohort, "selfcheck")
        releases = store.releases(cohort.id, "selfcheck")
    # The groups differ by six, but one of them is V alone: no new figures.
    assert len(releases) == 1 and results.waiting is not None
    assert (results.waiting.reason, results.waiting.moved) == ("difference", "left")
    ladder, _ = results.cell("ladder")
    assert ladder is not None and ladder["counts"]["apathy"] == 1  # the first release
    assert ladder["counts"]["commitment"] == 2
    assert "no longer among those who have finished" in shown


def test_a_leader_cannot_uncover_a_removed_members_sentence(db_url: str, monkeypatch):
    dana = _dana(db_url, monkeypatch)
    leader = leader_selfcheck("Support plan", "By March, every ticket is answered within a day.")
    panel = leader.voice_panel

    def answer(index: int, sentence: str) -> None:
        serve_page(monkeypatch, member_link(panel, index))
        page = GoalInMyWords()
        page.goal.value = sentence
        page.send.click()
        assert "Sent." in page.message.value
        page.close_store()
        serve_page(monkeypatch, dana)

    add_members(panel, "D", "E", "F")
    for index, sentence in enumerate(["D-SENTENCE", "E-SENTENCE", "F-SENTENCE"]):
        answer(index, sentence)
    leader._look()
    panel.reveal.click()
    assert "D-SENTENCE" in leader.their_goals.value
    remove = panel.members.children[0].children[0].children[3]
    remove.click()
    remove.click()  # "Remove anyway"
    add_members(panel, "X", "Y", "Z")
    for index, sentence in ((2, "X-MINE"), (3, "Y-MINE"), (4, "Z-MINE")):
        answer(index, sentence)
    leader._look()
    # E, F and three the leader wrote: a second view would show which sentence was D's.
    assert panel.reveal.disabled and "Hidden for good" in panel.reveal_note.value
    panel.reveal.click()
    assert "E-SENTENCE" not in leader.their_goals.value
    leader.close_store()


# -- 4. every figure of the team's say has its own minimum -------------------------------


def test_the_teams_say_is_never_drawn_per_decision_over_fewer_than_the_minimum(
    db_url: str, monkeypatch
):
    dana = _dana(db_url, monkeypatch)
    leader = ChoiceExercise()
    leader.picker.new_name.value = "Q3"
    leader.picker.create.click()
    for label in ("The deadline", "Which tools we use", "Who is on call"):
        leader.custom.value = label
        leader.add.click()
    for (_decision, _dimension, moment), control in leader._rating_controls.items():
        control.value = 4 if moment == "today" else 5
    leader.autosaver.flush()
    panel = leader.voice_panel
    add_members(panel, "A", "B", "C")
    keys = [member_link(panel, n) for n in range(3)]
    # The member page asks for every decision: B's half-done page sends nothing.
    serve_page(monkeypatch, keys[1])
    half = MySay()
    vote(half, {(0, "what", "today"): 2, (0, "what", "want"): 6})
    half.send.click()
    assert "for every decision" in half.message.value
    half.close_store()
    serve_page(monkeypatch, dana)
    # A answers all three; B and C only the deadline (as a page of before did, or a forged
    # answer file), written where members' answers are kept.
    decisions = [d.id for d in leader.answers.decisions]
    members = [m.id for m in panel.voice.members]
    everything = {
        f"say/{d}/{dim}/{moment}": 1
        for d in decisions
        for dim in ("what", "how")
        for moment in ("today", "want")
    }
    deadline_only = {k: 7 for k in everything if k.startswith(f"say/{decisions[0]}/")}
    with WorkbookStore(db_url, client_id=leader.store.client_id) as store:
        store.replace_team_answers(leader.plan.id, "choice", members[0], everything)
        for member in members[1:]:
            store.replace_team_answers(leader.plan.id, "choice", member, deadline_only)
    leader._look()
    assert "3 of the 3 needed" in panel.count.value and not panel.reveal.disabled
    panel.reveal.click()
    frame = team_say_frame(shown_team_say(leader.answers))
    assert set(frame["decision"]) == {"The deadline"} and set(frame["voters"]) == {3}
    assert "Not shown yet" in leader.team_say_text.value
    assert "Which tools we use (WHAT)" in html.unescape(leader.team_say_text.value)
    # The report (HTML, Markdown; the PDF is drawn from the HTML) and what a facilitator
    # or coach opens carry the same: nothing of the two decisions A alone answered.
    report = build_report(leader.store, leader.plan.id)
    (choice,) = [s for s in report.sections if s.exercise == "choice"]
    team_chart = next(c for c in choice.charts if c.name == "choice-team-say")
    assert (
        "Which tools" not in team_chart.description
        and "Who is on call" not in team_chart.description
    )
    for text in (to_html(report), to_markdown(report)):
        assert "Which tools we use (WHAT): the team" not in text
    leader.close_store()


# -- 5. nothing a leader can download attributes a member's answer ------------------------


def test_a_leaders_downloads_hold_no_members_answer(db_url: str, monkeypatch, tmp_path: Path):
    dana = _dana(db_url, monkeypatch)
    leader = leader_selfcheck("Support plan", "By March, every ticket is answered within a day.")
    panel = leader.voice_panel
    add_members(panel, "Ana", "Ben", "Cy")
    for index, sentence in enumerate(["ANA-WROTE-THIS", "BEN-WROTE-THIS", "CY-WROTE-THIS"]):
        serve_page(monkeypatch, member_link(panel, index))
        page = GoalInMyWords()
        where = html.unescape(
            "".join(getattr(w, "value", "") for w in page.children if hasattr(w, "value"))
        )
        # What the member is told, served: never in a file the leader can download.
        assert "never in a file your leader can download" in where
        page.goal.value = sentence
        page.send.click()
        page.close_store()
        serve_page(monkeypatch, dana)
    leader._look()
    panel.reveal.click()
    assert "ANA-WROTE-THIS" in leader.their_goals.value  # shown, together, to the leader
    made = export(leader.store, leader.plan.id, tmp_path, ("json", "share"))
    plan_file = made["json"][0].read_text("utf-8")
    with zipfile.ZipFile(made["share"][0]) as bundle:
        shared = bundle.read("answers.json").decode("utf-8")
    for text in (plan_file, shared, json.dumps(leader.store.export_plan(leader.plan.id))):
        assert '"Ana"' in text  # the list the leader typed travels with the plan...
        assert "WROTE-THIS" not in text  # ...and nothing any of them sent
        keys = [a["key"] for a in json.loads(text)["answers"]]
        assert not [k for k in keys if k.startswith(("member/", "team/"))]
    # Snapshots (the history) keep none either.
    with WorkbookStore(db_url, client_id=leader.store.client_id) as store:
        for snapshot in store.snapshots(leader.plan.id):
            assert "WROTE-THIS" not in json.dumps(snapshot.answers)
        # Read back the way every page reads them, the sentences are still there.
        assert "ANA-WROTE-THIS" in json.dumps(plan_values(store, leader.plan.id, "selfcheck"))
    leader.close_store()


# -- 6. a coach's pages reach coaching clients only ---------------------------------------


@pytest.fixture()
def served(jp_serverapp, jp_base_url: str, database: Database) -> str:
    mount_workbook_pages(jp_serverapp, jp_base_url, database.url)
    return database.url


async def test_the_coachs_link_opens_no_participants_summary(jp_fetch, served: str):
    with WorkbookStore(served) as coach:
        coach_key = coach.new_coach_key()
        client, _ = coach.add_client("Dana")
        cohort, _, _ = coach.create_cohort("C", ["selfcheck"], 5)
        participant, participant_key = coach.join_cohort(cohort.id, "Amber Heron")
    for owner, key in ((client.id, None), (participant.id, participant_key)):
        with WorkbookStore(served, client_id=owner, access_key=key) as store:
            plan = store.create_plan("PRIVATE-PLAN" if key else "Dana's plan")
            store.save_answer(plan.id, "selfcheck", "sentence", "PRIVATE-WORDS")
        address = ("coach", "clients", str(owner), "plans", str(plan.id))
        if key is None:  # a coach's client: the coach's own page
            reply = await jp_fetch(*address, params={"key": coach_key})
            assert reply.code == 200 and "Dana&#x27;s plan" in reply.body.decode()
            continue
        with pytest.raises(HTTPClientError) as refused:
            await jp_fetch(*address, params={"key": coach_key})
        assert refused.value.code == 404
        assert b"PRIVATE" not in (refused.value.response.body or b"")


# -- what reaches a figure is checked, wherever it comes from -----------------------------


def test_a_forged_plan_file_reaches_no_figure_and_breaks_nothing(db_url: str):
    cohort, people = _cohort(db_url, ["choice", "selfcheck"], list("ABCDEF"))
    for alias in "ABCDE":
        _selfcheck(db_url, people[alias])
        finish_choice(db_url, *people[alias])
    # F imports a plan file written by hand: levels and scores no page offers.
    forged = {
        "format": "buyin-workbook.plan",
        "format_version": 1,
        "plan": {"name": "Forged", "created_at": "2026-01-01", "updated_at": "2099-01-01"},
        "answers": [
            {"exercise": e, "key": k, "value": v, "updated_at": "2099-01-01"}
            for e, k, v in [
                ("choice", "decisions", [{"id": f"d{n}", "label": "x"} for n in range(3)]),
                *[
                    ("choice", f"rating/d{n}/{dim}/{m}", level)
                    for n in range(3)
                    for dim in ("what", "how")
                    for m, level in (("today", -1000), ("possible", 999))
                ],
                ("selfcheck", "attitude", "<b>apathy</b>"),
                ("selfcheck", "stance", "aligned"),
                *[
                    ("selfcheck", f"foundation/{f}/score", 999)
                    for f in ("clear", "compelling", "realistic", "consistent", "understood")
                ],
            ]
        ],
    }
    with WorkbookStore(db_url, client_id=people["F"][0], access_key=people["F"][1]) as f:
        f.import_plan(forged)
    shown = _dashboard(db_url, cohort)
    with WorkbookStore(db_url) as store:
        loaded = cohort_frames(store, cohort)
    assert "<b>apathy</b>" not in shown and "999" not in shown
    for exercise in ("choice", "selfcheck"):
        for measure in EXERCISES[exercise].content().cohort:
            if measure.range is None:
                continue
            low, high = measure.range
            rows = loaded["values"][loaded["values"]["measure"] == measure.id]
            assert not rows.empty and rows["value"].between(low, high).all(), measure.id
