"""The widgets of the motivators exercise, and the "about me" page a team member fills in."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ipywidgets as widgets

from ..._text import TextError, clean_name
from ...kernel_protocol import page_url
from ...kit.charts import chart_bundle
from ...kit.reference import ReferenceTable
from ...languages import N_, Nn_, translator
from ...store import AccessEnded, PlanNotFound, StoreError, WorkbookStore
from ...use_cases.privacy_notice import where_answers_live
from ...use_cases.team_voice import invite_member
from ...use_cases.visitor import Access, AccessRefused, current_access, page_language
from ...widgets._ui import (
    STYLE,
    button,
    escape,
    focus_next,
    full_width,
    heading,
    legend_html,
    message_area,
    paragraph,
    paragraphs,
    privacy_note,
    row,
    set_message,
    show_chart,
    submit_on_enter,
    titled,
)
from ...widgets.copy_link import LinkBox
from ...widgets.files import FileChooser
from ...widgets.page import ExercisePage
from ...widgets.page_guard import PageGuard
from . import EXERCISE as DECLARED
from . import charts, scoring
from .content import Motivator, MotivatorsContent, load_content
from .content import catalogue_reference as content_catalogue_reference
from .lists import MotivatorLists
from .model import (
    AboutMeFileError,
    Member,
    MotivatorsAnswers,
    SelfReport,
    about_me_file,
    complete_order,
    custom_value,
    member_key,
    member_keys,
    members_value,
    new_custom_motivator,
    new_member,
    read_about_me,
    self_report_value,
    starting_order,
)

_NONE = ""

_OVERLAP = N_("Overlap")
_TOO_MANY_OWN = Nn_(
    "At most {count} motivator of your own.", "At most {count} motivators of your own."
)
_OWN_ADDED = N_("{name} added.")
_MEMBER_ADDED = N_("{name} added: now order their motivators as you believe they are.")
_OVERLAP_TEXT = N_("{member}: the plan {plan}, me {me}")
_PEOPLE = Nn_("{count} person", "{count} people")
_ORDER_RIGHT = N_("This order is right")
_NOT_ORDERED = N_(
    "Not ordered yet: this person is left out of the analysis until you order their motivators."
)
_NOT_IMPORTED = N_("Could not import {file}: {error} Nothing was changed.")
_THE_FILE = N_("the file")
_FILE_READY = N_("Your file is ready.")
_DOWNLOAD = N_("Download about-me.json")
_NOT_SENT = N_("Not sent: {error}")


class MotivatorsExercise(ExercisePage):
    """Where do my team's motivators overlap with mine and with the plan?"""

    declaration = DECLARED
    answers: MotivatorsAnswers
    content: MotivatorsContent

    def _prepare(self) -> None:
        self._member_cards: dict[str, widgets.Widget] = {}

    # -- helpers ---------------------------------------------------------------------------

    def _catalogue(self) -> list[Motivator]:
        return scoring.catalogue(self.answers, self.content)

    def _starting_order(self, seed: str) -> list[str]:
        """Where an order not yet saved starts: the catalogue shuffled (the same for the same
        seed), the plan's own motivators after it."""
        shuffled = starting_order([m.id for m in self.content.motivators], seed)
        return complete_order(shuffled, self._ids())

    def _ids(self) -> list[str]:
        return [m.id for m in self._catalogue()]

    def _labels(self) -> dict[str, str]:
        return {m.id: m.name for m in self._catalogue()}

    # -- layout ----------------------------------------------------------------------------

    def _build_steps(self) -> list[widgets.Widget]:
        c = self.content
        self.catalogue_table = widgets.HTML("")
        self.custom_name = full_width(widgets.Text(description=c.custom["name"]))
        self.custom_name.add_class("bw-custom-name")
        self.custom_meaning = full_width(widgets.Text(description=c.custom["meaning"]))
        self.custom_kind = widgets.Dropdown(
            description=c.custom["kind"],
            options=[(c.kinds["intrinsic"], "intrinsic"), (c.kinds["extrinsic"], "extrinsic")],
        )
        self.custom_kind.style.description_width = "initial"
        self.custom_add = button(c.custom["add"], css_class="bw-custom-add", icon="plus")
        self.custom_add.on_click(self._custom_added)
        submit_on_enter(self.custom_name, self.custom_meaning, action=self.custom_add)
        self.custom_message = message_area("bw-custom-message")

        self.leader = MotivatorLists(
            c.motivators,
            [],
            self._leader_ordered,
            content=c,
            description=c.steps["leader"],
            css_class="bw-leader-ranking",
        )
        self.effects_box = widgets.VBox()
        self.effects_box.add_class("bw-effects")
        self.effect_controls: dict[str, widgets.Dropdown] = {}

        self.member_name = full_width(widgets.Text(description=c.members["name"]))
        self.member_name.add_class("bw-member-name")
        self.member_add = button(c.members["add"], css_class="bw-member-add", icon="user-plus")
        self.member_add.on_click(self._member_added)
        submit_on_enter(self.member_name, action=self.member_add)
        self.member_message = message_area("bw-member-message")
        self.members_box = widgets.VBox()
        self.members_box.add_class("bw-members")

        self.reading_html = widgets.HTML("")
        self.reading_html.add_class("bw-reading")
        self.overlap = widgets.Output()
        self.overlap.add_class("bw-chart")
        self.heat = widgets.Output()
        self.heat.add_class("bw-heatmap")
        self.guides = widgets.HTML("")
        self.guides.add_class("bw-guides")
        legend = legend_html(
            [
                (
                    self.translator.gettext(_OVERLAP),
                    c.overlap_explain,
                    [(b.label, b.meaning) for b in c.overlap_bands],
                ),
                (
                    c.chart["heatmap_importance"],
                    "",
                    [(b.label, b.meaning) for b in c.importance_bands],
                ),
            ]
        )
        self.result = widgets.VBox(
            [
                heading(c.steps["analysis"]),
                self.reading_html,
                self.overlap,
                self.heat,
                self.guides,
                legend,
            ]
        )
        self.result.add_class("bw-result")
        return [
            privacy_note(c.privacy, self.translator),
            titled(c.steps["catalogue"], c.help["catalogue"]),
            self.catalogue_table,
            widgets.HTML(f"<b>{escape(c.custom['heading'])}</b>"),
            row([self.custom_name, self.custom_meaning]),
            row([self.custom_kind, self.custom_add]),
            self.custom_message,
            titled(c.steps["leader"], c.help["leader"]),
            self.leader,
            titled(c.steps["effects"], c.help["effects"]),
            self.effects_box,
            titled(c.steps["members"], c.help["members"]),
            row([self.member_name, self.member_add]),
            self.member_message,
            self.members_box,
            self.result,
        ]

    def _show(self, values: dict[str, Any]) -> None:
        self.answers = MotivatorsAnswers.from_store(values)
        self._member_cards.clear()
        for area in (self.custom_message, self.member_message):
            set_message(area)
        self._render_all()

    def _render_all(self) -> None:
        c = self.content
        motivators = self._catalogue()
        rows = "".join(
            f"<tr><td><b>{escape(m.name)}</b></td><td>{escape(m.kind)}</td>"
            f"<td>{escape(m.meaning)}</td></tr>"
            for m in motivators
        )
        self.catalogue_table.value = f'<table class="bw-legend">{rows}</table>'
        ids = self._ids()
        plan = self.plan.id if self.plan is not None else None
        leader_order = (
            complete_order(self.answers.leader_order, ids)
            if self.answers.leader_order
            else self._starting_order(f"leader/{plan}")
        )
        self.leader.set_order(leader_order, self._catalogue())
        effect_options = [(c.effects["unset"], _NONE)] + [
            (c.effects[e], e) for e in ("feeds", "neutral", "hurts")
        ]
        self.effect_controls = {}
        effect_rows = []
        for motivator in motivators:
            control = widgets.Dropdown(
                description=motivator.name,
                options=effect_options,
                value=self.answers.effects.get(motivator.id, _NONE),
            )
            control.style.description_width = "200px"
            control.add_class(f"bw-effect-{motivator.id}")
            control.observe(
                lambda change, mid=motivator.id: self._effect_changed(mid, change), "value"
            )
            self.effect_controls[motivator.id] = control
            effect_rows.append(control)
        self.effects_box.children = effect_rows
        self._member_cards.clear()
        self._render_members()

    # -- catalogue, leader, effects --------------------------------------------------------

    def _custom_added(self, _button: widgets.Button | None = None) -> None:
        limits = self.content.limits
        if len(self.answers.custom) >= limits["max_custom"]:
            set_message(
                self.custom_message,
                self.translator.ngettext(*_TOO_MANY_OWN, limits["max_custom"]),
                "error",
            )
            return
        try:
            motivator = new_custom_motivator(
                self._catalogue(),
                self.custom_name.value,
                self.custom_meaning.value,
                self.custom_kind.value,
                max_name=limits["custom_name_max_length"],
                max_meaning=limits["custom_meaning_max_length"],
            )
        except TextError as error:
            set_message(self.custom_message, self.translator.said(error), "error")
            return
        self.answers.custom.append(motivator)
        self.custom_name.value = self.custom_meaning.value = ""
        set_message(
            self.custom_message,
            self.translator.gettext(_OWN_ADDED, name=self.translator.quoted(motivator.name)),
            "ok",
        )
        self._queue("custom_motivators", custom_value(self.answers.custom), now=True)
        self._render_all()
        self.custom_name.focus()

    def _leader_ordered(self, order: list[str]) -> None:
        self.answers.leader_order = order
        self._queue("leader_order", order)
        self._refresh_analysis()

    def _effect_changed(self, motivator_id: str, change: dict) -> None:
        if self._loading:
            return
        self._keep(self.answers.effects, motivator_id, change["new"], f"effect/{motivator_id}")
        self._refresh_analysis()

    # -- members ---------------------------------------------------------------------------

    def _member_added(self, _button: widgets.Button | None = None) -> None:
        limits = self.content.limits
        try:
            member = new_member(
                self.answers.members,
                self.member_name.value,
                max_members=limits["max_members"],
                max_length=limits["name_max_length"],
            )
        except TextError as error:
            set_message(self.member_message, self.translator.said(error), "error")
            return
        self.answers.members.append(member)
        self.member_name.value = ""
        set_message(
            self.member_message,
            self.translator.gettext(_MEMBER_ADDED, name=member.name),
            "ok",
        )
        self._queue("members", members_value(self.answers.members), now=True)
        self._render_members(then=self.member_name.focus)

    def _member_removed(self, member: Member) -> None:
        position = next((i for i, m in enumerate(self.answers.members) if m.id == member.id), 0)
        self.answers.members = [m for m in self.answers.members if m.id != member.id]
        for store in (
            self.answers.guesses,
            self.answers.self_reports,
            self.answers.appeals,
            self.answers.notes,
        ):
            store.pop(member.id, None)
        self._member_cards.pop(member.id, None)
        self._queue("members", members_value(self.answers.members), now=True)
        self._delete(member_keys(member.id))
        removers = [self._member_cards[m.id].remove for m in self.answers.members]
        self._render_members(then=lambda: focus_next(removers, position, self.member_name))

    def _render_members(self, then: Callable[[], None] | None = None) -> None:
        """The cards, then ``then`` (moving the focus), then the slower analysis."""
        cards = [self._member_card(m) for m in self.answers.members]
        self.members_box.children = cards or [paragraph(self.content.members["empty"])]
        if then is not None:
            then()
        self._refresh_analysis()

    def _member_card(self, member: Member) -> widgets.Widget:
        if member.id not in self._member_cards:
            self._member_cards[member.id] = MemberCard(self, member)
        return self._member_cards[member.id]

    def _member_link(self, member: Member, link_box: LinkBox) -> None:
        """A link that lets this member send their own order into this plan."""
        if self.plan is None:
            return
        try:
            key = invite_member(self.store, self.plan.id, DECLARED.id, member.id, member.name)
        except (StoreError, TextError) as error:
            link_box.show_error(self.translator.said(error))
            return
        help_text = self.content.members["link_help"].format(name=member.name)
        link_box.show_link(help_text, page_url("about-me.ipynb", key))

    def _self_report_html(self, member: Member) -> str:
        words = self.content.members
        report = self.answers.self_reports.get(member.id)
        if report is None:
            return f'<p class="bw-help">{escape(words["self"])}: {escape(words["no_self"])}</p>'
        names = self._labels()
        order = ", ".join(names[m] for m in report.order if m in names)
        imported = words["imported"].format(name=report.name, date=report.created_at[:10])
        moves = self.content.moves
        moved = ", ".join(
            f"{names[m]} ({moves[f'{move}_shown']})"
            for m, move in report.moves.items()
            if m in names
        )
        moved_line = f"<br><b>{escape(moves['own'])}</b>: {escape(moved)}" if moved else ""
        return (
            f'<p class="bw-self-report"><b>{escape(words["self"])}</b>: {escape(order)}'
            f"{moved_line}<br><small>{escape(imported)}</small></p>"
        )

    # -- analysis --------------------------------------------------------------------------

    def _refresh_analysis(self) -> None:
        c = self.content
        analysis = scoring.analyse(self.answers, c)
        self.reading_html.value = "".join(f"<p>{escape(p)}</p>" for p in analysis.paragraphs)
        if not analysis.members:
            self.overlap.outputs = ()
            self.heat.outputs = ()
            self.guides.value = ""
            return
        overlaps = analysis.overlaps_frame()
        if overlaps[["plan", "me"]].notna().any().any():
            show_chart(
                self.overlap,
                chart_bundle(
                    charts.overlap_chart(overlaps, c),
                    f"{c.chart['overlap_title']}: "
                    + "; ".join(
                        self.translator.gettext(
                            _OVERLAP_TEXT, member=r.member, plan=r.plan, me=r.me
                        )
                        for r in overlaps.itertuples()
                    ),
                ),
            )
        else:
            self.overlap.outputs = ()
        importance = scoring.importance_frame(self.answers, c)
        show_chart(
            self.heat,
            chart_bundle(
                charts.heatmap(importance, [m.name for m in self._catalogue()], c),
                f"{c.chart['heatmap_title']}: "
                + self.translator.ngettext(*_PEOPLE, len(analysis.members)),
            ),
        )
        guides = "".join(
            f"<li><b>{escape(member)}</b><ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in lines)
            + "</ul></li>"
            for member, lines in scoring.guide_lines(analysis, c)
        )
        self.guides.value = (
            f"<p><b>{escape(c.guide['title'])}</b></p>"
            f'<p class="bw-help">{escape(c.guide["intro"])}</p><ul>{guides}</ul>'
            if guides
            else ""
        )

    def progress(self) -> str:
        return scoring.progress(self.answers)


