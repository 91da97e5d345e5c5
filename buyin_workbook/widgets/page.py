"""The page every exercise and the summary are built on: a plan, its store, autosave, the
page guard, and notices of other windows.

:class:`PlanPage` is what they share; :class:`ExercisePage` adds what an exercise has and the
summary has not: its progress, and a dated snapshot when it is finished. A page subclasses
one of them, builds its steps in ``_build_steps``, shows saved answers in ``_show`` and
saves with ``_queue(key, value)``.

A page is handed a :class:`~buyin_workbook.use_cases.session.Session` (who it works for,
the open store, the settings), or works one out itself; what it does beyond showing and
saving answers (snapshots, the team's voice, cohort figures) it asks of the use cases.
"""

from __future__ import annotations

import asyncio
from abc import ABCMeta, abstractmethod
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import ipywidgets as widgets

from .._text import TextError, clean_text
from ..languages import N_, Nn_, translator
from ..store import AccessEnded, Plan, PlanNotFound, StoreError, WorkbookStore
from ..use_cases.hub_cohort import CohortService, HubCohort
from ..use_cases.privacy_notice import where_answers_live
from ..use_cases.session import Session, plan_page_session
from ..use_cases.snapshots import Reason, finished_now, is_done, snapshot_exercise
from ..use_cases.visitor import AccessRefused, page_language
from ._batch import widgets_opened_once
from ._ui import (
    STYLE,
    button,
    escape,
    full_width,
    heading,
    message_area,
    row,
    set_message,
    titled,
)
from .autosave import Autosaver
from .page_guard import PageGuard
from .plan_picker import PlanPicker

if TYPE_CHECKING:
    from ..kit.declaration import Exercise
    from .team_voice_panel import TeamVoicePanel

_SHOW_CHANGES = N_("Show their changes")
_SNAPSHOT = N_("Save a snapshot")
_SNAPSHOT_HELP = N_("Keep a dated copy of this exercise, to compare later")
_RACE_LOST = N_(
    "This answer had just been changed in another window; your version is the one saved now."
)
_CHANGED_ELSEWHERE = Nn_(
    "Another window has since changed {count} of the answers you gave here; its version is "
    "the one saved now.",
    "Another window has since changed {count} of the answers you gave here; its version is "
    "the one saved now.",
)
_SAVED_ELSEWHERE = Nn_(
    "Another window saved {count} answer in this plan since you opened it. Your own answers "
    "are kept.",
    "Another window saved {count} answers in this plan since you opened it. Your own answers "
    "are kept.",
)
_NO_SNAPSHOT = N_("No snapshot: {error}")
_COMPLETE = N_("Exercise complete: a snapshot was saved")
_SNAPSHOT_SAVED = N_("Snapshot saved")
_TAKEN_AT = N_("{what} ({when} UTC).")


class PageContent(Protocol):
    """What the base needs of a page's content: its heading and the plan step's words
    (``steps["plan"]``, ``help["plan"]``)."""

    @property
    def title(self) -> str: ...
    @property
    def intro(self) -> str: ...
    @property
    def steps(self) -> dict[str, str]: ...
    @property
    def help(self) -> dict[str, str]: ...


