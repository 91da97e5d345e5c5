"""“How the cohort answered”: on a course participant's exercise page, the cohort's figures
of that exercise once the facilitator reveals them, with the participant's own answers
marked (nobody else's), and nothing of the others before."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..store import StoreError, WorkbookStore
from ._ui import escape

#: What the panel says until the facilitator reveals the exercise.
NOT_YET = (
    "Once your facilitator reveals this exercise, the course's answers appear here, to "
    "everyone at once and with no names, beside your own. Until then no one sees anyone "
    "else's answers."
)


class CohortPanel(widgets.VBox):
    """The cohort's revealed figures of one exercise, for one participant's page."""

    def __init__(self, store: WorkbookStore, exercise_id: str) -> None:
        super().__init__()
        self.store = store
        self.exercise_id = exercise_id
        self.add_class("bw-cohort-panel")
        self.body = widgets.HTML("")
        self.children = [self.body]
        self.layout.display = "none"

    def refresh(self, own_values: dict[str, Any] | None) -> None:
        """Show what the facilitator has revealed (looked up again each time)."""
        from ..cohorts import exercise_results
        from ..cohorts.render import STYLE, results_html
        from ..exercises import EXERCISES

        try:
            cohort = self.store.my_cohort()
            if cohort is None or self.exercise_id not in cohort.exercises:
                return
            revealed = self.exercise_id in self.store.revealed(cohort.id)
            results = (
                exercise_results(self.store, cohort, self.exercise_id, release=False)
                if revealed
                else None
            )
        except StoreError as error:
            html = f'<p class="bw-message-error" role="alert">{escape(error)}</p>'
        else:
            if results is None or results.release is None:
                html = f'<p class="bw-cohort-not-yet">{escape(NOT_YET)}</p>'
            else:
                own = (
                    EXERCISES[self.exercise_id].cohort_values(own_values)
                    if own_values is not None
                    else None
                )
                html = (
                    f"<style>{STYLE}</style>"
                    + '<p class="bw-cohort-revealed">Revealed by your facilitator: the '
                    "course's answers, with no names. ◆ marks your own.</p>"
                    + results_html(results, own)
                )
        html = '<h3 class="bw-heading">How the cohort answered</h3>' + html
        if self.body.value != html:
            self.body.value = html
        self.layout.display = ""
