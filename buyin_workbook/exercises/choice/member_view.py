"""The page a team member's link opens for the choice exercise: their say on the plan's
decisions, today and wanted, without the leader's ratings or anyone else's answers."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..._text import N_, TextError, clean_name
from ...kit.team_voice import VoiceFileError
from ...store import WorkbookStore
from ...use_cases.visitor import Access, page_language
from ...widgets._ui import escape, full_width, paragraph
from ...widgets.member_page import MemberPage
from .content import DIMENSIONS, ChoiceContent, load_content
from .model import SAY_MOMENTS, ChoiceAnswers, decisions_value, member_votes, say_key, votes_value

UNSET = 0


class MySay(MemberPage):
    """How much say do we have? One team member's votes on the plan's decisions."""

    exercise_id = "choice"
    content: ChoiceContent

    def __init__(
        self,
        content: ChoiceContent | None = None,
        *,
        access: Access | None = None,
        store: WorkbookStore | None = None,
    ) -> None:
        self._controls: dict[tuple[str, str, str], widgets.Dropdown] = {}
        language = access.language if access is not None else page_language()
        super().__init__(content or load_content(language), access=access, store=store)

    def _questions_from_plan(self, values: dict[str, Any]) -> dict[str, Any]:
        # The decisions' names, and nothing else of the leader's answers.
        return {"decisions": decisions_value(ChoiceAnswers.from_store(values).decisions)}

    def _ask(self, questions: dict[str, Any], own: dict[str, Any]) -> list[widgets.Widget]:
        c = self.content
        decisions = _decisions(questions.get("decisions"), c.limits)
        self._controls = {}
        if not decisions:
            return [paragraph(self.words["no_decisions"])]
        options: list[tuple[str, int]] = [(c.ratings["unrated"], UNSET)]
        options += [(f"{level.label}: {level.member_meaning}", level.value) for level in c.levels]
        moment_words = {"today": c.team_say["today"], "want": c.team_say["want"]}
        cards: list[widgets.Widget] = []
        for decision_id, label in decisions:
            rows: list[widgets.Widget] = [widgets.HTML(f"<b>{escape(label)}</b>")]
            for dim in DIMENSIONS:
                rows.append(
                    widgets.HTML(
                        f"<small><b>{escape(c.dimensions[dim]['label'])}</b>: "
                        f"{escape(c.dimensions[dim]['meaning'])}</small>"
                    )
                )
                for moment in SAY_MOMENTS:
                    saved = own.get(say_key(decision_id, dim, moment))
                    control = full_width(
                        widgets.Dropdown(
                            description=f"{c.dimensions[dim]['label']} · {moment_words[moment]}",
                            options=options,
                            value=saved if saved in range(1, 8) else UNSET,
                        )
                    )
                    control.style.description_width = "220px"
                    control.add_class(f"bw-say-{dim}-{moment}")
                    self._controls[(decision_id, dim, moment)] = control
                    rows.append(control)
            card = widgets.VBox(rows)
            card.add_class("bw-card")
            card.add_class("bw-say-card")
            cards.append(card)
        return cards

    def _collect(self) -> dict[str, Any]:
        # Every question answered: a decision some skipped would be drawn over fewer people.
        missing = sum(1 for control in self._controls.values() if control.value == UNSET)
        if missing or not self._controls:
            raise TextError(self.words["incomplete"].format(missing=missing))
        given = {say_key(*question): control.value for question, control in self._controls.items()}
        return votes_value(member_votes(given))


_UNREADABLE = N_("This form's list of decisions cannot be read.")


def _decisions(raw: object, limits: dict[str, int]) -> list[tuple[str, str]]:
    """The decisions to ask about, from the plan or a form file (which anyone could edit)."""
    if not isinstance(raw, list) or len(raw) > limits["max_decisions"]:
        raise VoiceFileError(_UNREADABLE)
    found = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise VoiceFileError(_UNREADABLE)
        try:
            label = clean_name(
                item.get("label"), what=N_("A decision"), max_length=limits["decision_max_length"]
            )
        except TextError:
            raise VoiceFileError(_UNREADABLE) from None
        found.append((item["id"], label))
    return found
