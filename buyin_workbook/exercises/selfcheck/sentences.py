"""The one-sentence checks of "Am I bought in myself?": heuristics on the words (kept in
content data so they can be tuned): length, one sentence, an observable outcome, for whom
or why, a time, and vague words. Pure functions on plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .content import SelfCheckContent, SentenceRules, load_content

_WORD = re.compile(r"[\w\u2019'-]+", re.UNICODE)
# A full stop, then the next sentence's first capital, digit or opening mark (« ¿ ¡ too).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s+[A-ZÀ-ÖØ-Þ0-9“\"«¿¡])")
_DAY_DOT = re.compile(r"\b(\d{1,2})\.(?=\s)")
Check = Literal["length", "one_sentence", "outcome", "purpose", "time", "vague"]


@dataclass(frozen=True)
class Finding:
    """One check of the one-sentence test."""

    check: Check
    passed: bool
    message: str


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def _phrase(text: str, phrase: str) -> re.Match[str] | None:
    """A whole-word, case-insensitive match of a word or phrase."""
    pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![\w-])"
    return re.search(pattern, text, re.IGNORECASE)


def sentence_count(sentence: str, rules: SentenceRules | None = None) -> int:
    rules = rules or load_content().sentence
    text = sentence.strip()
    for abbreviation in rules.abbreviations:  # "e.g. AWS" does not start a sentence
        text = re.sub(re.escape(abbreviation), abbreviation.replace(".", ""), text, flags=re.I)
    if rules.ordinal_dot:  # "31. März" is one date
        text = _DAY_DOT.sub(r"\1", text)
    parts = _SENTENCE_END.split(text)
    return sum(1 for part in parts if _WORD.search(part))


def time_mentioned(sentence: str, rules: SentenceRules | None = None) -> str | None:
    rules = rules or load_content().sentence
    match = rules.time.search(sentence)
    return match.group(0) if match else None


def measure_mentioned(sentence: str, rules: SentenceRules | None = None) -> str | None:
    """A number or amount, leaving out the digits of a time ("Q3", "2027")."""
    rules = rules or load_content().sentence
    match = rules.measure.search(rules.time.sub(" ", sentence))
    return match.group(0).strip() if match else None


def vague_words_in(sentence: str, rules: SentenceRules) -> list[str]:
    """Buzzwords, and improvement words with no measure to say how much."""
    found = [word for word in rules.vague_words if _phrase(sentence, word)]
    if measure_mentioned(sentence, rules) is None:
        found += [word for word in rules.needs_measure_words if _phrase(sentence, word)]
    return found


def outcome_mentioned(sentence: str, rules: SentenceRules) -> str | None:
    """An outcome word ("ship", "switch off") or else a measure ("30%"); an activity that
    contains one ("reach out") is not an outcome."""
    for activity in rules.not_outcomes:
        while (found := _phrase(sentence, activity)) is not None:
            sentence = (
                sentence[: found.start()] + " " * len(found.group(0)) + sentence[found.end() :]
            )
    for word in rules.outcome_words:
        match = _phrase(sentence, word)
        if match:
            return match.group(0)
    return measure_mentioned(sentence, rules)


def purpose_mentioned(sentence: str, rules: SentenceRules) -> str | None:
    """Who the goal is for, or why ("so that ...", "customers")."""
    for word in rules.purpose_words:
        match = _phrase(sentence, word)
        if match:
            return match.group(0)
    return None


def sentence_findings(sentence: str, content: SelfCheckContent | None = None) -> list[Finding]:
    """What the one-sentence test found; empty when there is no sentence yet."""
    content = content or load_content()
    rules = content.sentence
    text = sentence.strip()
    if not text:
        return []
    say = rules.findings
    count = len(words(text))
    sentences = sentence_count(text, rules)
    outcome = outcome_mentioned(text, rules)
    purpose = purpose_mentioned(text, rules)
    when = time_mentioned(text, rules)
    vague = vague_words_in(text, rules)
    return [
        Finding(
            "length",
            count <= rules.max_words,
            (say["length_ok"] if count <= rules.max_words else say["length_long"]).format(
                words=count, max=rules.max_words
            ),
        ),
        Finding(
            "one_sentence",
            sentences <= 1,
            say["one_sentence"]
            if sentences <= 1
            else say["many_sentences"].format(count=sentences),
        ),
        Finding(
            "outcome",
            outcome is not None,
            say["outcome_ok"].format(evidence=outcome) if outcome else say["outcome_missing"],
        ),
        Finding(
            "purpose",
            purpose is not None,
            say["purpose_ok"].format(evidence=purpose) if purpose else say["purpose_missing"],
        ),
        Finding(
            "time",
            when is not None,
            say["time_ok"].format(evidence=when) if when else say["time_missing"],
        ),
        Finding(
            "vague",
            not vague,
            say["vague_found"].format(words=content.listed(vague)) if vague else say["vague_ok"],
        ),
    ]
