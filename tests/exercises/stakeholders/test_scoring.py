from datetime import date

import pandas as pd
import pytest

from buyin_workbook._text import TextError
from buyin_workbook.exercises.stakeholders import charts, scoring
from buyin_workbook.exercises.stakeholders.model import (
    PlannedConversation,
    Stakeholder,
    StakeholdersAnswers,
    new_stakeholder,
    stakeholder_keys,
)
from buyin_workbook.report.render import to_svg

OBSTACLES = ["mandate", "no_follow_through", "timing", "mixed_messages", "attachment"]
STRATEGIES = ["involved_early", "rationale", "objections", "quick_win", "feedback", "incentives"]


def person(name: str, power=None, interest=None, state=None, **kw) -> Stakeholder:
    return Stakeholder(
        name.lower().replace(" ", "-"), name, power=power, interest=interest, state=state, **kw
    )


def reading(answers: StakeholdersAnswers) -> str:
    return "\n".join(scoring.analyse(answers).paragraphs)


# -- the grid -------------------------------------------------------------------------------


def test_grid_places_each_stakeholder_in_its_quadrant():
    answers = StakeholdersAnswers(
        stakeholders=[
            person("CFO", 5, 4, "formal_compliance", level="executives"),
            person("Legal", 4, 1, "agreement"),
            person("Support team", 2, 5, "commitment", level="peer_teams"),
            person("Facilities", 1, 2),
            person("Ops lead", 3, 3, "apathy"),  # on the split: 3 counts as high
            person("New hire"),  # not rated yet
        ]
    )
    grid = scoring.analyse(answers).grid
    assert list(grid.columns) == scoring.GRID_COLUMNS
    assert {"name", "level", "power", "interest", "quadrant", "state", "band"} <= set(grid.columns)
    by_name = grid.set_index("name")
    assert by_name.loc["CFO", "quadrant"] == "key_players"
    assert by_name.loc["Legal", "quadrant"] == "keep_satisfied"
    assert by_name.loc["Support team", "quadrant"] == "keep_informed"
    assert by_name.loc["Facilities", "quadrant"] == "monitor"
    assert by_name.loc["Ops lead", "quadrant"] == "key_players"
    assert pd.isna(by_name.loc["New hire", "quadrant"])
    assert list(grid["band"]) == ["low", "medium", "high", "unknown", "low", "unknown"]
    assert by_name.loc["CFO", "level_name"] == "Executive"
    assert by_name.loc["CFO", "power"] == 5 and by_name.loc["CFO", "interest"] == 4
    assert grid["power"].isna().sum() == 1


def test_unknown_ids_in_the_store_are_read_as_not_answered():
    grid = scoring.analyse(
        StakeholdersAnswers(
            stakeholders=[person("X", 4, 4, "no-such-state", level="no-such-level")]
        )
    ).grid
    assert pd.isna(grid.loc[0, "state"]) and grid.loc[0, "band"] == "unknown"
    assert pd.isna(grid.loc[0, "level"])


# -- the reading: key players not bought in come first -------------------------------------


def test_key_players_not_bought_in_come_first_least_invested_first():
    answers = StakeholdersAnswers(
        stakeholders=[
            person("Facilities", 1, 1, "apathy"),
            person("CFO", 5, 4, "genuine_compliance", concern="Payback within a year."),
            person("VP Eng", 4, 5, "commitment"),
            person("Security", 3, 4, "noncompliance"),
            person("Dana", 5, 5),
        ]
    )
    analysis = scoring.analyse(answers)
    assert analysis.key_players_not_bought_in == ["Dana", "Security", "CFO"]
    paragraphs = analysis.paragraphs
    assert paragraphs[0] == (
        "Start with the key players who are not bought in yet: Dana, Security and CFO."
    )
    assert paragraphs[1].startswith(
        "Dana is a key player (power 5, interest 5) and you do not know where they stand."
    )
    assert paragraphs[2].startswith(
        "Security is a key player (power 3, interest 4) at "
        "noncompliance (resistance), short of buy-in."
    )
    assert paragraphs[3] == (
        "CFO is a key player (power 5, interest 4) at genuine compliance (agreement), short "
        "of buy-in. Manage closely: talk with them early, starting from what "
        "they care about: “Payback within a year”."
    )
    assert "Key players already bought in: VP Eng." in paragraphs[4]
    assert any(p.startswith("Monitor (low power, low interest): Facilities.") for p in paragraphs)


