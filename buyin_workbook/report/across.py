"""Readings across the exercises: what one exercise's answers mean for another's (a leader
at compliance who is recruiting champions, say). Pure functions on the exercises' stored
answers; the words are in ``content.toml`` (``[across]``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exercises.choice.model import ChoiceAnswers
from ..exercises.choice.scoring import TOLD_OR_SOLD, ratings_frame
from ..exercises.motivators.content import load_content as motivators_content
from ..exercises.motivators.model import MotivatorsAnswers
from ..exercises.motivators.scoring import analyse as motivators_analysis
from ..exercises.selfcheck.content import load_content as selfcheck_content
from ..exercises.selfcheck.model import SelfCheckAnswers
from ..exercises.selfcheck.scoring import is_ready
from ..exercises.stakeholders.model import StakeholdersAnswers
from ..kit.content import flat
from .content import load_content

#: A foundation rated this or higher counts as solid ("compelling" to the leader).
SOLID = 4


def across_exercises(values: Mapping[str, dict[str, Any]], language: str = "en") -> list[str]:
    """The readings that need two exercises' answers, by exercise id, in ``language``;
    empty when none applies."""
    words = {key: flat(text) for key, text in load_content(language).across.items()}
    selfcheck = SelfCheckAnswers.from_store(values.get("selfcheck", {}))
    stakeholders = StakeholdersAnswers.from_store(values.get("stakeholders", {}))
    choice = ChoiceAnswers.from_store(values.get("choice", {}))
    motivators = MotivatorsAnswers.from_store(values.get("motivators", {}))
    found = []

    own = selfcheck_content(language)
    champions = [p.name for p in stakeholders.stakeholders if p.champion]
    if selfcheck.attitude and champions and not is_ready(selfcheck.attitude, own):
        attitude = own.in_sentence(own.attitude(selfcheck.attitude).name)
        found.append(words["champions_while_unsettled"].format(attitude=attitude))

    if (selfcheck.scores.get("compelling") or 0) >= SOLID and motivators.effects:
        overlaps = [r.plan_overlap for r in motivators_analysis(motivators).members]
        low = motivators_content().overlap_bands[0].upto
        if overlaps and all(o is not None and o <= low for o in overlaps):
            found.append(words["compelling_to_you"])

    frame = ratings_frame(choice)
    if (
        not frame.empty
        and (frame["today"] <= TOLD_OR_SOLD).all()
        and stakeholders.strategies.get("involved_early") == "yes"
    ):
        found.append(words["involved_but_told"])
    return found
