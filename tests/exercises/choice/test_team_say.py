"""The team's own say on the choice exercise: votes read from members' answers, the team's
middle answer and range per decision, and the reading's cases (hand-computed)."""

from __future__ import annotations

from buyin_workbook.exercises.choice.content import load_content
from buyin_workbook.exercises.choice.model import (
    ChoiceAnswers,
    Constraint,
    Decision,
    SayVote,
    member_votes,
    say_key,
)
from buyin_workbook.exercises.choice.team_say import (
    FRAME_COLUMNS,
    held_back,
    say_findings,
    shown_team_say,
    team_say,
    team_say_frame,
    team_votes,
    voters,
)
from buyin_workbook.kit.team_voice import (
    GROUPS_KEY,
    MEMBERS_KEY,
    REVEALED_KEY,
    TeamVoice,
    team_key,
)

CONTENT = load_content()
DEADLINE = Decision("d1", "The deadline")
TOOLS = Decision("d2", "Which tools we use")
ROTA = Decision("d3", "Who is on call")


def _leader() -> ChoiceAnswers:
    answers = ChoiceAnswers(decisions=[DEADLINE, TOOLS, ROTA])
    levels = {
        ("d1", "what"): (4, 5),  # today, most I could give
        ("d2", "how"): (3, 3),
        ("d3", "what"): (6, 7),
    }
    for (decision, dimension), (today, possible) in levels.items():
        answers.ratings[(decision, dimension, "today")] = today
        answers.ratings[(decision, dimension, "possible")] = possible
    answers.constraints[("d1", "what")] = Constraint("customer", "real")
    answers.constraints[("d2", "how")] = Constraint("comfort", "self")
    return answers


def _votes(*rows: tuple[str, str, int, int]) -> list[SayVote]:
    return [SayVote(*row) for row in rows]


VOTES = {
    "m1": _votes(("d1", "what", 2, 7), ("d2", "how", 1, 5), ("d3", "what", 6, 3)),
    "m2": _votes(("d1", "what", 3, 6), ("d2", "how", 4, 4), ("d3", "what", 7, 4)),
    "m3": _votes(("d1", "what", 2, 6), ("d2", "how", 7, 6), ("d3", "what", 6, 5)),
}


def test_a_members_votes_are_read_whole_and_nothing_else():
    values = {
        say_key("d1", "what", "today"): 2,
        say_key("d1", "what", "want"): 7,
        say_key("d2", "how", "today"): 3,  # no "want": not a vote
        say_key("d3", "what", "today"): 9,  # out of range
        say_key("d3", "what", "want"): 4,
        say_key("d1", "who", "today"): 2,  # no such dimension
        "say/d1/how/today": True,  # not a level
        "say/d1/how/want": 3,
        "sentence": "Cut the queue",
    }
    assert member_votes(values) == [SayVote("d1", "what", 2, 7)]
    assert voters({"m1": member_votes(values), "m2": [], "m3": []}) == 1


def test_the_teams_middle_answer_and_range_beside_the_leaders():
    team = team_say(_leader(), VOTES | {"gone": _votes(("removed", "what", 1, 1))})
    by_question = {(s.decision.id, s.dimension): s for s in team}
    assert list(by_question) == [("d1", "what"), ("d2", "how"), ("d3", "what")]
    deadline = by_question[("d1", "what")]
    assert deadline.voters == 3
    assert (deadline.today.median, deadline.today.low, deadline.today.high) == (2.0, 2, 3)
    assert (deadline.want.median, deadline.want.span) == (6.0, 1)
    assert (deadline.leader_today, deadline.leader_possible, deadline.nature) == (4, 5, "real")
    tools = by_question[("d2", "how")]
    assert (tools.today.median, tools.today.span, tools.want.median) == (4.0, 6, 5.0)
    # An even number of voters: the middle of the two middle answers.
    two = team_say(
        _leader(), {"a": _votes(("d1", "what", 2, 5)), "b": _votes(("d1", "what", 3, 6))}
    )
    assert two[0].today.median == 2.5 and two[0].want.median == 5.5


