"""“Your course on the hub”: on the exercise page of a leader whose JupyterLab runs on a hub
and who is in a cohort there. It names the cohort, says what is shared (this exercise's
anonymous measures, sent by the user's own workbook once they finish it), and shows the
cohort's figures once the facilitator reveals them, the user's own answers marked."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from markupsafe import Markup

from ..languages import N_, Translator
from ..store import StoreError, WorkbookStore
from ..use_cases.hub_cohort import CohortService, CohortServiceError, HubCohort
from ._ui import button, escape, message_area, page_words, row, set_message
from .cohort_panel import NOT_COUNTED, NOT_YET, REVEALED, YOURS_MARKED

if TYPE_CHECKING:
    from ..kit.declaration import Exercise

#: Seconds between looks at the service for a reveal (a save or a finish looks at once).
LOOK_EVERY = 10.0

_SEND_AGAIN = N_("Send my figures again")
_STOP = N_("Stop sending and take mine back")
_TAKEN_BACK = N_(
    "Taken back: the cohort service no longer has your figures, and your workbook sends none "
    "until you choose to send them again."
)
_SENT_AGAIN = N_("Your figures are sent again for each exercise you finish.")
_STOPPED = N_("Not sent: you stopped sending your figures to this course.")
_SENT = N_("Sent: the service has this exercise's figures from your workbook.")
_NOT_YET_SENT = N_("Nothing sent yet: your figures go once you finish this exercise.")
_HEADING = N_("Your course on the hub")
_IN_COHORT = N_(
    "You are in the course cohort {cohort}. Your answers stay in your own workbook on your "
    "server. When you finish this exercise, your workbook sends the course's cohort service "
    "only these figures, as numbers and listed choices, never your words:"
)
_WHO_SEES = N_(
    "Your facilitator sees your hub name and which exercises you have finished; everyone in "
    "the course sees only figures drawn from at least {min_group} people, once revealed."
)


class HubCohortPanel(widgets.VBox):
    """One exercise's side of a hub cohort, for the participant's own page."""

    def __init__(
        self,
        service: CohortService,
        cohort: HubCohort,
        exercise: Exercise,
        store: WorkbookStore,
        *,
        words: Translator | None = None,
    ) -> None:
        super().__init__()
        self.words = page_words(words)
        self.service = service
        self.cohort = cohort
        self.exercise = exercise
        self.exercise_id = exercise.id
        self.store = store
        self.add_class("bw-hub-cohort-panel")
        self.body = widgets.HTML("")
        self.toggle = button("", css_class="bw-hub-toggle")
        self.toggle.on_click(lambda _b: self._toggle_sharing())
        self.message = message_area("bw-hub-message")
        self.children = [self.body, row([self.toggle, self.message], wrap=True)]
        self._stopped = False
        self._own: tuple[dict[str, Any] | None, bool] = (None, False)
        #: The measures the service has from this page (``None``: nothing sent yet).
        self.sent: dict[str, Any] | None = None
        self._looked_at = float("-inf")
        self._drawn = ""

    def refresh(self, own_answers: dict[str, Any] | None, done: bool) -> None:
        """Send this exercise's measures if it is finished and they changed; look for a
        reveal at most every :data:`LOOK_EVERY` seconds (at once after sending)."""
        self._own = (own_answers, done)
        measures = self.exercise.cohort_values(own_answers) if done and own_answers else None
        problem = ""
        try:
            self._stopped = self.cohort.group in self.store.hub_sharing_stopped()
        except StoreError as error:
            # Never send what may have been stopped.
            self._stopped, problem = True, self.words.said(error)
        self.toggle.description = self.words.gettext(_SEND_AGAIN if self._stopped else _STOP)
        if self._stopped:
            self.sent = None
            measures = None
        try:
            if measures and measures != self.sent:  # the service counts no empty send
                self.service.send(self.cohort.group, self.exercise_id, measures)
                self.sent = measures
                self._looked_at = float("-inf")
            if time.monotonic() - self._looked_at < LOOK_EVERY:
                return
            self._looked_at = time.monotonic()
            results = self.service.results(self.cohort.group, self.exercise_id)
        except CohortServiceError as error:
            problem = problem or self.words.said(error)
            results = None
        self._draw(measures, results, problem)

    def _toggle_sharing(self) -> None:
        """Stop sending (and take back what was sent, from every exercise of the cohort),
        or start again."""
        stop = not self._stopped
        try:
            if stop:
                self.service.withdraw(self.cohort.group)
            self.store.set_hub_sharing(self.cohort.group, stopped=stop)
        except (CohortServiceError, StoreError) as error:
            set_message(self.message, self.words.said(error), "error")
            return
        set_message(self.message, self.words.gettext(_TAKEN_BACK if stop else _SENT_AGAIN), "ok")
        self.sent = None
        self._looked_at = float("-inf")
        self.refresh(*self._own)

    def _draw(
        self, measures: dict[str, Any] | None, results: dict[str, Any] | None, problem: str
    ) -> None:
        say = self.words
        content = self.exercise.content(say.language)
        shared = "".join(f"<li>{escape(m.title)}</li>" for m in content.cohort)
        state = say.gettext(
            _STOPPED if self._stopped else _SENT if self.sent is not None else _NOT_YET_SENT
        )
        # The words escaped, then the cohort's name (escaped too) set in them in bold.
        bold = Markup("<strong>{}</strong>").format(self.cohort.group)
        in_cohort = Markup.escape(say.gettext(_IN_COHORT)).format(cohort=bold)
        who_sees = say.gettext(_WHO_SEES, min_group=say.number(self.cohort.min_group))
        parts = [
            f'<h3 class="bw-heading">{escape(say.gettext(_HEADING))}</h3>',
            f'<p class="bw-hub-cohort">{in_cohort}</p>',
            f'<ul class="bw-hub-shared">{shared}</ul>',
            f'<p class="bw-hub-sent">{escape(state)} {escape(who_sees)}</p>',
        ]
        if problem:
            parts.append(f'<p class="bw-message-error" role="alert">{escape(problem)}</p>')
        elif results is not None:
            parts.append(self._results_html(results, measures))
        html = "".join(parts)
        if html != self._drawn:
            self._drawn = html
            self.body.value = html

    def _results_html(self, results: dict[str, Any], measures: dict[str, Any] | None) -> str:
        if not results.get("revealed") or not results.get("figures"):
            return f'<p class="bw-cohort-not-yet">{escape(self.words.gettext(NOT_YET))}</p>'
        from ..store import Release
        from ..use_cases.cohorts.render import STYLE, results_html
        from ..use_cases.cohorts.results import ExerciseResults

        content = self.exercise.content(self.words.language)
        # The service never sends who contributed: only how many (ids stay with it).
        drawn = frozenset(range(int(results.get("finished", 0))))
        release = Release(0, self.exercise_id, results["released_at"], drawn, results["figures"])
        shown = ExerciseResults(
            self.exercise_id,
            content.title,
            content.cohort,
            int(results.get("min_group", self.cohort.min_group)),
            release,
            len(drawn),
            None,
        )
        # A service from before "counted" was sent: the figures as they were marked then.
        counted = results.get("counted", True) is not False
        say = self.words.gettext
        intro = say(REVEALED) + (" " + say(YOURS_MARKED) if counted else "")
        not_counted = f'<p class="bw-cohort-not-counted">{escape(say(NOT_COUNTED))}</p>'
        return (
            f"<style>{STYLE}</style>"
            f'<p class="bw-cohort-revealed">{escape(intro)}</p>'
            + ("" if counted else not_counted)
            + results_html(shown, measures if counted else None, self.words)
        )
