"""A cohort's figures read each participant's answers once per change: the live dashboard
is drawn again at every change in the room, and only who changed something is read again."""

from __future__ import annotations

import dataclasses

from buyin_workbook.exercises import EXERCISES
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.cohorts.results import finished_values
from tests.plugin.cohort import finish_selfcheck


def test_only_the_participant_who_changed_an_answer_is_read_again(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'room.sqlite'}"
    read: list[str] = []
    declared = EXERCISES["selfcheck"]

    def counted(values):
        read.append(values["sentence"])
        return declared.cohort_values(values)

    # Scoring of its own, so no other test's reads are remembered for it.
    selfcheck = dataclasses.replace(declared, cohort_values=counted)
    with WorkbookStore(db_url) as coach:
        cohort, _f, _j = coach.create_cohort("Room", ["selfcheck"], 3)
        people = [coach.join_cohort(cohort.id, f"P{n}") for n in range(4)]
    for n, (person, key) in enumerate(people):
        finish_selfcheck(
            db_url,
            person.id,
            key,
            attitude="commitment",
            stance="aligned",
            scores=(n + 1, 3, 3, 3, 3),
            sentence=f"Goal {n} by June.",
        )
    with WorkbookStore(db_url) as coach:
        first = finished_values(coach, cohort, selfcheck)
        assert sorted(read) == [f"Goal {n} by June." for n in range(4)]
        read.clear()
        assert finished_values(coach, cohort, selfcheck) == first and read == []
    # One participant changes a score: theirs is read again, and their new value counts.
    person, key = people[2]
    finish_selfcheck(
        db_url,
        person.id,
        key,
        attitude="compliance",
        stance="aligned",
        scores=(5, 5, 5, 5, 5),
        sentence="Goal 2 by June.",
    )
    with WorkbookStore(db_url) as coach:
        again = finished_values(coach, cohort, selfcheck)
    assert read == ["Goal 2 by June."]
    assert again[person.id] != first[person.id]
    assert again == {**first, person.id: declared_values(db_url, cohort, person.id)}


def declared_values(db_url, cohort, participant_id):
    """What the exercise's own scoring gives now, read without the memo."""
    with WorkbookStore(db_url) as coach:
        return finished_values(coach, cohort, EXERCISES["selfcheck"])[participant_id]
