"""A link to hand on, shown with a button that copies it (view: ``extension/src/copyLink.ts``).

The team members' links: the leader copies one into a message in one press, instead of
selecting a long key by hand. Where the browser refuses the clipboard (a page not on https
or localhost), the view selects the link and says to copy it.
"""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, Unicode

from ..languages import N_, Translator
from ._ui import escape, page_words
from .page_guard import FrontendWidget

#: The button's words and what the view says after a press.
WORDS = {
    "copy": N_("Copy the link"),
    "copied": N_("Copied: paste it into your message."),
    "select": N_("The browser did not let the page copy: the link is selected, press Ctrl+C (⌘C)."),
}


class CopyLink(FrontendWidget):
    """``value``, a link, in a ``<code>`` of class ``link_class``, with its copy button."""

    _model_name = Unicode("CopyLinkModel").tag(sync=True)
    _view_name = Unicode("CopyLinkView").tag(sync=True)

    value = Unicode("").tag(sync=True)
    link_class = Unicode("").tag(sync=True)
    words = Dict(WORDS).tag(sync=True)

    def __init__(
        self, value: str = "", *, link_class: str = "", words: Translator | None = None
    ) -> None:
        page = page_words(words)
        super().__init__(
            value=value,
            link_class=link_class,
            words={key: page.gettext(text) for key, text in WORDS.items()},
        )


class LinkBox(widgets.VBox):
    """Where a member's link appears once made: what to do with it, then the link with its
    copy button; or a problem, or other words, in its place."""

    def __init__(self, link_class: str, *, words: Translator | None = None) -> None:
        self.words = widgets.HTML("")
        self.link = CopyLink(link_class=link_class, words=words)
        self.link.layout.display = "none"
        super().__init__([self.words, self.link])

    def show_link(self, help_text: str, url: str) -> None:
        self.words.value = f'<p class="bw-help">{escape(help_text)}</p>'
        self.link.value = url
        self.link.layout.display = ""

    def show_error(self, message: str) -> None:
        self._show(f'<p class="bw-message-error" role="alert">{escape(message)}</p>')

    def show_text(self, text: str) -> None:
        self._show(f'<p class="bw-help">{escape(text)}</p>')

    def _show(self, html: str) -> None:
        self.words.value = html
        self.link.value = ""
        self.link.layout.display = "none"
