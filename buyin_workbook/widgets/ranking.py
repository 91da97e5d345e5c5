"""Ordering a list by keyboard or mouse: a list box and move buttons, no drag-only control."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..languages import N_
from ._ui import button, escape, page_words, row

#: The item chosen in the list (its name comes in bold, escaped).
_SELECTED = N_("Selected: {item} (number {position})")

OrderCallback = Callable[[list[str]], None]
MarksCallback = Callable[[dict[str, str]], None]


class RankingEditor(widgets.VBox):
    """Select an item (arrow keys or click), then move it with the buttons (Enter or click).

    With ``marks`` (mark id -> (button words, words shown after the item)), the selected item
    can also be marked with one of them, or with ``unmarked``; ``on_marks`` gets every mark.
    """

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
        marks: dict[str, tuple[str, str]] | None = None,
        marked: dict[str, str] | None = None,
        on_marks: MarksCallback | None = None,
        unmarked: str = "",
        marks_description: str = "",
    ) -> None:
        self.labels = labels
        self.meanings = meanings or {}
        self.order = list(order)
        self._on_change = on_change
        self._marks = marks or {}
        self.marked = {k: v for k, v in (marked or {}).items() if v in self._marks}
        self._on_marks = on_marks
        self._showing_mark = False
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
        parts: list[widgets.Widget] = [
            self.list,
            self.selected,
            row([self.up, self.down, self.top]),
        ]
        self.mark: widgets.ToggleButtons | None = None
        if self._marks:
            self.mark = widgets.ToggleButtons(
                options=[
                    (unmarked, ""),
                    *((words, mark) for mark, (words, _) in self._marks.items()),
                ],
                value="",
                description=marks_description,
                disabled=True,
                style={"button_width": "auto", "description_width": "initial"},
            )
            self.mark.add_class("bw-ranking-mark")
            self.mark.observe(self._marked, "value")
            parts.append(self.mark)
        super().__init__(parts)
        self.add_class(css_class)
        self.add_class("bw-ranking")
        self._fill()

    def _fill(self, selected: str | None = None) -> None:
        # One message for new labels and the kept selection: otherwise the browser briefly
        # selects whatever now sits at the old position and reports that back.
        with self.list.hold_sync():
            self.list.options = [
                (f"{index + 1}. {self.labels[item]}{self._suffix(item)}", item)
                for index, item in enumerate(self.order)
            ]
            self.list.rows = min(len(self.order), 15)
            if selected is not None:
                self.list.value = selected

    def _suffix(self, item: str) -> str:
        mark = self.marked.get(item)
        return f" ({self._marks[mark][1]})" if mark else ""

    def _show_selected(self, change: dict) -> None:
        item = change["new"]
        if self.mark is not None:
            self._showing_mark = True
            try:
                self.mark.value = self.marked.get(item, "") if item is not None else ""
                self.mark.disabled = item is None
            finally:
                self._showing_mark = False
        if item is None:
            self.selected.value = ""
            return
        meaning = self.meanings.get(item, "")
        position = self.order.index(item) + 1
        words = page_words()
        name = f"<b>{escape(self.labels[item])}</b>"
        selected = words.gettext(_SELECTED, item=name, position=words.number(position))
        self.selected.value = (
            f"<small>{selected}{': ' + escape(meaning) if meaning else ''}</small>"
        )

    def _marked(self, change: dict) -> None:
        item = self.list.value
        if self._showing_mark or item is None:
            return
        if change["new"]:
            self.marked[item] = change["new"]
        else:
            self.marked.pop(item, None)
        self._fill(selected=item)
        if self._on_marks is not None:
            self._on_marks(dict(self.marked))

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
        self.marked = {k: v for k, v in self.marked.items() if k in self.order}
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
        self._show_selected({"new": item})  # its number changed, the selection did not
        self._on_change(list(self.order))