def test_a_broad_state_is_named_once():
    text = reading(StakeholdersAnswers(stakeholders=[person("CFO", 5, 5, "agreement")]))
    assert "at agreement, short of buy-in" in text


def test_no_key_players_is_questioned():
    text = reading(
        StakeholdersAnswers(stakeholders=[person("A", 1, 5, "buy_in"), person("B", 5, 1, "apathy")])
    )
    assert "No one is a key player" in text
    assert "Keep informed (low power, high interest): A." in text
    assert "Keep satisfied (high power, low interest): B." in text


def test_unrated_and_unknown_stakeholders_are_named():
    text = reading(StakeholdersAnswers(stakeholders=[person("A"), person("B", 1, 1)]))
    assert "Not on the grid yet, with no power or interest rating: A." in text
    assert "Where they stand is not known yet: A and B." in text
    assert "No one is a key player" in text  # B is rated and not a key player


def test_nothing_to_read_without_stakeholders():
    analysis = scoring.analyse(StakeholdersAnswers())
    assert analysis.grid.empty and list(analysis.grid.columns) == scoring.GRID_COLUMNS
    assert analysis.paragraphs[0].startswith("Add the people and groups")
    assert analysis.paragraphs[1] == "11 of 11 checks are still open (steps 3 and 4)."


# -- champions: sell with, and enable rather than sell --------------------------------------


def test_champions_with_their_audience_and_case():
    answers = StakeholdersAnswers(
        stakeholders=[
            person(
                "Payments team",
                3,
                5,
                "commitment",
                champion=True,
                audience="the other leads",
                case="It ends the Friday release pain.",
                role="enabler",
            ),
            person("Dana", 2, 4, "buy_in", champion=True, audience="", case="", role="seller"),
            person("Eli", 2, 4, "enrollment"),
            person("Legal", 5, 1, "apathy"),
        ]
    )
    analysis = scoring.analyse(answers)
    assert analysis.champions == [
        scoring.Champion(
            "Payments team", "the other leads", "It ends the Friday release pain.", "enabler"
        ),
        scoring.Champion("Dana", "", "", "seller"),
    ]
    assert analysis.enable_instead == ["Dana"]
    text = "\n".join(analysis.paragraphs)
    assert (
        "Payments team can make the case to the other leads: “It ends the Friday release pain”."
    ) in text
    assert "Dana could champion the plan, but you have not written to whom or what case" in text
    assert "Enable rather than sell: you plan to make the case to Dana yourself" in text
    assert "Bought in but not yet asked to champion it: Eli." in text


def test_a_champion_missing_one_half_is_told_which():
    text = reading(
        StakeholdersAnswers(
            stakeholders=[
                person("A", champion=True, audience="the CFO"),
                person("B", champion=True, case="Faster releases"),
            ]
        )
    )
    assert "A could champion the plan, but you have not written the case they would" in text
    assert "B could champion the plan, but you have not written who they would make" in text


def test_no_champions_points_at_those_bought_in():
    with_candidates = reading(
        StakeholdersAnswers(
            stakeholders=[person("A", 2, 2, "commitment"), person("B", 4, 4, "apathy")]
        )
    )
    assert "No champions yet: the plan rests on you selling it alone. Ask A" in with_candidates
    without = reading(StakeholdersAnswers(stakeholders=[person("B", 4, 4, "apathy")]))
    assert "No champions yet, and no one bought in to ask." in without


# -- the obstacle and strategy checks -------------------------------------------------------


def test_obstacles_present_and_strategies_missing_are_named_plainly():
    answers = StakeholdersAnswers(
        obstacles={"mandate": "yes", "timing": "partly", "attachment": "no"},
        strategies={"quick_win": "no", "rationale": "partly", "feedback": "yes"},
    )
    analysis = scoring.analyse(answers)
    assert [(f.id, f.answer) for f in analysis.obstacles_present] == [
        ("mandate", "yes"),
        ("timing", "partly"),
    ]
    assert [(f.id, f.answer) for f in analysis.strategies_missing] == [
        ("rationale", "partly"),
        ("quick_win", "no"),
    ]
    text = "\n".join(analysis.paragraphs)
    assert "Obstacle present: A mandate without context. Explain why before what" in text
    assert "Obstacle partly present: Poor timing." in text
    assert "Strategy missing: A quick win shown." in text
    assert "Strategy only partly in place: Rationale explained." in text
    assert "5 of 11 checks are still open" in text
    assert "Attachment" not in text


