"""PageGuard: tells the person at the page when what they type can no longer be saved.

The kernel cannot say so once it is gone: after a restart of ``serve``, a killed kernel or
a lost network, the page would go on looking saved. The guard's view (in the workbook's
JupyterLab extension, loaded by JupyterLab and Voila alike) watches the page's connection
to its kernel and then shows a banner with a reload that keeps what was typed: the text in
the page's boxes is kept in the browser tab and put back once the page is back. The kernel
uses the same banner for what only it knows, such as a link that stopped working.

On the way out (a closed tab), the view also sends the widget changes the browser was still
holding back, then says the page is leaving: the kernel saves what waits for the autosave
pause and (under ``serve``) tells the server it may shut the kernel down now. Said on the
page's own connection, after its last changes, so nothing it sent is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from traitlets import Dict, Unicode

from ..kernel_protocol import page_closed
from ..languages import N_, translator
from ..use_cases.visitor import page_language

#: The npm package whose frontend draws the workbook's own widgets, and the versions it accepts.
FRONTEND_MODULE = "buyin-workbook"
FRONTEND_VERSION = "^0.1.0"


class FrontendWidget(widgets.DOMWidget):
    """A widget whose model and view are in the workbook's labextension (``extension/src``),
    which JupyterLab and Voila both load; a subclass names its model and view."""

    _model_module = Unicode(FRONTEND_MODULE).tag(sync=True)
    _view_module = Unicode(FRONTEND_MODULE).tag(sync=True)
    _model_module_version = Unicode(FRONTEND_VERSION).tag(sync=True)
    _view_module_version = Unicode(FRONTEND_VERSION).tag(sync=True)


#: Every word the banner shows; {time} is the moment the connection was lost.
WORDS = {
    "interrupted": N_(
        "The connection to the workbook is interrupted; trying to reconnect. What you change "
        "now is saved only once it is back."
    ),
    "lost": N_(
        "The connection to the workbook was lost at {time}. Changes made since then are not "
        "saved. Reload to go on: your saved answers come back, and what you typed on this page "
        "is put back in."
    ),
    "reload": N_("Reload and keep my typing"),
    "restored": N_("Put back {count} answers you had typed before the reload; they are saved now."),
    "restored_one": N_("Put back the answer you had typed before the reload; it is saved now."),
    "problem_title": N_("This page cannot save"),
}


class PageGuard(FrontendWidget):
    """Shows a banner when this page's answers can no longer be saved (see module)."""

    _model_name = Unicode("PageGuardModel").tag(sync=True)
    _view_name = Unicode("PageGuardView").tag(sync=True)

    #: Which page this is (an exercise id): typing kept over a reload goes back to it only.
    page = Unicode("").tag(sync=True)
    #: A reason the kernel knows this page can save no more (empty: none).
    problem = Unicode("").tag(sync=True)
    words = Dict(WORDS).tag(sync=True)
    #: The language the page speaks: a Voila app's ``<html lang>`` says it (JupyterLab's own
    #: page keeps JupyterLab's).
    language = Unicode("").tag(sync=True)

    def __init__(self, page: str, language: str | None = None) -> None:
        language = language or page_language()
        words = translator(language)
        super().__init__(
            page=page,
            language=language,
            words={key: words.gettext(text) for key, text in WORDS.items()},
        )
        self.add_class("bw-page-guard")
        self._on_leave: list[Callable[[], object]] = []
        self.on_msg(self._message)

    def stop(self, reason: str) -> None:
        """Tell the person that nothing more is saved from this page, and why."""
        self.problem = reason

    def on_leave(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` (say, save what waits) when the page closes."""
        self._on_leave.append(callback)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "leaving":
            self.leave()

    def leave(self) -> None:
        """The page is closing: save what waits, then let the kernel go."""
        for callback in self._on_leave:
            callback()
        page_closed()
