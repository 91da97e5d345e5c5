"""The page a team member fills in for their leader: one exercise's questions, nothing of the
leader's own answers and nothing of the other members'.

Opened by the leader's member link (``jupyter workbook serve``), the answers are sent into
the member's slot of the leader's plan and nowhere else; the member may send again while the
link works. Opened any other way (in one's own JupyterLab), the page asks for the form file
the leader handed over, stores nothing, and makes an answer file to send back.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

import ipywidgets as widgets

from .._text import TextError
from ..kit.team_voice import (
    VoiceFileError,
    answers_file,
    read_voice_file,
)
from ..languages import N_, translator
from ..store import AccessEnded, PlanNotFound, StoreError, WorkbookStore
from ..use_cases.privacy_notice import where_answers_live
from ..use_cases.team_voice import (
    member_questions,
    send_member_answers,
)
from ..use_cases.visitor import Access, AccessRefused, current_access
from ._ui import (
    STYLE,
    button,
    escape,
    heading,
    message_area,
    paragraphs,
    set_message,
    submit_on_enter,
)
from .files import DownloadButton, FileChooser
from .page import _AbstractWidget
from .page_guard import PageGuard

_NOT_OPENED = N_("Could not open {file}: {error}")


class MemberPage(widgets.VBox, metaclass=_AbstractWidget):
    """A team member's page for one exercise; subclasses ask the questions."""

    #: The exercise whose member link opens this page.
    exercise_id: ClassVar[str]

    def __init__(
        self,
        content: Any,
        *,
        access: Access | None = None,
        store: WorkbookStore | None = None,
    ) -> None:
        super().__init__()
        self.content = content
        self.words: dict[str, str] = content.team_voice
        #: The page's own words (not its exercise's), in its content's language.
        self.translator = translator(content.language)
        self._store = store
        self.message = message_area("bw-member-message")
        self.questions = widgets.VBox()
        self.questions.add_class("bw-member-questions")
        self.title = heading(self.words["member_page"], 2)
        try:
            self.access = access if access is not None else current_access()
            link = self.access.member
            if self.access.role == "member" and (link is None or link.exercise != self.exercise_id):
                raise AccessRefused(self.words["wrong_page"])
        except (AccessRefused, StoreError) as error:
            self._refused(self.translator.said(error))
            return
        self.guard = PageGuard(f"member-{self.exercise_id}", language=content.language)
        if link is None:
            self._start_from_file()
        else:
            self._start_from_link()
        self.add_class("bw-exercise")
        self.add_class("bw-member-page")

    # -- for subclasses --------------------------------------------------------------------

    @abstractmethod
    def _questions_from_plan(self, values: dict[str, Any]) -> dict[str, Any]:
        """What the member is asked, from the leader's stored answers: names only."""

    @abstractmethod
    def _ask(self, questions: dict[str, Any], own: dict[str, Any]) -> list[widgets.Widget]:
        """The controls for ``questions``, showing the member's own earlier answers."""

    @abstractmethod
    def _collect(self) -> dict[str, Any]:
        """The answers on screen (keys without ``team/<id>/``), or
        :class:`~buyin_workbook._text.TextError` saying what to fix."""

    # -- opening ---------------------------------------------------------------------------

    def _refused(self, text: str) -> None:
        self.children = [
            widgets.HTML(STYLE),
            self.title,
            widgets.HTML(f'<p class="bw-message-error" role="alert">{escape(text)}</p>'),
        ]
        self.add_class("bw-exercise")

    def _start_from_link(self) -> None:
        link = self.access.member
        assert link is not None
        try:
            if self._store is None:
                self._store = self.access.store()
            # Their own earlier answers, whichever round they answered: they change what changed.
            asked = member_questions(self._store.open(), link)
        except PlanNotFound:
            self._refused(self.words["link_removed"])
            return
        except StoreError as error:
            self._refused(self.translator.said(error))
            return
        voice = asked.voice
        self.questions.children = self._ask(
            self._questions_from_plan(asked.plan_values), asked.mine
        )
        self.send = button(
            self.words["send"], css_class="bw-member-send", style="primary", icon="paper-plane"
        )
        self.send.on_click(self._sent)
        texts = [w for w in self.questions.children if isinstance(w, widgets.Text)]
        if texts:
            submit_on_enter(*texts, action=self.send)
        self.children = [
            widgets.HTML(STYLE),
            self.guard,
            self.title,
            paragraphs(
                self.words["member_intro"],
                *(
                    [self.words["asked_again"].format(date=voice.checkins[-1]["started"])]
                    if asked.asked_again and voice.checkins
                    else []
                ),
                where_answers_live(self.access, blind=True, words=self.translator),
                self.words["member_limit"],
            ),
            self.questions,
            self.send,
            self.message,
        ]

    def _start_from_file(self) -> None:
        self.form: dict[str, Any] | None = None
        self.form_file = FileChooser(
            self.words["form_open"], accept=".json,application/json", on_file=self._form_opened
        )
        self.form_file.add_class("bw-member-form-open")
        self.download = DownloadButton(self.words["download"], make=self._answer_file)
        self.download.add_class("bw-member-download")
        self.download.layout.display = "none"
        self.children = [
            widgets.HTML(STYLE),
            self.guard,
            self.title,
            paragraphs(
                self.words["file_intro"], self.words["member_intro"], self.words["member_limit"]
            ),
            self.form_file,
            self.questions,
            self.download,
            self.message,
        ]

    def _form_opened(self, name: str, data: bytes) -> None:
        try:
            form = read_voice_file(data, kind="form", exercise=self.exercise_id)
            asked = self._ask(form["questions"], {})
        except VoiceFileError as error:
            said = self.translator.said(error)
            set_message(
                self.message, self.translator.gettext(_NOT_OPENED, file=name, error=said), "error"
            )
            return
        self.form = form
        self.questions.children = asked
        self.download.layout.display = ""
        set_message(self.message)

    # -- sending ---------------------------------------------------------------------------

    def _answer_file(self) -> tuple[str, bytes, str] | None:
        if self.form is None:
            return None
        try:
            answers = self._collect()
        except TextError as error:
            set_message(self.message, self.translator.said(error), "error")
            return None
        set_message(self.message, self.words["form_ready"], "ok")
        data = answers_file(self.form, answers).encode("utf-8")
        return f"{self.exercise_id}-answers.json", data, "application/json"

    def _sent(self, _button: widgets.Button | None = None) -> None:
        """Put the member's answers in their slot of the leader's plan, all at once."""
        link = self.access.member
        assert link is not None and self._store is not None
        try:
            answers = self._collect()
        except TextError as error:
            set_message(self.message, self.translator.said(error), "error")
            return
        try:
            send_member_answers(self._store.open(), link, answers)
        except PlanNotFound:
            set_message(self.message, self.words["link_removed"], "error")
        except AccessEnded as error:
            said = self.translator.said(error)
            self.guard.stop(said)
            set_message(self.message, self.words["not_sent"].format(error=said), "error")
        except StoreError as error:
            said = self.translator.said(error)
            set_message(self.message, self.words["not_sent"].format(error=said), "error")
        else:
            set_message(self.message, self.words["sent"], "ok")

    def close_store(self) -> None:
        """Release the database, if the page opened it."""
        if self._store is not None:
            self._store.close()
