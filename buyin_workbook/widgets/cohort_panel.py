"""“How the cohort answered”: on a course participant's exercise page, the cohort's figures
of that exercise once the facilitator reveals them, with the participant's own answers
marked (nobody else's), and nothing of the others before."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..languages import N_, Translator
from ..store import Cohort, StoreError, WorkbookStore
from ._ui import escape, page_words

if TYPE_CHECKING:
    from ..kit.declaration import Exercise

#: What the panel says until the facilitator reveals the exercise.
NOT_YET = N_(
    "Once your facilitator reveals this exercise, the course's answers appear here, to "
    "everyone at once and with no names, beside your own. Until then no one sees anyone "
    "else's answers."
)
#: A participant who finished after the figures shown were drawn: nothing of theirs is in
#: them, so nothing is marked as theirs.
NOT_COUNTED = N_(
    "Your answers are not in these figures yet: they were drawn before you finished. A "
    "later set takes yours in, once enough others have finished too, so that no one's "
    "answers can be picked out."
)
#: Over the figures, once revealed.
REVEALED = N_("Revealed by your facilitator: the course's answers, with no names.")
YOURS_MARKED = N_("◆ marks your own.")
HEADING = N_("How the cohort answered")


class CohortPanel(widgets.VBox):
    """The cohort's revealed figures of one exercise, for one participant's page."""

    def __init__(
        self,
        store: WorkbookStore,
        exercise: Exercise,
        cohort_id: int,
        *,
        words: Translator | None = None,
    ) -> None:
        super().__init__()
        self.words = page_words(words)
        self.store = store
        self.exercise = exercise
        self.exercise_id = exercise.id
        self.cohort_id = cohort_id
        self.add_class("bw-cohort-panel")
        self.body = widgets.HTML("")
        self.children = [self.body]
        self.layout.display = "none"
        self._cohort: Cohort | None = None
        #: What the panel shows now drew on: (revealed, release id, own answers).
        self._drawn_from: tuple[bool, int | None, str] | None = None

    def refresh(self, own_values: dict[str, Any] | None) -> None:
        """Show what the facilitator has revealed. Called at each look of the page: a query
        or two, and the figures are drawn again only when something changed."""
        from ..use_cases.cohorts.results import exercise_results

        try:
            if self._cohort is None:
                self._cohort = self.store.get_cohort(self.cohort_id)  # it does not change
            if self.exercise_id not in self._cohort.exercises:
                return
            revealed = self.exercise_id in self.store.revealed(self.cohort_id)
            results = (
                exercise_results(
                    self.store,
                    self._cohort,
                    self.exercise,
                    release=False,
                    language=self.words.language,
                )
                if revealed
                else None
            )
        except StoreError as error:
            said = escape(self.words.said(error))
            self._show(f'<p class="bw-message-error" role="alert">{said}</p>')
            self._drawn_from = None
            return
        release = results.release if results else None
        drawn_from = (
            revealed,
            release.id if release else None,
            json.dumps(own_values, default=str),
        )
        if drawn_from == self._drawn_from:
            return
        self._drawn_from = drawn_from
        if results is None or release is None:
            self._show(f'<p class="bw-cohort-not-yet">{escape(self.words.gettext(NOT_YET))}</p>')
            return
        from ..use_cases.cohorts.render import STYLE, results_html

        counted = self.store.client_id in release.contributors
        own = (
            self.exercise.cohort_values(own_values) if own_values is not None and counted else None
        )
        say = self.words.gettext
        intro = say(REVEALED) + (" " + say(YOURS_MARKED) if counted else "")
        not_counted = f'<p class="bw-cohort-not-counted">{escape(say(NOT_COUNTED))}</p>'
        self._show(
            f"<style>{STYLE}</style>"
            f'<p class="bw-cohort-revealed">{escape(intro)}</p>'
            + ("" if counted else not_counted)
            + results_html(results, own, self.words)
        )

    def _show(self, html: str) -> None:
        heading = escape(self.words.gettext(HEADING))
        self.body.value = f'<h3 class="bw-heading">{heading}</h3>' + html
        self.layout.display = ""
