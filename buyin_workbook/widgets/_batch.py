"""Open a page's widgets once, each with its final state.

ipywidgets opens a widget's comm (a message to the page) when the widget is constructed, and
sends an update for every trait set after that: a page built the natural way (a control,
then its class, width and label style) sent 582 messages for the choice exercise, 223 of
them updates to widgets the page had not drawn yet. While a page is being built, its widgets
are only collected; when the build ends each is opened once, the widgets it refers to
(layout, style, children) first, so the page receives one message a widget.

A page ``serve`` builds for a visitor sends none of those messages. Voila runs the notebook
before the page's script loads; the script then asks the kernel for every widget's state
in one message (ipywidgets' control channel), and makes its own side of each widget's comm
without a message. Until a page has asked, the only reader of the opening messages is
Voila's executor in the server, which a crowd shares: 271 messages a self-check page. So
in a served kernel, a build before the first ask registers each widget's comm in the
kernel quietly; after it (a page already showing), widgets open as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import comm
import ipywidgets as widgets

from ..kernel_protocol import served

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


def _open_for_the_states_request(widget: widgets.Widget) -> None:
    """The kernel's side of the widget's comm, registered without the opening message:
    the page that asks for the widgets' states is sent this one's then."""
    quiet = comm.create_comm(target_name="jupyter.widget", comm_id=widget._model_id, primary=False)
    manager = comm.get_comm_manager()
    assert manager is not None, "a served kernel has a comm manager"
    manager.register_comm(quiet)
    # ipywidgets sends updates only through a comm that knows its kernel; opening is what
    # would have told it.
    from ipykernel.kernelbase import Kernel  # a served kernel has it loaded already

    if getattr(quiet, "kernel", False) is None and Kernel.initialized():
        quiet.kernel = Kernel.instance()  # type: ignore[attr-defined]
    widget.comm = quiet


def _opener(real_open: Any) -> Any:
    if served() and widgets.Widget._control_comm is None:
        return _open_for_the_states_request
    return real_open


@contextmanager
def widgets_opened_once() -> Iterator[None]:
    """Widgets constructed in this thread inside the block are opened when it ends."""
    if getattr(_building, "pending", None) is not None:
        yield  # a page built inside another page's build: the outer block opens both
        return
    pending: list[widgets.Widget] = []
    _building.pending = pending
    real_open = widgets.Widget.open

    def open_in_build(widget: widgets.Widget) -> None:
        if getattr(_building, "pending", None) is not None:
            _building.pending.append(widget)
        elif getattr(_building, "opener", None) is not None:
            _building.opener(widget)  # a default layout or style made while opening
        else:
            real_open(widget)  # another thread's widget: as usual

    widgets.Widget.open = open_in_build  # type: ignore[method-assign]
    try:
        yield
    finally:
        _building.pending = None
        _building.opener = _opener(real_open)
        try:
            for widget in pending:
                _open_tree(widget, _building.opener)
        finally:
            _building.opener = None
            widgets.Widget.open = real_open  # type: ignore[method-assign]