def test_all_checks_answered_well():
    text = reading(
        StakeholdersAnswers(
            obstacles=dict.fromkeys(OBSTACLES, "no"), strategies=dict.fromkeys(STRATEGIES, "yes")
        )
    )
    assert "None of the five common obstacles is present" in text
    assert "All six strategies are in place" in text
    assert "still open" not in text


# -- next conversations ---------------------------------------------------------------------


def test_next_conversations_dated_first_and_blank_rows_dropped():
    answers = StakeholdersAnswers(
        stakeholders=[person("CFO", 5, 5, "compliance"), person("Dana", 4, 4)],
        conversations=[
            PlannedConversation("a", "Legal", "data retention"),
            PlannedConversation("b", "CFO (finance)", "payback", date(2027, 3, 1)),
            PlannedConversation("c", "  ", "  "),
            PlannedConversation("d", "Ops", "rota", date(2027, 2, 1)),
        ],
    )
    analysis = scoring.analyse(answers)
    assert analysis.next_conversations == [
        scoring.Conversation("Ops", "rota", date(2027, 2, 1)),
        scoring.Conversation("CFO (finance)", "payback", date(2027, 3, 1)),
        scoring.Conversation("Legal", "data retention", None),
    ]
    text = "\n".join(analysis.paragraphs)
    assert (
        "3 conversations planned; the first due is with Ops about “rota”, by 01 Feb 2027."
    ) in text
    # "CFO (finance)" names the CFO; nobody is down to talk with Dana.
    assert "No conversation planned yet with Dana, a key player not bought in." in text


def test_a_conversation_with_a_longer_name_is_not_one_with_the_shorter():
    answers = StakeholdersAnswers(
        stakeholders=[
            person("Finance", 5, 5, "compliance"),
            person("Finance lead", 4, 4, "buy_in"),
        ],
        conversations=[PlannedConversation("a", "Finance lead", "budget")],
    )
    assert "No conversation planned yet with Finance, a key player" in reading(answers)
    assert not scoring.mentions("Finance lead", "Finance", ["Finance", "Finance lead"])
    assert scoring.mentions("Finance (Ana)", "Finance", ["Finance", "Finance lead"])
    assert not scoring.mentions("Danaher", "Dana")


def test_a_champion_at_noncompliance_is_not_sent_to_make_the_case():
    answers = StakeholdersAnswers(
        stakeholders=[
            person(
                "CFO", 5, 5, "noncompliance", champion=True, audience="the board", case="It pays"
            )
        ]
    )
    text = reading(answers)
    assert "You marked CFO as a champion, yet they are at noncompliance" in text
    assert "CFO can make the case to the board" not in text


def test_key_players_level_with_each_other_are_not_all_first():
    answers = StakeholdersAnswers(
        stakeholders=[person(name, 3, 3, "compliance") for name in ("A", "B", "C", "D")]
    )
    text = reading(answers)
    assert "before anyone else" not in text
    assert "A, B, C and D come out level (the same stance, power and interest)" in text
    first = StakeholdersAnswers(
        stakeholders=[person("A", 5, 5, "compliance"), person("B", 3, 3, "compliance")]
    )
    assert reading(first).count("before anyone else") == 1


def test_a_powerful_resister_to_keep_satisfied_is_warned_about():
    answers = StakeholdersAnswers(
        stakeholders=[person("Legal", 5, 1, "noncompliance"), person("Audit", 4, 2, "buy_in")]
    )
    text = reading(answers)
    assert "Legal: high power, low interest, and noncompliance" in text
    assert "Audit: high power" not in text


def test_mentions_ignores_case_and_spacing():
    assert scoring.mentions("talk to  DANA (cfo)", "Dana")
    assert not scoring.mentions("Dan", "Dana")
    assert not scoring.mentions("anyone", "")


# -- progress, store, new names -------------------------------------------------------------


def complete() -> StakeholdersAnswers:
    return StakeholdersAnswers(
        stakeholders=[
            person(
                "CFO",
                5,
                5,
                "compliance",
                level="executives",
                concern="Cost",
                champion=True,
                audience="the board",
                case="Cheaper",
                role="enabler",
            )
        ],
        obstacles=dict.fromkeys(OBSTACLES, "no"),
        strategies=dict.fromkeys(STRATEGIES, "yes"),
        obstacle_notes={"timing": "after the freeze"},
        conversations=[PlannedConversation("a", "CFO", "payback", date(2027, 1, 15))],
    )