class MemberCard(widgets.VBox):
    """One team member: your guess at their order, the appeal you plan for them, their own
    order (imported from their file, or sent through their link), and your notes."""

    def __init__(self, page: MotivatorsExercise, member: Member) -> None:
        self.page, self.member = page, member
        c = page.content
        words = c.members
        ids = page._ids()
        self.status = message_area("bw-member-status")
        self.guess = MotivatorLists(
            page._catalogue(),
            complete_order(page.answers.guesses[member.id], ids)
            if member.id in page.answers.guesses
            else page._starting_order(member.id),
            self._ordered,
            content=c,
            description=words["guess"],
            css_class="bw-guess-ranking",
            on_marks=self._moved,
            marked=page.answers.moves.get(member.id),
        )
        self.keep = button(page.translator.gettext(_ORDER_RIGHT), css_class="bw-guess-keep")
        self.keep.on_click(lambda _b: self._ordered(list(self.guess.order)))
        if member.id in page.answers.guesses:
            self.keep.layout.display = "none"
        else:
            set_message(
                self.status,
                page.translator.gettext(_NOT_ORDERED),
                "notice",
            )
        appeal = widgets.Dropdown(
            description=words["appeal"],
            options=[(words["no_appeal"], _NONE)] + [(m.name, m.id) for m in page._catalogue()],
            value=page.answers.appeals.get(member.id, _NONE),
        )
        appeal.style.description_width = "initial"
        appeal.add_class("bw-member-appeal")
        appeal.observe(self._appeal_changed, "value")
        self.own = widgets.HTML(page._self_report_html(member))
        self.upload = FileChooser(
            words["import"], accept=".json,application/json", on_file=self._imported
        )
        self.upload.add_class("bw-member-import")
        self.import_message = message_area("bw-member-import-message")
        notes, notes_message = page.text_answer(
            member_key(member.id, "notes"),
            words["notes"],
            what=N_("The notes"),
            multiline=True,
            max_length=c.limits["notes_max_length"],
            on_saved=lambda _k, text: page.answers.notes.update({member.id: text}),
        )
        notes.value = page.answers.notes.get(member.id, "")
        self.remove = remove = button(
            words["remove"],
            css_class="bw-member-remove",
            icon="times",
            tooltip=f"{words['remove']}: {member.name}",
        )
        remove.on_click(lambda _b: page._member_removed(member))
        ways_in: list[widgets.Widget] = [self.upload]
        link_box = LinkBox("bw-member-url")
        if page.access.role in ("client", "participant"):
            make_link = button(
                words["link"],
                css_class="bw-member-link",
                icon="link",
                tooltip=f"{words['link']}: {member.name}",
            )
            make_link.on_click(lambda _b: page._member_link(member, link_box))
            ways_in.append(make_link)
        super().__init__(
            [
                row([widgets.HTML(f"<b>{escape(member.name)}</b>"), remove]),
                self.guess,
                row([self.keep, self.status]),
                appeal,
                self.own,
                row(ways_in),
                self.import_message,
                link_box,
                notes,
                notes_message,
            ]
        )
        self.add_class("bw-card")
        self.add_class("bw-member-card")

    def _ordered(self, order: list[str]) -> None:
        self.page.answers.guesses[self.member.id] = order
        set_message(self.status)
        self.keep.layout.display = "none"
        self.page._queue(member_key(self.member.id, "guess"), order)
        self.page._refresh_analysis()

    def _moved(self, moves: dict[str, str]) -> None:
        self.page.answers.moves[self.member.id] = moves
        self.page._queue(member_key(self.member.id, "moves"), moves)
        self.page._refresh_analysis()

    def _appeal_changed(self, change: dict) -> None:
        key = member_key(self.member.id, "appeal")
        self.page._keep(self.page.answers.appeals, self.member.id, change["new"], key)
        self.page._refresh_analysis()

    def _imported(self, name: str, data: bytes) -> None:
        try:
            report = read_about_me(data, self.page._ids())
        except AboutMeFileError as error:
            words = self.page.translator
            set_message(
                self.import_message,
                words.gettext(
                    _NOT_IMPORTED,
                    file=name or words.gettext(_THE_FILE),
                    error=words.said(error),
                ),
                "error",
            )
            return
        self.page.answers.self_reports[self.member.id] = report
        self.page._queue(member_key(self.member.id, "self"), self_report_value(report), now=True)
        self.own.value = self.page._self_report_html(self.member)
        set_message(self.import_message)
        self.page._refresh_analysis()


