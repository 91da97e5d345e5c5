"""The page a team member's link opens for the self-check: the plan's goal in their own words,
written without seeing the leader's sentence or anyone else's."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ...languages import N_
from ...store import WorkbookStore
from ...use_cases.visitor import Access, page_language
from ...widgets._ui import escape, full_width
from ...widgets.member_page import MemberPage
from .content import SelfCheckContent, load_content
from .model import GOAL_KEY, SelfCheckAnswers, goal_value
from .their_words import member_questions


class GoalInMyWords(MemberPage):
    """The goal, in my words: one team member's sentence."""

    exercise_id = "selfcheck"
    content: SelfCheckContent

    def __init__(
        self,
        content: SelfCheckContent | None = None,
        *,
        access: Access | None = None,
        store: WorkbookStore | None = None,
    ) -> None:
        language = access.language if access is not None else page_language()
        super().__init__(content or load_content(language), access=access, store=store)

    def _questions_from_plan(self, values: dict[str, Any]) -> dict[str, Any]:
        # Never the leader's sentence; the plan's name only as the leader gave it for them.
        return member_questions(SelfCheckAnswers.from_store(values))

    def _ask(self, questions: dict[str, Any], own: dict[str, Any]) -> list[widgets.Widget]:
        saved = own.get(GOAL_KEY)
        self.goal = full_width(
            widgets.Text(
                description=self.words["goal_label"],
                placeholder=self.words["goal_placeholder"],
                value=saved if isinstance(saved, str) else "",
            )
        )
        self.goal.style.description_width = "initial"
        self.goal.add_class("bw-member-goal")
        name = questions.get("plan_name")
        if isinstance(name, str) and name.strip():
            about = widgets.HTML(f"<p><b>{escape(self.words['about'].format(name=name))}</b></p>")
            about.add_class("bw-member-plan-name")
            return [about, self.goal]
        return [self.goal]

    def _collect(self) -> dict[str, Any]:
        return goal_value(
            self.goal.value,
            what=N_("Your sentence"),
            max_length=self.content.limits["sentence_max_length"],
        )
