"""An editable list of short rows (what / who / by when …): add, fill in, remove.

Each change hands the whole list, as plain dicts, to ``on_change``; text is cleaned and
checked as it is typed, with a message beside the row when it cannot be kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ipywidgets as widgets

from .._text import TextError, clean_text, new_entry_id, optional_date
from ..languages import N_, Translator
from ._ui import (
    button,
    focus_next,
    focus_when_shown,
    full_width,
    message_area,
    page_words,
    paragraph,
    row,
    set_message,
)

Row = dict[str, Any]

_AT_MOST = N_("At most {count}. Remove one first.")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    #: "choice": free text with suggestions (see :meth:`RowListEditor.set_choices`).
    kind: Literal["text", "date", "choice"] = "text"
    placeholder: str = ""
    max_length: int = 200
    #: Shown on a line of its own, full width (the row's main text).
    wide: bool = False
    #: The end of the control's CSS class (``<list class>-<css>``); the key by default.
    css: str = ""


class RowCard(widgets.VBox):
    """One row's controls, its remove button and its message."""

    def __init__(self, editor: RowListEditor, data: Row) -> None:
        self.editor = editor
        self.row_id: str = data["id"]
        self.controls: dict[str, widgets.Widget] = {
            field.key: self._control(field, data) for field in editor.fields
        }
        self.message = message_area(f"{editor.css_class}-row-message")
        self.remove = remove = button(
            editor.remove_label, css_class=f"{editor.css_class}-remove", icon="times"
        )
        for control in self.controls.values():
            control.observe(self._changed, "value")
        remove.on_click(self._removed)
        wide = [self.controls[f.key] for f in editor.fields if f.wide]
        narrow = [self.controls[f.key] for f in editor.fields if not f.wide]
        super().__init__([*wide, row([*narrow, remove], wrap=True), self.message])
        self.add_class("bw-card")
        self.add_class(f"{editor.css_class}-row")

    def _control(self, field: Field, data: Row) -> widgets.Widget:
        value = data.get(field.key)
        control: widgets.Widget
        if field.kind == "date":
            control = widgets.DatePicker(description=field.label, value=optional_date(value))
        elif field.kind == "choice":
            control = widgets.Combobox(
                description=field.label,
                value=str(value or ""),
                options=self.editor.choices.get(field.key, ()),
                ensure_option=False,
                placeholder=field.placeholder,
            )
        else:
            control = widgets.Text(
                description=field.label, value=str(value or ""), placeholder=field.placeholder
            )
        if field.wide:
            full_width(control)
        control.add_class(f"{self.editor.css_class}-{field.css or field.key}")
        return control

    def set_choices(self, key: str, choices: tuple[str, ...]) -> None:
        self.controls[key].options = choices

    def _changed(self, _change: dict) -> None:
        updated: Row = {"id": self.row_id}
        for field in self.editor.fields:
            value = self.controls[field.key].value
            if field.kind == "date":
                updated[field.key] = value.isoformat() if value else None
                continue
            try:
                updated[field.key] = clean_text(
                    value,
                    what=self.editor.words.quoted(field.label),
                    required=False,
                    max_length=field.max_length,
                )
            except TextError as error:
                set_message(self.message, self.editor.words.said(error), "error")
                return
        set_message(self.message)
        self.editor.replace_row(updated)

    def _removed(self, _button: widgets.Button) -> None:
        self.editor.remove_row(self.row_id)


class RowListEditor(widgets.VBox):
    def __init__(
        self,
        fields: list[Field],
        *,
        on_change: Callable[[list[Row]], None],
        add_label: str,
        remove_label: str,
        empty_text: str,
        max_rows: int,
        css_class: str,
        words: Translator | None = None,
    ) -> None:
        self.fields = fields
        self.words = page_words(words)
        self.max_rows = max_rows
        self._on_change = on_change
        self.rows: list[Row] = []
        #: Suggestions offered by each "choice" field.
        self.choices: dict[str, tuple[str, ...]] = {}
        self._cards: dict[str, RowCard] = {}
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

    def set_choices(self, key: str, choices: Sequence[str]) -> None:
        """The suggestions of a "choice" field, in every row now and to come."""
        self.choices[key] = tuple(choices)
        for card in self._cards.values():
            card.set_choices(key, self.choices[key])

    def add_row(self) -> None:
        if len(self.rows) >= self.max_rows:
            at_most = self.words.gettext(_AT_MOST, count=self.words.number(self.max_rows))
            set_message(self.message, at_most, "error")
            return
        set_message(self.message)
        row_id = new_entry_id()
        self.rows.append(
            {"id": row_id, **{f.key: None if f.kind == "date" else "" for f in self.fields}}
        )
        self._render()
        focus_when_shown(self._cards[row_id].controls[self.fields[0].key])
        self._on_change(self.rows)

    def replace_row(self, updated: Row) -> None:
        self.rows = [updated if r["id"] == updated["id"] else r for r in self.rows]
        self._on_change(self.rows)

    def remove_row(self, row_id: str) -> None:
        position = next((i for i, r in enumerate(self.rows) if r["id"] == row_id), 0)
        self.rows = [r for r in self.rows if r["id"] != row_id]
        self._cards.pop(row_id, None)
        set_message(self.message)
        self._render()
        focus_next([self._cards[r["id"]].remove for r in self.rows], position, self.add)
        self._on_change(self.rows)

    def _render(self) -> None:
        self.list.children = [self._card(r) for r in self.rows] or [self.empty]
        self.add.disabled = len(self.rows) >= self.max_rows

    def _card(self, data: Row) -> RowCard:
        if data["id"] not in self._cards:
            self._cards[data["id"]] = RowCard(self, data)
        return self._cards[data["id"]]
