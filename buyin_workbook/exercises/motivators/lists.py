"""One person's order as Moving Motivators has it: the ten motivators in one list, the five
appeals in their own; each card moves only within its list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ...widgets.ranking import RankingEditor
from .content import Motivator, MotivatorsContent
from .model import split_order


class MotivatorLists(widgets.VBox):
    """Two ranking editors whose orders make one: the motivators first, then the appeals.

    ``on_change`` gets the whole order; with ``on_marks``, each card can also be marked as
    moving up or down for the change, and ``on_marks`` gets every mark of both lists.
    """

    def __init__(
        self,
        motivators: Sequence[Motivator],
        order: list[str],
        on_change: Callable[[list[str]], None],
        *,
        content: MotivatorsContent,
        description: str,
        css_class: str,
        on_marks: Callable[[dict[str, str]], None] | None = None,
        marked: dict[str, str] | None = None,
    ) -> None:
        self._on_change = on_change
        self._on_marks = on_marks
        marks: dict[str, Any] = {}
        if on_marks is not None:
            moves = content.moves
            marks = {
                "marks": {move: (moves[move], moves[f"{move}_shown"]) for move in ("up", "down")},
                "unmarked": moves["same"],
                "marks_description": moves["description"],
                "on_marks": self._marked,
                "marked": marked,
            }
        # Both start empty; set_order deals each its own list of the order.
        self.cards = RankingEditor(
            {},
            [],
            self._changed,
            description=f"{description}: {content.lists['cards']}" if description else "",
            words=content.ranking,
            css_class="bw-cards",
            **marks,
        )
        self.appeals = RankingEditor(
            {},
            [],
            self._changed,
            description=content.lists["appeals"],
            words=content.ranking,
            css_class="bw-appeals",
            **marks,
        )
        self.set_order(order, motivators)
        super().__init__([self.cards, self.appeals])
        self.add_class(css_class)

    @property
    def order(self) -> list[str]:
        return [*self.cards.order, *self.appeals.order]

    @property
    def marked(self) -> dict[str, str]:
        return {**self.cards.marked, **self.appeals.marked}

    def set_order(self, order: list[str], motivators: Sequence[Motivator]) -> None:
        """Show another order, of these motivators (no change is reported)."""
        labels = {m.id: m.name for m in motivators}
        meanings = {m.id: m.meaning for m in motivators}
        cards, appeals = split_order(order, {m.id: m.group for m in motivators})
        self.cards.set_order(cards, labels, meanings)
        self.appeals.set_order(appeals, labels, meanings)

    def _changed(self, _order: list[str]) -> None:
        self._on_change(self.order)

    def _marked(self, _marks: dict[str, str]) -> None:
        assert self._on_marks is not None
        self._on_marks(self.marked)
