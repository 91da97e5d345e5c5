"""Whether a page in German, French or Spanish still shows English: its visible text is
read word by word against English words that are no word of those languages."""

from __future__ import annotations

import re

#: Common English words that none of German, French or Spanish writes ("on", "as", "an",
#: "so", "or", "no", "die", "was", "will", "me", "not", "page", "link", "alias", "figures",
#: "change", "plan" and the like are left out: one of those languages has them).
ENGLISH = frozenset(
    """the and of your you with what how which this that these those who when where why from
    into about after before been being have has had would should could can't don't isn't
    it's their there they them our ours here each every other than then just only yet is
    are were be it its if any for by at to my we us out up one two three answer answers
    save saved share shared join joined people facilitator summary exercise exercises work
    through keep done started progress welcome full closed choose chosen see seen""".split()  # noqa: SIM905 (a word list reads best as words)
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def english_left(text: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """The English words in ``text`` (its ``names`` taken out first: the product's name, a
    cohort's or a person's), each once, in the order they first appear."""
    for name in ("Buy-in Workbook", "Buy-in", *names):
        text = text.replace(name, " ")
    found: list[str] = []
    for word in _WORD.findall(text):
        lowered = word.lower().replace("’", "'")
        if lowered in ENGLISH and lowered not in found:
            found.append(lowered)
    return found