class _AbstractWidget(ABCMeta, type(widgets.VBox)):  # type: ignore[misc]
    """Lets a widget class declare abstract methods; a page's widgets are sent to the page
    once it is built, one message each (see _batch.py)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        with widgets_opened_once():
            return super().__call__(*args, **kwargs)


class PlanPage(widgets.VBox, metaclass=_AbstractWidget):
    """One page about one plan, as one widget: display it in a notebook or a Voila app."""

    #: Where the page's answers are kept in the store (an exercise's id, or "summary").
    exercise_id: ClassVar[str]
    #: The page's answers as plain data (a model with ``to_store()``).
    answers: Any
    #: Every word the page shows (subclasses narrow the type).
    content: Any
    #: "Ask your team", on a page that hears from the team (its members' answers).
    voice_panel: TeamVoicePanel | None = None

    def __init__(
        self,
        store: WorkbookStore | None,
        *,
        content: PageContent,
        session: Session | None = None,
        autosave_delay: float | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        #: The page's own words (not its exercise's) in its reader's language.
        self.translator = translator(language or page_language())
        self.content = content
        title, intro = content.title, content.intro
        plan_step, plan_help = content.steps["plan"], content.help["plan"]
        self.add_class("bw-exercise")
        self.plan: Plan | None = None
        self.store_error: str | None = None
        self._loading = False
        self._seen: dict[str, int] = {}
        #: Answers this window saved in the open plan (to tell who lost a two-window race).
        self._mine: set[str] = set()
        self._plan_revision = 0
        self._watch_timer: asyncio.TimerHandle | None = None
        self._text_answers: dict[str, tuple[widgets.Widget, widgets.HTML]] = {}
        try:
            #: Who the page works for, the store it saves into and the settings.
            self.session = session or plan_page_session(store)
        except (StoreError, AccessRefused) as error:
            self.store_error = self.translator.said(error)
            self.children = [
                widgets.HTML(STYLE),
                heading(title, 2),
                widgets.HTML(
                    f'<p class="bw-message-error" role="alert">{escape(self.store_error)}</p>'
                ),
            ]
            return
        self.access = self.session.who
        self.store = self.session.store
        config = self.session.config
        delay = config.autosave_delay if autosave_delay is None else autosave_delay
        self._watch_interval = config.watch_interval
        words = self.translator
        self.guard = PageGuard(self.exercise_id, language=words.language)
        self.autosaver = Autosaver(
            self._save, delay=delay, on_saved=self._after_saving, words=words
        )
        self.guard.on_leave(self.autosaver.flush)
        self.notice = message_area("bw-notice")
        self.reload = button(words.gettext(_SHOW_CHANGES), css_class="bw-reload", icon="refresh")
        self.reload.layout.display = "none"
        self.reload.on_click(lambda _b: self._load(self.plan))
        self.picker = PlanPicker(self.store, self._load, words=words)
        self.snapshot = button(
            words.gettext(_SNAPSHOT),
            css_class="bw-snapshot",
            icon="camera",
            tooltip=words.gettext(_SNAPSHOT_HELP),
        )
        self.snapshot.on_click(lambda _b: self.take_snapshot("requested"))
        self.snapshot_message = message_area("bw-snapshot-message")
        self.steps = widgets.VBox(self._build_steps())
        #: Saving and snapshots: only once there is a plan to save into.
        self.footer = row([self.autosaver.widget, self.snapshot, self.snapshot_message], wrap=True)
        self.footer.add_class("bw-page-footer")
        self.hub = self._find_hub_cohort()
        hub_group = self.hub[1].group if self.hub else None
        self.children = [
            widgets.HTML(STYLE),
            self.guard,
            titled(
                title,
                intro,
                where_answers_live(self.access, self.store, hub_group, words=words),
                level=2,
            ),
            row([self.notice, self.reload]),
            titled(plan_step, plan_help),
            self.picker,
            self.steps,
            self.footer,
            *self._extra_parts(),
        ]
        self.picker.start()
        self._watch()

    # -- for subclasses --------------------------------------------------------------------

    def _find_hub_cohort(self) -> tuple[CohortService, HubCohort] | None:
        """The hub cohort this page sends its figures to (none but on an exercise page)."""
        return None

    @abstractmethod
    def _build_steps(self) -> list[widgets.Widget]:
        """The exercise's steps after the plan picker."""

    @abstractmethod
    def _show(self, values: dict[str, Any]) -> None:
        """Put saved answers (``{key: value}``, maybe empty) on screen."""

    def text_answer(
        self,
        key: str,
        description: str,
        *,
        what: str,
        max_length: int,
        multiline: bool = False,
        placeholder: str = "",
        on_saved: Any = None,
    ) -> tuple[widgets.Widget, widgets.HTML]:
        """A text box saved under ``key`` as typed, with its own message line.

        Bad text (too long, say) gets a message beside the box and is not saved, so the
        answer saved before stays.
        """
        control_class = widgets.Textarea if multiline else widgets.Text
        box = full_width(
            control_class(description=description, placeholder=placeholder, continuous_update=True)
        )
        if multiline:
            box.rows = 3
        box.add_class("bw-stacked")
        message = message_area("bw-text-message")

        def changed(change: dict) -> None:
            if self._loading:
                return
            try:
                text = clean_text(
                    change["new"],
                    what=what,
                    required=False,
                    multiline=multiline,
                    max_length=max_length,
                )
            except TextError as error:
                set_message(message, self.translator.said(error), "error")
                return
            set_message(message)
            self._queue(key, text)
            if on_saved is not None:
                on_saved(key, text)

        box.observe(changed, "value")
        self._text_answers[key] = (box, message)
        return box, message

    # -- loading ---------------------------------------------------------------------------

    def _load(self, plan: Plan | None) -> None:
        """Show a plan's saved answers, or an empty exercise when there is no plan."""
        if self.autosaver.pending:
            self.autosaver.flush()
        self.plan = plan
        self.steps.layout.display = "none" if plan is None else ""
        self.footer.layout.display = self.steps.layout.display
        set_message(self.notice)
        self.reload.layout.display = "none"
        values: dict[str, Any] = {}
        if plan is not None:
            try:
                saved = self.store.answers(plan.id, self.exercise_id)
                self._plan_revision = self.store.get_plan(plan.id).revision
                values = {key: answer.value for key, answer in saved.items()}
                if self.voice_panel is not None:
                    values = self.voice_panel.with_team(plan.id, values)
            except StoreError as error:
                set_message(self.notice, self.translator.said(error), "error")
                return
            self._seen = {key: answer.revision for key, answer in saved.items()}
            self._mine = set()
        self._loading = True
        try:
            for key, (box, message) in self._text_answers.items():
                value = values.get(key)
                box.value = value if isinstance(value, str) else ""
                set_message(message)
            self._show(values)
        finally:
            self._loading = False
        set_message(self.snapshot_message)
        self._loaded()

    # -- saving ----------------------------------------------------------------------------

    def _save(self, key: str, value: Any) -> None:
        assert self.plan is not None
        try:
            result = self.store.save_answer(
                self.plan.id, self.exercise_id, key, value, seen_revision=self._seen.get(key)
            )
        except AccessEnded as error:
            self.guard.stop(self.translator.said(error))
            raise
        self._seen[key] = result.revision
        self._mine.add(key)
        if result.replaced is not None:
            set_message(self.notice, self.translator.gettext(_RACE_LOST), "notice")
            self.reload.layout.display = ""
        self._notice_other_windows()
        self._plan_revision = max(self._plan_revision, result.revision)

    def _notice_other_windows(self) -> None:
        """Say what other windows saved in this plan since this one last looked."""
        assert self.plan is not None
        others = self.store.changes_since(self.plan.id, self._plan_revision)
        if self.voice_panel is not None:
            senders = self.store.team_answered_since(self.plan.id, self._plan_revision)
            mine = {member for exercise, member, _ in senders if exercise == self.exercise_id}
            if senders:
                self._plan_revision = max(self._plan_revision, *(r for _, _, r in senders))
            if mine:
                self.voice_panel.members_answered(mine)
        if not others:
            return
        self._plan_revision = max(self._plan_revision, *(a.revision for a in others))
        replaced = {a.key for a in others} & self._mine
        self._mine -= replaced
        said, count = (
            (_CHANGED_ELSEWHERE, len(replaced)) if replaced else (_SAVED_ELSEWHERE, len(others))
        )
        set_message(self.notice, self.translator.ngettext(*said, count), "notice")
        self.reload.layout.display = ""

    def _watch(self) -> None:
        """Look again in a moment (only inside a running kernel, not in a plain script)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._watch_interval > 0:
            self._watch_timer = loop.call_later(self._watch_interval, self._look)

    def _look(self) -> None:
        """Has another window changed this plan, or has this page's link stopped working?"""
        self._watch_timer = None
        if self.store_error is not None or self.guard.problem:
            return
        try:
            if self.plan is None or self._loading or self.autosaver.pending:
                self.store.check_access()
            else:
                self._notice_other_windows()
        except AccessEnded as error:
            self.guard.stop(self.translator.said(error))
            return
        except PlanNotFound as error:  # erased in another window
            set_message(self.notice, self.translator.said(error), "error")
        except StoreError:
            pass  # the next save says what is wrong, and the look goes on
        self._refresh_extra_parts()
        self._watch()

    def _keep(self, kept: MutableMapping[Any, Any], entry: Any, value: Any, key: str) -> None:
        """A choice made in a control: kept in the page's answers under ``entry`` (forgotten
        when emptied) and saved under ``key`` (deleted when emptied)."""
        if value:
            kept[entry] = value
        else:
            kept.pop(entry, None)
        self._queue(key, value or None)

    def _queue(self, key: str, value: Any, *, now: bool = False) -> None:
        """Save an answer after the autosave pause (or at once with ``now``)."""
        if self._loading or self.plan is None:
            return
        self.autosaver.queue(key, value)
        if now:
            self.autosaver.flush()

    def _delete(self, keys: list[str]) -> None:
        """Remove answers whose question is gone (e.g. a removed row)."""
        self.autosaver.discard(keys)
        if self.plan is None or self._loading:
            return
        try:
            self._plan_revision = self.store.delete_answers(self.plan.id, self.exercise_id, keys)
        except StoreError as error:
            set_message(self.notice, self.translator.said(error), "error")

    # -- for subclasses: what happens around loading and saving ---------------------------

    def _extra_parts(self) -> list[widgets.Widget]:
        """Parts after the steps and the saving row (none by default)."""
        return []

    def _refresh_extra_parts(self) -> None:
        """Bring those parts up to date (after a load, a save, and at each look)."""

    def _loaded(self) -> None:
        """A plan's answers are on screen."""

    def _after_saving(self) -> None:
        """Every queued answer has just been saved."""

    @abstractmethod
    def take_snapshot(self, reason: Reason) -> None:
        """Keep a dated copy of what this page is about ("requested" or "completed")."""

    def _snapshot_taken(self, text: str, taken_at: str) -> None:
        when = taken_at[:16].replace("T", " ")
        said = self.translator.gettext(_TAKEN_AT, what=text, when=when)
        set_message(self.snapshot_message, said, "ok")

    def close_store(self) -> None:
        """Save what waits for the autosave pause, then release the database."""
        if self.store_error is None:
            if self._watch_timer is not None:
                self._watch_timer.cancel()
            self.autosaver.flush()
            self.store.close()