def test_the_reading_names_each_gap_and_each_disagreement():
    findings = say_findings(team_say(_leader(), VOTES), CONTENT)
    kinds = [(f.kind, f.decision, f.dimension) for f in findings]
    assert kinds == [
        # The deadline: you give 4, they feel 2; they want 6, you can give 5, for a real reason.
        ("not_felt", "The deadline", "WHAT"),
        ("want_more_real", "The deadline", "WHAT"),
        # Tools: you give 3, they feel 4; want 5 over your most of 3, self-imposed; their
        # todays run from 1 to 7.
        ("felt_more", "Which tools we use", "HOW"),
        ("want_more_self", "Which tools we use", "HOW"),
        ("disagree", "Which tools we use", "HOW"),
        # The rota: you give 6 and they feel it (6), but they want less (4).
        ("want_less", "Who is on call", "WHAT"),
    ]
    texts = {f.kind: f.text for f in findings}
    assert "You said 4 · Agree; their middle answer is 2 · Sell" in texts["not_felt"]
    assert "more say (6 · Inquire) than you can give (5 · Advise)" in texts["want_more_real"]
    assert "persuasion is fair here" in texts["want_more_real"]
    assert "from 1 · Tell to 7 · Delegate" in texts["disagree"]
    assert "wants less say (4 · Agree) than you give today (6 · Inquire)" in texts["want_less"]


def test_no_gap_no_finding_and_an_unnamed_limit_is_asked_for():
    answers = _leader()
    answers.constraints.clear()
    same = {m: _votes(("d1", "what", 4, 4)) for m in ("m1", "m2", "m3")}
    assert say_findings(team_say(answers, same), CONTENT) == []
    more = {m: _votes(("d1", "what", 4, 7)) for m in ("m1", "m2", "m3")}
    (finding,) = say_findings(team_say(answers, more), CONTENT)
    assert finding.kind == "want_more_unnamed" and "Name what holds you" in finding.text


def test_a_team_wanting_what_you_could_give_is_a_finding_not_no_gap():
    """At Sell, could give up to Advise, the team wants Advise: the first place to open up."""
    answers = ChoiceAnswers(decisions=[DEADLINE])
    for moment, level in (("today", 2), ("possible", 5)):
        answers.ratings[("d1", "what", moment)] = level
    votes = {m: _votes(("d1", "what", 2, 5)) for m in ("m1", "m2", "m3")}
    (finding,) = say_findings(team_say(answers, votes), CONTENT)
    assert finding.kind == "want_more_within"
    assert "wants more say (5 · Advise) than you give today (2 · Sell)" in finding.text


def test_a_team_that_feels_more_say_than_you_intend_is_told_neutrally():
    answers = ChoiceAnswers(decisions=[DEADLINE])
    for moment, level in (("today", 2), ("possible", 2)):
        answers.ratings[("d1", "what", moment)] = level
    votes = {m: _votes(("d1", "what", 4, 4)) for m in ("m1", "m2", "m3")}
    kinds = {f.kind: f.text for f in say_findings(team_say(answers, votes), CONTENT)}
    assert "feels more say (4 · Agree) than you believe you give (2 · Sell)" in kinds["felt_more"]
    assert "Ask for an example" in kinds["felt_more"]
    less = {m: _votes(("d1", "what", 1, 2)) for m in ("m1", "m2", "m3")}
    (not_felt,) = say_findings(team_say(answers, less), CONTENT)
    assert "Ask for an example" in not_felt.text and "say it" not in not_felt.text


def test_votes_come_from_the_leaders_plan_by_member_and_make_a_frame():
    roster = [{"id": m, "name": m.title()} for m in ("ana", "ben", "cy", "dee")]
    values = {"decisions": [{"id": "d1", "label": "The deadline"}], MEMBERS_KEY: roster}
    for member, (today, want) in {"ana": (2, 6), "ben": (3, 7), "cy": (2, 6)}.items():
        values[team_key(member, say_key("d1", "what", "today"))] = today
        values[team_key(member, say_key("d1", "what", "want"))] = want
    values[team_key("dee", say_key("d1", "what", "today"))] = 5  # not finished: no vote
    values["member/ana/self"] = {"order": ["a"]}  # "about me": not a vote
    values["member/ana/say/d1/what/today"] = 1  # not where members' answers are read
    values[team_key("gone", say_key("d1", "what", "today"))] = 1  # not on the list
    values[team_key("gone", say_key("d1", "what", "want"))] = 1
    votes = team_votes(TeamVoice.from_store(values))
    assert sorted(votes) == ["ana", "ben", "cy"] and voters(votes) == 3
    frame = team_say_frame(team_say(_leader(), votes))
    assert list(frame.columns) == FRAME_COLUMNS and len(frame) == 1
    row = frame.iloc[0]
    assert (row["team_today"], row["team_want"], row["leader_today"]) == (2.0, 6.0, 4)
    assert (row["team_want_low"], row["team_want_high"], row["voters"]) == (6, 7, 3)