def test_progress():
    assert scoring.progress(StakeholdersAnswers()) == "not started"
    assert scoring.progress(StakeholdersAnswers(obstacles={"mandate": "no"})) == "in progress"
    assert scoring.progress(complete()) == "done"
    unrated = complete()
    unrated.stakeholders[0].state = None
    assert scoring.progress(unrated) == "in progress"
    no_talk = complete()
    no_talk.conversations = [PlannedConversation("a", "", "payback")]
    assert scoring.progress(no_talk) == "in progress"


def test_store_values_round_trip():
    original = complete()
    values = original.to_store()
    assert values["stakeholder/cfo/power"] == 5
    assert values["stakeholder/cfo/champion"] is True
    assert values["obstacle/mandate/answer"] == "no"
    assert values["obstacle/timing/note"] == "after the freeze"
    assert values["conversations"][0]["by_when"] == "2027-01-15"
    assert StakeholdersAnswers.from_store(values) == original


def test_malformed_values_are_skipped():
    answers = StakeholdersAnswers.from_store(
        {
            "stakeholders": [
                {"id": "a", "name": "A"},
                {"id": "a", "name": "A again"},
                {"name": "no id"},
                {"id": "b"},
                "junk",
                {"id": "c", "name": "C"},
            ],
            "stakeholder/a/power": 7,
            "stakeholder/a/interest": True,
            "stakeholder/a/state": 3,
            "stakeholder/a/role": "boss",
            "stakeholder/a/champion": "yes",
            "stakeholder/a/concern": ["x"],
            "stakeholder/a/level": "",
            "stakeholder/a/unknown": 1,
            "stakeholder/c/power": "3",
            "stakeholder/c/interest": 2,
            "stakeholder/zzz/power": 4,  # not on the list
            "obstacle/mandate/answer": "maybe",
            "strategy/feedback/answer": "partly",
            "strategy/feedback/note": 12,
            "obstacle": "yes",
            "conversations": [{"id": "x", "by_when": "not a date", "who": 5}, "junk", {"who": "Y"}],
        }
    )
    assert [p.id for p in answers.stakeholders] == ["a", "c"]
    assert answers.stakeholders[0] == Stakeholder("a", "A")
    assert answers.stakeholders[1] == Stakeholder("c", "C", interest=2)
    assert answers.obstacles == {} and answers.strategies == {"feedback": "partly"}
    assert answers.strategy_notes == {}
    assert answers.conversations == [PlannedConversation("x")]
    assert (
        StakeholdersAnswers.from_store({"stakeholders": "junk", "conversations": {}})
        == StakeholdersAnswers()
    )


def test_new_names_are_cleaned_and_duplicates_refused():
    existing = [Stakeholder("a", "VP Engineering")]
    added = new_stakeholder(
        existing, "  Dana <script>alert(1)</script> ", max_stakeholders=30, max_length=80
    )
    assert added.name == "Dana <script>alert(1)</script>"  # kept literal, shown escaped
    with pytest.raises(TextError, match="already on your list"):
        new_stakeholder(existing, "vp  ENGINEERING", max_stakeholders=30, max_length=80)
    with pytest.raises(TextError, match="empty"):
        new_stakeholder(existing, " \u200b ", max_stakeholders=30, max_length=80)
    with pytest.raises(TextError, match="limit is 80"):
        new_stakeholder(existing, "x" * 81, max_stakeholders=30, max_length=80)
    with pytest.raises(TextError, match="At most 1 stakeholders"):
        new_stakeholder(existing, "Eli", max_stakeholders=1, max_length=80)


def test_stakeholder_keys_cover_every_field():
    keys = stakeholder_keys("a")
    assert "stakeholder/a/power" in keys and "stakeholder/a/case" in keys
    assert set(complete().stakeholders[0].to_values()) <= set(stakeholder_keys("cfo"))


def test_figures():
    figures = scoring.figures(complete())
    assert figures == {
        "stakeholders": 1,
        "bought in (share of stakeholders)": 0.0,
        "key players not bought in": 1,
        "champions": 1,
        "obstacles present": 0,
        "strategies missing": 0,
        # Each stakeholder's standing, for the history to follow (compliance: 4 of 10).
        "where CFO stands (10 commitment … 1 apathy)": 4,
    }
    assert scoring.figures(StakeholdersAnswers())["bought in (share of stakeholders)"] is None


# -- the chart ------------------------------------------------------------------------------