class ExercisePage(PlanPage):
    """An exercise: a plan page with a progress, that keeps a snapshot once finished.

    A subclass names the exercise it shows by its ``declaration`` (the
    :class:`~buyin_workbook.kit.declaration.Exercise` its package declares); its progress,
    figures and cohort values come from there, so the page looks nothing up by name."""

    declaration: ClassVar[Exercise]
    #: Whether the open plan's exercise is finished (its snapshot then taken).
    _done = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "declaration" in cls.__dict__:
            cls.exercise_id = cls.declaration.id

    def __init__(
        self,
        store: WorkbookStore | None = None,
        *,
        content: PageContent | None = None,
        session: Session | None = None,
        autosave_delay: float | None = None,
        language: str | None = None,
    ) -> None:
        self.answers = self.declaration.read_answers({})
        self._prepare()
        # The visitor's language (a served page's), the leader's in JupyterLab.
        language = language or page_language()
        super().__init__(
            store,
            content=content or self.declaration.content(language),
            session=session,
            autosave_delay=autosave_delay,
            language=language,
        )

    def _prepare(self) -> None:
        """Set up what the page keeps of its own (its controls by key), before it is built."""

    def _loaded(self) -> None:
        self._done = self.plan is not None and is_done(self.declaration, self.answers.to_store())
        self._refresh_extra_parts()

    def _after_saving(self) -> None:
        values = self.answers.to_store()
        if self.plan is not None and finished_now(self.declaration, values, was_done=self._done):
            self._done = True
            self.take_snapshot("completed")
        self._refresh_extra_parts()

    def _find_hub_cohort(self) -> tuple[CohortService, HubCohort] | None:
        return self.session.hub_cohort(self.exercise_id)

    def _extra_parts(self) -> list[widgets.Widget]:
        if self.hub is not None:
            from .hub_cohort_panel import HubCohortPanel

            self.hub_panel = HubCohortPanel(
                *self.hub, self.declaration, self.store, words=self.translator
            )
            return [self.hub_panel]
        if self.access.role != "participant":
            return []
        from .cohort_panel import CohortPanel

        assert self.access.cohort_id is not None, "a participant belongs to a cohort"
        self.cohort_panel = CohortPanel(
            self.store, self.declaration, self.access.cohort_id, words=self.translator
        )
        return [self.cohort_panel]

    def _refresh_extra_parts(self) -> None:
        if self.hub is not None and self.store_error is None:
            own = self.answers.to_store() if self.plan is not None else None
            self.hub_panel.refresh(own, self._done)
        if self.access.role == "participant" and self.store_error is None:
            own = self.answers.to_store() if self.plan is not None else None
            self.cohort_panel.refresh(own)

    def take_snapshot(self, reason: Reason) -> None:
        """Keep a dated copy of this exercise's answers and key figures."""
        if self.plan is None or (self.autosaver.pending and not self.autosaver.flush()):
            return
        values = self.answers.to_store()
        try:
            snapshot = snapshot_exercise(self.store, self.plan.id, self.declaration, values, reason)
        except StoreError as error:
            refused = self.translator.gettext(_NO_SNAPSHOT, error=self.translator.said(error))
            set_message(self.snapshot_message, refused, "error")
            return
        done = _COMPLETE if reason == "completed" else _SNAPSHOT_SAVED
        self._snapshot_taken(self.translator.gettext(done), snapshot.taken_at)
