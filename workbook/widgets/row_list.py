"""An editable list of short rows (what / who / by when …): add, fill in, remove.

Each change hands the whole list, as plain dicts, to ``on_change``; text is cleaned and
checked as it is typed, with a message beside the row when it cannot be kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import ipywidgets as widgets

from .._text import TextError, clean_text, optional_date
from ._ui import button, full_width, message_area, paragraph, row, set_message

Row = dict[str, Any]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Literal["text", "date"] = "text"
    placeholder: str = ""
    max_length: int = 200
    #: Shown on a line of its own, full width (the row's main text).
    wide: bool = False


class RowListEditor(widgets.VBox):
    def __init__(self, fields: list[Field], *, on_change: Callable[[list[Row]], None],
                 add_label: str, remove_label: str, empty_text: str, max_rows: int,
                 css_class: str) -> None:
        self.fields = fields
        self.max_rows = max_rows
        self._on_change = on_change
        self.rows: list[Row] = []
        self._cards: dict[str, widgets.Widget] = {}
        self.list = widgets.VBox()
        self.empty = paragraph(empty_text)
        self.add = button(add_label, css_class=f"{css_class}-add", icon="plus")
        self.add.on_click(lambda _b: self.add_row())
        self.message = message_area(f"{css_class}-message")
        self.remove_label = remove_label
        self.css_class = css_class
        super().__init__([self.list, self.add, self.message])
        self.add_class(css_class)
        self._render()

    def set_rows(self, rows: list[Row]) -> None:
        """Show saved rows (no change is reported)."""
        self.rows = [dict(r) for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)]
        self._cards.clear()
        set_message(self.message)
        self._render()

    def add_row(self) -> None:
        if len(self.rows) >= self.max_rows:
            set_message(self.message, f"At most {self.max_rows}. Remove one first.", "error")
            return
        set_message(self.message)
        self.rows.append({"id": uuid.uuid4().hex[:10],
                          **{f.key: None if f.kind == "date" else "" for f in self.fields}})
        self._render()
        self._on_change(self.rows)

    def _render(self) -> None:
        self.list.children = [self._card(r) for r in self.rows] or [self.empty]
        self.add.disabled = len(self.rows) >= self.max_rows

    def _card(self, data: Row) -> widgets.Widget:
        row_id = data["id"]
        if row_id in self._cards:
            return self._cards[row_id]
        controls: dict[str, widgets.Widget] = {}
        for field in self.fields:
            if field.kind == "date":
                control: widgets.Widget = widgets.DatePicker(
                    description=field.label, value=optional_date(data.get(field.key)))
            else:
                control = widgets.Text(description=field.label,
                                       value=str(data.get(field.key) or ""),
                                       placeholder=field.placeholder)
                if field.wide:
                    full_width(control)
            control.add_class(f"{self.css_class}-{field.key}")
            controls[field.key] = control
        message = message_area(f"{self.css_class}-row-message")
        remove = button(self.remove_label, css_class=f"{self.css_class}-remove", icon="times")

        def changed(_change: dict) -> None:
            updated: Row = {"id": row_id}
            for field in self.fields:
                value = controls[field.key].value
                if field.kind == "date":
                    updated[field.key] = value.isoformat() if value else None
                    continue
                try:
                    updated[field.key] = clean_text(value, what=f"“{field.label}”",
                                                    required=False,
                                                    max_length=field.max_length)
                except TextError as error:
                    set_message(message, str(error), "error")
                    return
            set_message(message)
            self.rows = [updated if r["id"] == row_id else r for r in self.rows]
            self._on_change(self.rows)

        def removed(_button: widgets.Button) -> None:
            self.rows = [r for r in self.rows if r["id"] != row_id]
            self._cards.pop(row_id, None)
            self._render()
            self._on_change(self.rows)

        for control in controls.values():
            control.observe(changed, "value")
        remove.on_click(removed)
        wide = [controls[f.key] for f in self.fields if f.wide]
        narrow = [controls[f.key] for f in self.fields if not f.wide]
        card = widgets.VBox([*wide, row([*narrow, remove], wrap=True), message])
        card.add_class("bw-card")
        card.add_class(f"{self.css_class}-row")
        self._cards[row_id] = card
        return card