def test_people_in_one_cell_are_spread_around_it_the_same_way_every_time():
    answers = StakeholdersAnswers(
        stakeholders=[
            person("A", 4, 4),
            person("B", 4, 4),
            person("C", 4, 4),
            person("D", 1, 5),
            person("E"),
        ]
    )
    grid = scoring.analyse(answers).grid
    placed = charts.spread(grid)
    assert list(placed["name"]) == ["A", "B", "C", "D"]
    cell = placed[placed["power"] == 4]
    assert len(set(zip(cell["x"], cell["y"], strict=True))) == 3
    assert ((cell["x"] - 4).abs() <= 0.25).all() and ((cell["y"] - 4).abs() <= 0.25).all()
    alone = placed.set_index("name").loc["D"]
    assert (alone["x"], alone["y"]) == (5, 1)
    assert charts.spread(grid).equals(placed)


def test_grid_chart_draws_names_as_text_with_quadrants_and_legend():
    answers = StakeholdersAnswers(
        stakeholders=[
            person("<script>alert(1)</script>", 5, 5, "commitment", champion=True),
            person("Legal", 4, 1, "apathy"),
            person("Unrated"),
        ]
    )
    svg = to_svg(charts.grid_chart(scoring.analyse(answers).grid))
    assert svg.startswith("<svg")
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; ★" in svg
    for text in (
        "Key players: manage closely",
        "Keep satisfied",
        "Keep informed",
        "Monitor",
        "Readiness",
        "High: buy-in",
        "Medium: agreement",
        "Low: compliance or less",
        "Not known yet",
        "Legal",
    ):
        assert text in svg, text
    assert "Unrated" not in svg


def test_grid_chart_of_nobody_rated_still_draws():
    grid = scoring.analyse(StakeholdersAnswers(stakeholders=[person("A")])).grid
    assert to_svg(charts.grid_chart(grid)).startswith("<svg")


# -- keeping buy-in going: what came of conversations, objections, quick wins --------------


def test_objections_quick_wins_and_what_came_of_conversations_are_read():
    from buyin_workbook.exercises.stakeholders.model import Objection, QuickWin

    answers = StakeholdersAnswers(
        stakeholders=[person("CFO", 5, 5, "buy_in")],
        conversations=[
            PlannedConversation("a", "CFO", "payback", date(2026, 11, 1)),
            PlannedConversation("b", "Ops", "rota", date(2026, 11, 2), "They want a pilot"),
            PlannedConversation("c", "Legal", "data", date(2027, 1, 5)),
        ],
        objections=[
            Objection("o1", "We tried this in 2022", "Ops", ""),
            Objection("o2", "It costs too much", "CFO", "Show the payback month by month"),
            Objection("o3", "   ", "", ""),
        ],
        quick_wins=[
            QuickWin("w1", "First team on the rota", date(2026, 11, 20)),
            QuickWin("w2", "The dashboard demo", date(2026, 12, 15)),
        ],
    )
    text = "\n".join(scoring.analyse(answers, today=date(2026, 12, 1)).paragraphs)
    assert "Past their date with nothing noted of what came of them: CFO about “payback”." in text
    assert "Objections with no answer yet: “We tried this in 2022” (Ops)." in text
    assert "The next quick win to show: “The dashboard demo”, by 15 Dec 2026." in text
    later = "\n".join(scoring.analyse(answers, today=date(2027, 1, 1)).paragraphs)
    assert "The quick win “The dashboard demo” was due 15 Dec 2026" in later


def test_no_quick_win_while_the_strategy_is_missing_asks_for_one_with_a_date():
    answers = StakeholdersAnswers(
        stakeholders=[person("CFO", 5, 5, "buy_in")], strategies={"quick_win": "no"}
    )
    assert "No quick win listed yet" in reading(answers)


def test_the_logs_round_trip_through_the_store_and_junk_is_skipped():
    from buyin_workbook.exercises.stakeholders.model import Objection, QuickWin

    answers = StakeholdersAnswers(
        objections=[Objection("o1", "Too soon", "Ops", "Pilot first")],
        quick_wins=[QuickWin("w1", "Demo", date(2027, 2, 1))],
        conversations=[PlannedConversation("a", "CFO", "payback", None, "Agreed a pilot")],
    )
    again = StakeholdersAnswers.from_store(answers.to_store())
    assert again.objections == answers.objections and again.quick_wins == answers.quick_wins
    assert again.conversations[0].outcome == "Agreed a pilot"
    junk = StakeholdersAnswers.from_store(
        {"objections": [{"id": 3}, "x", {"id": "o", "what": ["list"]}], "quick_wins": {"id": "w"}}
    )
    assert junk.objections == [Objection("o")] and junk.quick_wins == []
