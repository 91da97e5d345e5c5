"""Ordering a list by keyboard or mouse: a list box and move buttons, no drag-only control."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ._ui import button, escape, row

OrderCallback = Callable[[list[str]], None]


class RankingEditor(widgets.VBox):
    """Select an item (arrow keys or click), then move it with the buttons (Enter or click)."""

    def __init__(
        self,
        labels: dict[str, str],
        order: list[str],
        on_change: OrderCallback,
        *,
        description: str,
        words: dict[str, str],
        css_class: str,
        meanings: dict[str, str] | None = None,
    ) -> None:
        self.labels = labels
        self.meanings = meanings or {}
        self.order = list(order)
        self._on_change = on_change
        self.list = widgets.Select(
            description=description,
            rows=min(len(order), 15),
            layout=widgets.Layout(width="auto", min_width="360px"),
        )
        self.list.style.description_width = "initial"
        self.list.add_class("bw-stacked")
        self.up = button(words["up"], css_class="bw-move-up", icon="arrow-up")
        self.down = button(words["down"], css_class="bw-move-down", icon="arrow-down")
        self.top = button(words["top"], css_class="bw-move-top", icon="angle-double-up")
        self.up.on_click(lambda _b: self.move(-1))
        self.down.on_click(lambda _b: self.move(1))
        self.top.on_click(lambda _b: self.move(-len(self.order)))
        # Says which item the buttons will move, and what it means.
        self.selected = widgets.HTML("")
        self.selected.add_class("bw-ranking-selected")
        self.list.observe(self._show_selected, "value")
        super().__init__([self.list, self.selected, row([self.up, self.down, self.top])])
        self.add_class(css_class)
        self.add_class("bw-ranking")
        self._fill()

    def _fill(self, selected: str | None = None) -> None:
        # One message for new labels and the kept selection: otherwise the browser briefly
        # selects whatever now sits at the old position and reports that back.
        with self.list.hold_sync():
            self.list.options = [
                (f"{index + 1}. {self.labels[item]}", item) for index, item in enumerate(self.order)
            ]
            self.list.rows = min(len(self.order), 15)
            if selected is not None:
                self.list.value = selected

    def _show_selected(self, change: dict) -> None:
        item = change["new"]
        if item is None:
            self.selected.value = ""
            return
        meaning = self.meanings.get(item, "")
        position = self.order.index(item) + 1
        self.selected.value = (
            f"<small>Selected: <b>{escape(self.labels[item])}</b> "
            f"(number {position}){': ' + escape(meaning) if meaning else ''}"
            "</small>"
        )

    def set_order(
        self,
        order: list[str],
        labels: dict[str, str] | None = None,
        meanings: dict[str, str] | None = None,
    ) -> None:
        """Show another order (no change is reported)."""
        if labels is not None:
            self.labels = labels
        if meanings is not None:
            self.meanings = meanings
        self.order = list(order)
        self._fill()

    def move(self, steps: int) -> None:
        item = self.list.value
        if item is None:
            return
        index = self.order.index(item)
        target = max(0, min(len(self.order) - 1, index + steps))
        if target == index:
            return
        self.order.insert(target, self.order.pop(index))
        self._fill(selected=item)
        self._on_change(list(self.order))
