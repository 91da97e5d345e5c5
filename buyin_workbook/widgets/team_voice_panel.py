"""The leader's side of asking the team: whom they asked, each one's link (served) or form
file (JupyterLab), whether each has answered (never what), the plan's minimum, and Reveal.

The exercise page owns the answers (``page.answers.voice``, a
:class:`~buyin_workbook.kit.team_voice.TeamVoice`) and draws the team's answers itself once
:meth:`TeamVoice.shown` says so; this panel only tells it when something changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from .._disclosure import Withheld
from .._text import TextError
from ..kernel_protocol import page_url
from ..kit.team_voice import (
    CHECKINS_KEY,
    GROUPS_KEY,
    MEMBERS_KEY,
    MIN_CEILING,
    MIN_FLOOR,
    MIN_KEY,
    REVEALED_KEY,
    ROUND_KEY,
    TeamVoice,
    VoiceFileError,
    VoiceMember,
    answer_round,
    form_file,
    groups_value,
    members_value,
    new_voice_member,
    read_voice_file,
)
from ..languages import N_
from ..store import StoreError
from ..use_cases.team_voice import (
    answers_of,
    import_member_answers,
    invite_member,
    remove_member,
    with_their_answers,
)
from ._ui import (
    MessageKind,
    button,
    escape,
    focus_next,
    full_width,
    message_area,
    paragraph,
    row,
    set_message,
    submit_on_enter,
    titled,
)
from .copy_link import LinkBox
from .files import DownloadButton, FileChooser

if TYPE_CHECKING:
    from .page import ExercisePage

_NOT_ON_THE_LIST = N_(
    "This answer file is for someone who is not on the list of this plan (the form may come "
    "from another plan, or they were removed)."
)
_EARLIER_ROUND = N_(
    "These answers are to the form of an earlier check-in; make {name} a new form and ask them "
    "to answer it."
)
_NOT_IMPORTED = N_("Could not import {file}: {error}")
_NOT_IMPORTED_NOTHING_CHANGED = N_("Could not import {file}: {error} Nothing was changed.")

#: A member's answers as sent or imported, checked: ``{key: value}`` (keys without
#: ``team/<id>/``), or :class:`~buyin_workbook.kit.team_voice.VoiceFileError`.
AnswerCheck = Callable[[Any], dict[str, Any]]


class TeamVoicePanel(widgets.VBox):
    """Ask team members for their own answers to one exercise, and reveal them together."""

    def __init__(
        self,
        page: ExercisePage,
        *,
        member_notebook: str,
        complete: Callable[[Mapping[str, Any]], bool],
        questions: Callable[[], dict[str, Any]],
        check_answers: AnswerCheck,
        on_change: Callable[[], None],
    ) -> None:
        self.page = page
        self.words = words = page.content.team_voice
        self._member_notebook = member_notebook
        self._complete = complete
        self._questions = questions
        self._check_answers = check_answers
        self._on_change = on_change
        #: Served to a coach's client or a course participant: each member gets a link.
        self.links = page.access.role in ("client", "participant")
        self.name = full_width(
            widgets.Text(description=words["name"], placeholder=words["name_placeholder"])
        )
        self.name.add_class("bw-voice-name")
        self.add = button(words["add"], css_class="bw-voice-add", icon="user-plus")
        self.add.on_click(self._added)
        submit_on_enter(self.name, action=self.add)
        self.message = message_area("bw-voice-message")
        self.members = widgets.VBox()
        self.members.add_class("bw-voice-members")
        self._rows: dict[str, widgets.Widget] = {}
        self._removers: dict[str, widgets.Button] = {}
        self.minimum = widgets.BoundedIntText(
            description=words["min_label"], min=MIN_FLOOR, max=MIN_CEILING, value=MIN_FLOOR
        )
        self.minimum.style.description_width = "initial"
        self.minimum.add_class("bw-voice-min")
        self.minimum.observe(self._minimum_changed, "value")
        self.count = widgets.HTML("")
        self.count.add_class("bw-voice-count")
        self.reveal = button(words["reveal"], css_class="bw-voice-reveal", icon="eye")
        self.reveal.on_click(self._reveal_toggled)
        self.reveal_note = message_area("bw-voice-reveal-note")
        self.check_in = button(words["check_in"], css_class="bw-voice-check-in", icon="refresh")
        self.check_in.on_click(self._checked_in)
        self.checkins = widgets.HTML("")
        self.checkins.add_class("bw-voice-checkins")
        parts: list[widgets.Widget] = [
            titled(words["heading"], words["intro"]),
            row([self.name, self.add]),
            self.message,
            self.members,
        ]
        if not self.links:
            self.answer_file = FileChooser(
                words["import"], accept=".json,application/json", on_file=self._imported
            )
            self.answer_file.add_class("bw-voice-import")
            parts.append(self.answer_file)
        parts += [
            row([self.minimum], wrap=True),
            paragraph(words["min_help"].format(floor=MIN_FLOOR)),
            row([self.count, self.reveal], wrap=True),
            self.reveal_note,
            row([self.check_in], wrap=True),
            self.checkins,
        ]
        super().__init__(parts)
        self.add_class("bw-card")
        self.add_class("bw-voice")

    @property
    def voice(self) -> TeamVoice:
        return self.page.answers.voice  # type: ignore[no-any-return]

    def answered(self) -> list[str]:
        return self.voice.answered(self._complete)

    # -- drawing ---------------------------------------------------------------------------

    def render(self) -> None:
        """Show the list and the counts as the page's answers have them."""
        self.page._loading, loading = True, self.page._loading
        try:
            self.minimum.value = self.voice.min_voices
        finally:
            self.page._loading = loading
        self._rows = {m.id: self._rows.get(m.id) or self._member_row(m) for m in self.voice.members}
        self.members.children = list(self._rows.values()) or [paragraph(self.words["empty"])]
        self.refresh()

    def refresh(self) -> None:
        """Bring each member's status, the count and the Reveal button up to date."""
        words, voice = self.words, self.voice
        answered = self.answered()
        for member in voice.members:
            status = self._rows[member.id].children[0].children[1]  # type: ignore[attr-defined]
            status.value = self._status_html(member.id in answered)
        needed = voice.min_voices
        count = words["count"].format(answered=len(answered), needed=needed)
        self.count.value = f"<p>{escape(count)}</p>"
        showing = voice.shown(answered)
        gap = voice.reveal_gap(answered)
        self.reveal.description = words[
            "hide" if showing else "reveal_again" if voice.revealed else "reveal"
        ]
        self.reveal.icon = "eye-slash" if showing else "eye"
        # Hiding is always possible; revealing when no one's answer could be told apart.
        self.reveal.disabled = not showing and gap is not None
        note: str = ""
        kind: MessageKind = "info"
        if voice.revealed and not showing:
            note, kind = words["changed"], "notice"
        if not showing and gap is not None and gap.reason != "too_few":
            note, kind = self._held_back_text(gap), "notice"
        elif not voice.revealed and gap is None and len(answered) < len(voice.members):
            note = words["early"].format(
                answered=len(answered), asked=len(voice.members), needed=needed
            )
        set_message(self.reveal_note, note, kind)
        # Asking again makes sense once the team's answers have been seen.
        self.check_in.layout.display = "" if voice.groups else "none"
        self.checkins.value = self._checkins_html()

    def _checkins_html(self) -> str:
        voice = self.voice
        if not voice.checkins:
            return ""
        dates = [item["started"] for item in voice.checkins]
        text = self.words["checkins"].format(
            count=len(dates), dates=", ".join(dates), round=voice.round
        )
        return f'<p class="bw-help">{escape(text)}</p>'

    def _held_back_text(self, gap: Withheld) -> str:
        """Why the answers in now cannot be revealed, though enough are in."""
        words = self.words
        if gap.reason == "combination":
            return words["too_close_combined"].format(needed=self.voice.min_voices)
        template = words["too_close_left" if gap.moved == "left" else "too_close"]
        return template.format(gap=gap.have, needed=self.voice.min_voices)

    def waiting_html(self, withheld: str) -> str:
        """What stands where the answers will be, while they are not shown: how many are in
        (``withheld``, with ``{answered}`` and ``{needed}``), or that Reveal is ready."""
        answered, needed = len(self.answered()), self.voice.min_voices
        text = (
            self.words["ready"]
            if answered >= needed
            else " ".join(withheld.split()).format(answered=answered, needed=needed)
        )
        return f'<p class="bw-help">{escape(text)}</p>'

    def _status_html(self, answered: bool) -> str:
        word = self.words["answered" if answered else "waiting"]
        kind = "ok" if answered else "info"
        return f'<span class="bw-voice-status bw-message-{kind}">{escape(word)}</span>'

    def _member_row(self, member: VoiceMember) -> widgets.Widget:
        words = self.words
        remove = button(
            words["remove"],
            css_class="bw-voice-remove",
            icon="times",
            tooltip=f"{words['remove']}: {member.name}",
        )
        remove.on_click(lambda _b: self._removed(member))
        self._removers[member.id] = remove
        link_box = LinkBox("bw-voice-url", words=self.page.translator)
        link_box.add_class("bw-voice-link-box")
        give: widgets.Widget
        if self.links:
            give = button(
                words["link"],
                css_class="bw-voice-link",
                icon="link",
                tooltip=f"{words['link']}: {member.name}",
            )
            give.on_click(lambda _b: self._link_made(member, link_box))
        else:
            give = DownloadButton(
                words["form"],
                make=lambda: self._form_made(member, link_box),
                tooltip=f"{words['form']}: {member.name}",
            )
            give.add_class("bw-voice-form")
        heading_row = row(
            [widgets.HTML(f"<b>{escape(member.name)}</b>"), widgets.HTML(""), give, remove],
            wrap=True,
        )
        box = widgets.VBox([heading_row, link_box])
        box.add_class("bw-voice-member")
        return box

    # -- the list --------------------------------------------------------------------------

    def _added(self, _button: widgets.Button | None = None) -> None:
        try:
            member = new_voice_member(self.voice.members, self.name.value)
        except TextError as error:
            set_message(self.message, self.page.translator.said(error), "error")
            return
        self.voice.members.append(member)
        self.name.value = ""
        set_message(self.message)
        self.page._queue(MEMBERS_KEY, members_value(self.voice.members), now=True)
        self.render()
        self.name.focus()

    def _removed(self, member: VoiceMember) -> None:
        """Take a member off the list: their link stops first, then their answers go. For
        someone whose answers the leader has seen, the first press only says what follows
        (the others' answers stay hidden from then on) and asks again."""
        page = self.page
        remover = self._removers[member.id]
        seen = any(member.id in group for group in self.voice.groups)
        if seen and remover.description != self.words["remove_anyway"]:
            remover.description = self.words["remove_anyway"]
            set_message(self.message, self.words["remove_seen"].format(name=member.name), "notice")
            return
        position = [m.id for m in self.voice.members].index(member.id)
        if page.plan is not None:
            try:
                remove_member(page.store, page.plan.id, page.exercise_id, member.id)
            except StoreError as error:
                set_message(self.message, self.page.translator.said(error), "error")
                return
        self.voice.members = [m for m in self.voice.members if m.id != member.id]
        self.voice.answers.pop(member.id, None)
        self._rows.pop(member.id, None)
        self._removers.pop(member.id, None)
        page._queue(MEMBERS_KEY, members_value(self.voice.members), now=True)
        removed = self.words["removed_seen" if seen else "removed"].format(name=member.name)
        set_message(self.message, removed, "ok")
        self.render()
        focus_next(list(self._removers.values()), position, self.name)
        self._on_change()  # after the focus: the page's result is the slower part

    # -- links and files -------------------------------------------------------------------

    def _link_made(self, member: VoiceMember, link_box: LinkBox) -> None:
        page = self.page
        if page.plan is None:
            return
        try:
            key = invite_member(page.store, page.plan.id, page.exercise_id, member.id, member.name)
        except (StoreError, TextError) as error:
            link_box.show_error(page.translator.said(error))
            return
        help_text = self.words["link_help"].format(name=member.name)
        link_box.show_link(help_text, page_url(self._member_notebook, key))

    def _form_made(self, member: VoiceMember, link_box: LinkBox) -> tuple[str, bytes, str] | None:
        page = self.page
        if page.plan is None:
            return None
        data = form_file(page.exercise_id, member, self._questions(), self.voice.round)
        link_box.show_text(
            self.words["form_help"].format(name=member.name, page=self.words["member_page"])
        )
        return f"{page.exercise_id}-form-{member.id}.json", data.encode("utf-8"), "application/json"

    def _imported(self, name: str, data: bytes) -> None:
        page = self.page
        try:
            raw = read_voice_file(data, kind="answers", exercise=page.exercise_id)
            member = self.voice.member(raw["member_id"])
            if member is None:
                raise VoiceFileError(_NOT_ON_THE_LIST)
            if answer_round(raw.get("round")) != self.voice.round:
                raise VoiceFileError(_EARLIER_ROUND, name=member.name)
            given = self._check_answers(raw["answers"])
        except VoiceFileError as error:
            said = page.translator.gettext(
                _NOT_IMPORTED_NOTHING_CHANGED, file=name, error=page.translator.said(error)
            )
            set_message(self.message, said, "error")
            return
        if page.plan is None:
            return
        try:
            page._plan_revision = import_member_answers(
                page.store, page.plan.id, page.exercise_id, self.voice, member.id, given
            )
        except StoreError as error:
            said = page.translator.gettext(
                _NOT_IMPORTED, file=name, error=page.translator.said(error)
            )
            set_message(self.message, said, "error")
            return
        self.voice.answers[member.id] = given
        set_message(self.message, self.words["imported"].format(name=member.name), "ok")
        self.refresh()
        self._on_change()

    # -- minimum and reveal ----------------------------------------------------------------

    def _minimum_changed(self, change: dict) -> None:
        if self.page._loading:
            return
        self.voice.min_voices = int(change["new"])
        self.page._queue(MIN_KEY, self.voice.min_voices, now=True)
        self.refresh()
        self._on_change()

    def _reveal_toggled(self, _button: widgets.Button | None = None) -> None:
        voice, answered = self.voice, self.answered()
        if voice.shown(answered):
            voice.revealed = False
        elif voice.reveal_gap(answered) is None:
            voice.reveal(answered)
            self.page._queue(GROUPS_KEY, groups_value(voice.groups))
        else:
            return
        self.page._queue(REVEALED_KEY, voice.revealed, now=True)
        set_message(self.message, self.words["revealed"] if voice.revealed else "", "ok")
        self.refresh()
        self._on_change()
        if self.voice.revealed:
            # The history keeps the team's figures as they were when revealed.
            self.page.take_snapshot("requested")
        self.reveal.focus()

    def _checked_in(self, _button: widgets.Button | None = None) -> None:
        """Ask the team again: the history keeps their figures as they were, then a new
        round starts, in which each person's answers count once they send them again."""
        page = self.page
        if page.plan is None or not self.voice.groups:
            return
        page.take_snapshot("requested")
        today = date.today().isoformat()
        self.voice.check_in(today)
        page._queue(ROUND_KEY, self.voice.round)
        page._queue(CHECKINS_KEY, [dict(item) for item in self.voice.checkins])
        page._queue(REVEALED_KEY, False, now=True)
        how = self.words["checked_in_links" if self.links else "checked_in_forms"]
        set_message(self.message, how.format(date=today), "ok")
        self.refresh()
        self._on_change()
        self.check_in.focus()

    def with_team(self, plan_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """The page's stored answers with what its members sent beside them."""
        page = self.page
        return with_their_answers(page.store, plan_id, page.exercise_id, values)

    def members_answered(self, senders: set[str]) -> None:
        """Read again the answers of the listed members among ``senders`` (members whose
        pages sent since this page last looked): a member's send replaces all theirs."""
        page = self.page
        senders = {m for m in senders if self.voice.member(m) is not None}
        if not senders or page.plan is None:
            return
        sent = answers_of(page.store, page.plan.id, page.exercise_id)
        for member_id in senders:
            self.voice.take(member_id, sent.get(member_id, {}))
        self.refresh()
        self._on_change()
