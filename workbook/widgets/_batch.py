"""Open a page's widgets once, each with its final state.

ipywidgets opens a widget's comm (a message to the page) when the widget is constructed, and
sends an update for every trait set after that: a page built the natural way (a control,
then its class, width and label style) sent 582 messages for the choice exercise, 223 of
them updates to widgets the page had not drawn yet. While a page is being built, its widgets
are only collected; when the build ends each is opened once, the widgets it refers to
(layout, style, children) first, so the page receives one message a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

_building = threading.local()


def _parts(value: Any) -> Iterator[widgets.Widget]:
    """The widgets a trait value refers to (a widget, or widgets in a list or dict)."""
    if isinstance(value, widgets.Widget):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _parts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _parts(item)


def _open_tree(widget: widgets.Widget, open_widget: Any) -> None:
    if widget.comm is not None:
        return
    for name in widget.keys:
        for part in _parts(getattr(widget, name)):
            _open_tree(part, open_widget)
    open_widget(widget)


@contextmanager
def widgets_opened_once() -> Iterator[None]:
    """Widgets constructed in this thread inside the block are opened when it ends."""
    if getattr(_building, "pending", None) is not None:
        yield  # a page built inside another page's build: the outer block opens both
        return
    pending: list[widgets.Widget] = []
    _building.pending = pending
    real_open = widgets.Widget.open

    def open_later(widget: widgets.Widget) -> None:
        if getattr(_building, "pending", None) is None:
            real_open(widget)  # another thread's widget: as usual
        else:
            _building.pending.append(widget)

    widgets.Widget.open = open_later  # type: ignore[method-assign]
    try:
        yield
    finally:
        widgets.Widget.open = real_open  # type: ignore[method-assign]
        _building.pending = None
        for widget in pending:
            _open_tree(widget, real_open)