def test_the_team_say_chart_shows_both_sides_for_every_question():
    from buyin_workbook.exercises.choice.charts import team_say_chart
    from buyin_workbook.kit.charts import chart_bundle
    from tests.plugin.charts import chart_spec, chart_strings

    answers = _leader()
    answers.decisions[0] = Decision("d1", "<script>alert(1)</script> deadline")
    frame = team_say_frame(team_say(answers, VOTES))
    spec = chart_spec({"data": chart_bundle(team_say_chart(frame, CONTENT), "The team's say")})
    points = [row for rows in spec["datasets"].values() for row in rows if "who" in row]
    assert len(points) == 3 * 4  # three questions; your two levels, the team's two
    assert {row["who"] for row in points} == {
        "You: today",
        "You: the most you could give",
        "Team: today (middle answer)",
        "Team: would want (middle answer)",
    }
    tools_want = [
        row["level"]
        for row in points
        if row["decision"] == "Which tools we use" and row["who"].startswith("Team: would")
    ]
    assert tools_want == [5.0]
    # A decision's name travels as data (drawn as text), never as markup of the page.
    assert "<script>alert(1)</script> deadline" in chart_strings(spec["datasets"])


def test_a_question_is_shown_only_over_everyone_whose_answers_are_shown():
    # Three decisions, A, B and C asked: A answered all three, B and C the deadline only
    # (say, the other two were added after they answered). The deadline is shown over the
    # three; the others would be A's answer alone, and are held back.
    roster = [{"id": m, "name": m.upper()} for m in ("a", "b", "c")]
    values = {
        "decisions": [
            {"id": "d1", "label": "The deadline"},
            {"id": "d2", "label": "Which tools we use"},
            {"id": "d3", "label": "Who is on call"},
        ],
        MEMBERS_KEY: roster,
        REVEALED_KEY: True,
        GROUPS_KEY: [["a", "b", "c"]],
    }
    for member, decisions in {"a": ("d1", "d2", "d3"), "b": ("d1",), "c": ("d1",)}.items():
        for decision in decisions:
            values[team_key(member, say_key(decision, "what", "today"))] = 2
            values[team_key(member, say_key(decision, "what", "want"))] = 6
    answers = ChoiceAnswers.from_store(values)
    (shown,) = shown_team_say(answers)
    assert (shown.decision.id, shown.dimension, shown.voters) == ("d1", "what", 3)
    assert [(d.id, dim) for d, dim in held_back(answers)] == [
        ("d1", "how"),
        ("d2", "what"),
        ("d2", "how"),
        ("d3", "what"),
        ("d3", "how"),
    ]
    frame = team_say_frame(shown_team_say(answers))
    assert frame["voters"].tolist() == [3]  # never a row over fewer than the group


def test_the_team_say_chart_names_each_row_and_never_draws_one_mark_over_another():
    """One row per decision and dimension, labelled ("… · WHAT"), and each of the four
    answers on its own line within it, so a level two answers share shows both."""
    from buyin_workbook.exercises.choice.charts import team_say_chart

    frame = team_say_frame(team_say(_leader(), VOTES))
    spec = team_say_chart(frame, CONTENT).to_dict()
    marks = [layer for layer in spec["layer"] if "yOffset" in layer.get("encoding", {})]
    assert len(marks) == 2 and all(m["encoding"]["yOffset"]["field"] == "who" for m in marks)
    rows = {row["question"] for rows in spec["datasets"].values() for row in rows if "who" in row}
    labels = {dim: words["label"] for dim, words in CONTENT.dimensions.items()}
    pairs = zip(frame["decision"], frame["dimension"], strict=True)
    expected = {f"{decision} · {labels[dim]}" for decision, dim in pairs}
    assert rows == expected and "Which tools we use · HOW" in rows
