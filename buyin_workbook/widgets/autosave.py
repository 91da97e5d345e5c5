"""Debounced saving of answers, with a quiet status that never hides a failure."""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from ..languages import N_, Translator
from ._ui import button, page_words, row, set_message

SaveFunction = Callable[[str, Any], None]

_LIVE: weakref.WeakSet[Autosaver] = weakref.WeakSet()

_RETRY = N_("Try saving again")
_SAVING = N_("Saving…")
_NOT_SAVED_KEPT = N_(
    "Not saved: {error} Your answer is still on this page and will be saved with your next change."
)
_NOT_SAVED = N_("Not saved: {error}")
_ALL_SAVED = N_("All answers saved · {time}")


class Autosaver:
    """Saves answers shortly after the last change, and says how it went.

    Inside a running kernel a change waits ``delay`` seconds (typing resets the wait) so a
    sentence is saved once, not once per key. Where no event loop runs (a plain script or
    test) every change is saved at once. What could not be saved stays queued and is tried
    again with the next change or the retry button.
    """

    def __init__(
        self,
        save: SaveFunction,
        *,
        delay: float = 0.4,
        on_saved: Callable[[], None] | None = None,
        words: Translator | None = None,
    ) -> None:
        self._save = save
        self._words = page_words(words)
        self._on_saved = on_saved
        self.delay = delay
        self.pending: dict[str, Any] = {}
        self._timer: asyncio.TimerHandle | None = None
        self.status = widgets.HTML("")
        self.status.add_class("bw-save-status")
        self.retry = button(self._words.gettext(_RETRY), css_class="bw-save-retry", icon="refresh")
        self.retry.layout.display = "none"
        self.retry.on_click(lambda _button: self.flush())
        self.widget = row([self.status, self.retry], wrap=True)
        self.last_error: str | None = None
        _LIVE.add(self)

    def queue(self, key: str, value: Any) -> None:
        self.pending[key] = value
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or self.delay <= 0:
            self.flush()
            return
        set_message(self.status, self._words.gettext(_SAVING), "info")
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(self.delay, self.flush)

    def discard(self, keys: list[str]) -> None:
        """Forget queued values that no longer apply (their question was removed)."""
        for key in keys:
            self.pending.pop(key, None)

    def flush(self) -> bool:
        """Save everything queued now; True when all of it is saved."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self.pending:
            key, value = next(iter(self.pending.items()))
            try:
                self._save(key, value)
            except Exception as error:  # shown to the user, never swallowed
                self.last_error = self._words.said(error) or type(error).__name__
                if getattr(error, "retryable", True):
                    set_message(
                        self.status,
                        self._words.gettext(_NOT_SAVED_KEPT, error=self.last_error),
                        "error",
                    )
                    self.retry.layout.display = ""
                else:
                    set_message(
                        self.status, self._words.gettext(_NOT_SAVED, error=self.last_error), "error"
                    )
                    self.retry.layout.display = "none"
                return False
            if self.pending.get(key) is value:  # not queued again while it was being saved
                del self.pending[key]
        self.last_error = None
        self.retry.layout.display = "none"
        saved_at = f"{datetime.now():%H:%M:%S}"
        set_message(self.status, self._words.gettext(_ALL_SAVED, time=saved_at), "ok")
        if self._on_saved is not None:
            self._on_saved()
        return True


@atexit.register
def _flush_all() -> None:
    # A kernel shut down from its window still saves what waited for the debounce.
    for saver in list(_LIVE):
        if saver.pending:
            saver.flush()
