"""The goal in team members' words: their sentences checked as the leader's is, compared by
the outcome words they share with it, unattributed and in random order."""

from __future__ import annotations

import random

from buyin_workbook.exercises.selfcheck.content import load_content
from buyin_workbook.exercises.selfcheck.their_words import evidence_text, outcome_terms, their_goals

CONTENT = load_content()
LEADER = "By the end of Q3 every service runs on the new platform and the old one is switched off."
THEIRS = [
    "Move all our services onto the new platform by September.",
    "Switch off the old platform.",
    "We leverage synergies going forward",
    "   ",
    "Hire two engineers <script>alert(1)</script> by June 🚀",
]


def test_outcome_terms_leave_common_words_and_plurals_aside():
    # Common words, "one" and a time ("Q3") name no outcome; "services" is "service".
    assert outcome_terms(LEADER, CONTENT) == [
        "service",
        "runs",
        "platform",
        "old",
        "switched",
        "off",
    ]


def test_their_sentences_are_checked_compared_and_shuffled():
    goals = their_goals(LEADER, THEIRS, CONTENT, rng=random.Random(3))
    assert sorted(g.sentence for g in goals) == sorted(s.strip() for s in THEIRS if s.strip())
    by_text = {g.sentence: g for g in goals}
    moved = by_text["Move all our services onto the new platform by September."]
    assert moved.shared == ["service", "platform"] and moved.same_outcome
    switched = by_text["Switch off the old platform."]
    assert switched.shared == ["platform", "old", "off"] and switched.same_outcome
    vague = by_text["We leverage synergies going forward"]
    assert vague.shared == [] and not vague.same_outcome
    checks = {f.check: f for f in vague.findings}
    assert not checks["vague"].passed and not checks["time"].passed
    hired = by_text["Hire two engineers <script>alert(1)</script> by June 🚀"]
    assert {f.check: f.passed for f in hired.findings}["outcome"]  # "hire"
    assert evidence_text(goals, CONTENT) == "2 of 4 named the same outcome as you."
    # The order does not follow who wrote what (nor the order they came in).
    orders = {
        tuple(g.sentence for g in their_goals(LEADER, THEIRS, CONTENT, rng=random.Random(seed)))
        for seed in range(8)
    }
    assert len(orders) > 1