class AboutMe(widgets.VBox):
    """A team member orders their own motivators for their leader.

    Opened by the leader's member link (``jupyter workbook serve``), the order is sent
    straight into the leader's plan and nowhere else. Opened any other way, nothing is
    stored or sent: the page makes a file to hand over.
    """

    def __init__(
        self,
        content: MotivatorsContent | None = None,
        *,
        access: Access | None = None,
        store: WorkbookStore | None = None,
    ) -> None:
        language = access.language if access is not None else page_language()
        self.content = c = content or load_content(language)
        #: The page's own words (its file, its sending), in its content's language.
        self.words = words = translator(c.language)
        self.message = message_area("bw-about-message")
        self._store = store
        try:
            self.access = access if access is not None else current_access()
        except (AccessRefused, StoreError) as error:
            super().__init__(
                [
                    widgets.HTML(STYLE),
                    heading(c.about_me["title"], 2),
                    widgets.HTML(
                        f'<p class="bw-message-error" role="alert">{escape(words.said(error))}</p>'
                    ),
                ]
            )
            self.add_class("bw-exercise")
            return
        link = self.access.member
        self.name = full_width(widgets.Text(description=c.about_me["name"]))
        self.name.add_class("bw-about-name")
        self.ranking = MotivatorLists(
            c.motivators,
            starting_order(
                [m.id for m in c.motivators], link.member_id if link is not None else None
            ),
            lambda _order: None,
            content=c,
            description=c.about_me["title"],
            css_class="bw-about-ranking",
            on_marks=lambda _marks: None,
        )
        if link is None:
            intro = paragraphs(c.about_me["intro"], c.moves["about_me_help"])
            self.prepare = button(
                c.about_me["download"],
                css_class="bw-about-prepare",
                style="primary",
                icon="download",
            )
            self.prepare.on_click(self._prepare)
            fields: list[widgets.Widget] = [self.name]
        else:
            intro = paragraphs(
                c.about_me["member_intro"].format(name=link.member_name),
                c.moves["about_me_help"],
                where_answers_live(self.access),
            )
            self.name.value = link.member_name
            self.prepare = button(
                c.about_me["send"], css_class="bw-about-send", style="primary", icon="paper-plane"
            )
            self.prepare.on_click(self._send_order)
            fields = []
        self.download = widgets.HTML("")
        self.guard = PageGuard("about-me", language=c.language)
        super().__init__(
            [
                widgets.HTML(STYLE),
                self.guard,
                heading(c.about_me["title"], 2),
                intro,
                *fields,
                self.ranking,
                self.prepare,
                self.message,
                self.download,
            ]
        )
        self.add_class("bw-exercise")

    def _prepare(self, _button: widgets.Button | None = None) -> None:
        try:
            name = clean_name(
                self.name.value,
                what=N_("Your name"),
                max_length=self.content.limits["name_max_length"],
            )
        except TextError as error:
            set_message(self.message, self.words.said(error), "error")
            self.download.value = ""
            return
        data = about_me_file(name, self.ranking.order, self.ranking.marked)
        encoded = base64.b64encode(data.encode("utf-8")).decode("ascii")
        set_message(self.message, self.words.gettext(_FILE_READY), "ok")
        self.download.value = (
            f'<a download="about-me.json" '
            f'href="data:application/json;base64,{encoded}">'
            f"{escape(self.words.gettext(_DOWNLOAD))}</a>"
        )

    def close_store(self) -> None:
        """Release the database, if the page opened it."""
        if self._store is not None:
            self._store.close()

    def _send_order(self, _button: widgets.Button | None = None) -> None:
        """Put the member's order into their slot of the leader's plan."""
        link = self.access.member
        assert link is not None
        words = self.content.about_me
        report = SelfReport(
            tuple(self.ranking.order),
            link.member_name,
            datetime.now(UTC).isoformat(timespec="seconds"),
            dict(self.ranking.marked),
        )
        try:
            if self._store is None:
                self._store = self.access.store()
            store = self._store.open()
            values = {k: a.value for k, a in store.answers(link.plan_id, DECLARED.id).items()}
            if link.member_id not in {m.id for m in MotivatorsAnswers.from_store(values).members}:
                set_message(self.message, words["removed"], "error")
                return
            store.save_answer(
                link.plan_id,
                DECLARED.id,
                member_key(link.member_id, "self"),
                self_report_value(report),
            )
        except PlanNotFound:
            set_message(self.message, words["removed"], "error")
        except StoreError as error:
            said = self.words.said(error)
            if isinstance(error, AccessEnded):
                self.guard.stop(said)
            set_message(self.message, self.words.gettext(_NOT_SENT, error=said), "error")
        else:
            set_message(self.message, words["sent"], "ok")


def catalogue_reference() -> ReferenceTable:
    """The motivators' reference card in the page's language (the notebook's)."""
    return content_catalogue_reference(load_content(page_language()))
