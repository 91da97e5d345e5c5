"""The widgets of "Who else must buy in, and who will sell with me?"; every word comes from
the content file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..._text import N_, TextError
from ...kit.charts import chart_bundle
from ...kit.reference import ReferenceTable
from ...use_cases.visitor import page_language
from ...widgets._ui import (
    button,
    escape,
    focus_next,
    full_width,
    heading,
    legend_html,
    message_area,
    paragraph,
    privacy_note,
    row,
    set_message,
    show_chart,
    submit_on_enter,
    titled,
)
from ...widgets.page import ExercisePage
from ...widgets.row_list import Field, RowListEditor
from . import EXERCISE as DECLARED
from . import charts, scoring
from .content import StakeholdersContent, load_content
from .content import grid_reference as content_grid_reference
from .content import levels_reference as content_levels_reference
from .model import (
    ANSWERS,
    CHECK_KINDS,
    Objection,
    PlannedConversation,
    QuickWin,
    Stakeholder,
    StakeholdersAnswers,
    check_key,
    conversations_value,
    new_stakeholder,
    stakeholder_key,
    stakeholder_keys,
    stakeholders_value,
)

UNRATED = 0
_NONE = ""


def _level_options(c: StakeholdersContent) -> list[tuple[str, str]]:
    return [(c.people["level_unset"], _NONE)] + [(lv.name, lv.id) for lv in c.levels]


def _scale_options(c: StakeholdersContent, what: str) -> list[tuple[str, int]]:
    scale = c.scale
    return [(scale["unrated"], UNRATED)] + [(f"{n} · {scale[what][n]}", n) for n in range(1, 6)]


def _state_options(c: StakeholdersContent) -> list[tuple[str, str]]:
    return [(c.state_unset, _NONE)] + [(f"{s.name}: {s.description}", s.id) for s in c.states]


def _role_options(c: StakeholdersContent) -> list[tuple[str, str]]:
    return [(c.role_unset, _NONE)] + [(role.label, role.id) for role in c.roles]


def _answer_options(c: StakeholdersContent, kind: str) -> list[tuple[str, str]]:
    words = c.answers
    labels = words["obstacles" if kind == "obstacle" else "strategies"]
    return [(words["unset"], _NONE)] + [(labels[answer], answer) for answer in ANSWERS]


def _valid(value: Any, options: list[tuple[str, Any]], unset: Any) -> Any:
    """``value`` if a dropdown offers it, else its "not chosen" value."""
    return value if value in {option for _label, option in options} else unset


def _level_hint(c: StakeholdersContent, level_id: str | None) -> str:
    words = c.people
    if not level_id or level_id not in {level.id for level in c.levels}:
        return ""
    level = c.level(level_id)
    return (
        f'<p class="bw-help"><b>{escape(words["concerns_hint"])}:</b> '
        f"{escape(level.concerns)}<br><b>{escape(words['approach_hint'])}:</b> "
        f"{escape(level.approach)}</p>"
    )


#: A stakeholder on the grid, in words (the chart's text for a screen reader).
_POINT = N_("{name}: power {power}, interest {interest}, {quadrant}, {state}")


class StakeholdersExercise(ExercisePage):
    """Who else must buy in, and who will sell with me? The whole exercise as one widget."""

    declaration = DECLARED
    answers: StakeholdersAnswers
    content: StakeholdersContent

    def _prepare(self) -> None:
        self._cards: dict[str, widgets.Widget] = {}

    # -- layout ----------------------------------------------------------------------------

    def _build_steps(self) -> list[widgets.Widget]:
        c = self.content
        self.levels_table = widgets.HTML(
            '<table class="bw-legend bw-levels">'
            + "".join(
                f"<tr><td><b>{escape(level.name)}</b></td><td>{escape(level.concerns)}</td></tr>"
                for level in c.levels
            )
            + "</table>"
        )
        self.new_name = full_width(
            widgets.Text(description=c.people["name"], placeholder=c.people["name_placeholder"])
        )
        self.new_name.add_class("bw-new-name")
        self.new_level = widgets.Dropdown(
            description=c.people["level"], options=_level_options(c), value=_NONE
        )
        self.new_level.style.description_width = "initial"
        self.new_level.add_class("bw-new-level")
        self.add_person = button(c.people["add"], css_class="bw-stakeholder-add", icon="user-plus")
        self.add_person.on_click(self._person_added)
        submit_on_enter(self.new_name, action=self.add_person)
        self.add_message = message_area("bw-stakeholder-message")
        self.people_box = widgets.VBox()
        self.people_box.add_class("bw-stakeholders")

        self.check_controls: dict[str, dict[str, widgets.Dropdown]] = {}
        check_steps: list[widgets.Widget] = []
        for kind, step in (("obstacle", "obstacles"), ("strategy", "strategies")):
            check_steps += [
                titled(c.steps[step], c.help[step]),
                *self._check_cards(kind),
            ]

        self.reading_html = widgets.HTML("")
        self.reading_html.add_class("bw-reading")
        self.chart = widgets.Output()
        self.chart.add_class("bw-chart")
        self.champions_html = widgets.HTML("")
        self.champions_html.add_class("bw-champions")
        legend = legend_html(
            [
                (
                    c.readiness["legend"],
                    c.chart["title"].lower(),
                    [(b.label, b.meaning) for b in c.readiness_bands]
                    + [(c.readiness["unknown_label"], c.readiness["unknown_meaning"])],
                ),
                (
                    c.chart["quadrants_legend"],
                    c.scale["explain"],
                    [(q.label, q.meaning) for q in c.quadrants],
                ),
            ]
        )
        words, longest = c.conversations, c.limits["conversation_max_length"]
        self.conversations = RowListEditor(
            [
                Field(
                    "who",
                    words["who"],
                    kind="choice",
                    placeholder=words["who_placeholder"],
                    max_length=longest,
                ),
                Field(
                    "about",
                    words["about"],
                    placeholder=words["about_placeholder"],
                    max_length=longest,
                    wide=True,
                ),
                Field("by_when", words["by_when"], kind="date", css="when"),
                Field(
                    "outcome",
                    words["outcome"],
                    placeholder=words["outcome_placeholder"],
                    max_length=longest,
                    wide=True,
                ),
            ],
            on_change=self._conversations_changed,
            add_label=words["add"],
            remove_label=words["remove"],
            empty_text=words["none"],
            max_rows=c.limits["max_conversations"],
            css_class="bw-conversation",
        )
        follow, noted = c.follow_through, c.limits["objection_max_length"]
        self.objections = RowListEditor(
            [
                Field(
                    "what",
                    follow["objection"],
                    placeholder=follow["objection_placeholder"],
                    max_length=noted,
                    wide=True,
                ),
                Field("who", follow["from_whom"], kind="choice", max_length=longest),
                Field(
                    "answer",
                    follow["answer"],
                    placeholder=follow["answer_placeholder"],
                    max_length=noted,
                    wide=True,
                ),
            ],
            on_change=lambda rows: self._rows_changed("objections", Objection, rows),
            add_label=follow["add_objection"],
            remove_label=follow["remove"],
            empty_text=follow["no_objections"],
            max_rows=c.limits["max_objections"],
            css_class="bw-objection",
        )
        self.quick_wins = RowListEditor(
            [
                Field(
                    "what",
                    follow["quick_win"],
                    placeholder=follow["quick_win_placeholder"],
                    max_length=noted,
                    wide=True,
                ),
                Field("by_when", follow["shown_by"], kind="date", css="when"),
            ],
            on_change=lambda rows: self._rows_changed("quick_wins", QuickWin, rows),
            add_label=follow["add_quick_win"],
            remove_label=follow["remove"],
            empty_text=follow["no_quick_wins"],
            max_rows=c.limits["max_quick_wins"],
            css_class="bw-quick-win",
        )
        self.result = widgets.VBox(
            [
                heading(c.steps["result"]),
                self.reading_html,
                self.chart,
                legend,
                heading(c.chart["champions_heading"]),
                self.champions_html,
                titled(c.steps["conversations"], c.help["conversations"]),
                self.conversations,
                titled(c.steps["follow_through"], follow["help"]),
                self.objections,
                self.quick_wins,
            ]
        )
        self.result.add_class("bw-result")

        return [
            privacy_note(c.privacy, self.translator),
            titled(c.steps["people"], c.help["people"]),
            self.levels_table,
            row([self.new_name, self.new_level, self.add_person], wrap=True),
            self.add_message,
            self.people_box,
            *check_steps,
            self.result,
        ]

    def _check_cards(self, kind: str) -> list[widgets.Widget]:
        c = self.content
        words = c.answers
        options = _answer_options(self.content, kind)
        controls: dict[str, widgets.Dropdown] = {}
        cards: list[widgets.Widget] = []
        for check in c.checks(kind):
            control = widgets.Dropdown(
                description=words[f"{kind}_prompt"],
                options=options,
                value=_NONE,
                layout=widgets.Layout(width="420px"),
            )
            control.style.description_width = "initial"
            control.add_class(f"bw-{kind}-{check.id}")
            control.observe(
                lambda change, k=kind, cid=check.id: self._checked(k, cid, change), "value"
            )
            controls[check.id] = control
            note, message = self.text_answer(
                check_key(kind, check.id, "note"),
                words["note"],
                what=N_("The note"),
                max_length=c.limits["note_max_length"],
                placeholder=words["note_placeholder"],
                on_saved=lambda _k, text, k=kind, cid=check.id: self.answers.notes(k).update(
                    {cid: text}
                ),
            )
            note.add_class(f"bw-{kind}-note-{check.id}")
            card = widgets.VBox(
                [
                    widgets.HTML(f"<b>{escape(check.name)}</b>: {escape(check.question)}"),
                    control,
                    note,
                    message,
                ]
            )
            card.add_class("bw-card")
            card.add_class(f"bw-{kind}-card")
            cards.append(card)
        self.check_controls[kind] = controls
        return cards

    def _show(self, values: dict[str, Any]) -> None:
        self.answers = StakeholdersAnswers.from_store(values)
        for kind in CHECK_KINDS:
            given = self.answers.checks(kind)
            for check_id, control in self.check_controls[kind].items():
                control.value = given.get(check_id, _NONE)
        self._cards.clear()
        set_message(self.add_message)
        self.conversations.set_rows(conversations_value(self.answers.conversations))
        self.objections.set_rows([o.to_value() for o in self.answers.objections])
        self.quick_wins.set_rows([w.to_value() for w in self.answers.quick_wins])
        self._render_people()

    # -- step 2: stakeholders --------------------------------------------------------------

    def _person_added(self, _button: widgets.Button | None = None) -> None:
        c = self.content
        try:
            person = new_stakeholder(
                self.answers.stakeholders,
                self.new_name.value,
                max_stakeholders=c.limits["max_stakeholders"],
                max_length=c.limits["name_max_length"],
            )
        except TextError as error:
            set_message(self.add_message, self.translator.said(error), "error")
            return
        if self.new_level.value:
            person.level = self.new_level.value
            person.concern = c.level(person.level).concerns
        self.answers.stakeholders.append(person)
        self.new_name.value = ""
        set_message(self.add_message, c.people["added"].format(name=person.name), "ok")
        self._queue("stakeholders", stakeholders_value(self.answers.stakeholders), now=True)
        if person.level:
            self._queue(stakeholder_key(person.id, "level"), person.level)
            self._queue(stakeholder_key(person.id, "concern"), person.concern)
        self._render_people(then=self.new_name.focus)

    def _person_removed(self, person: Stakeholder) -> None:
        people = self.answers.stakeholders
        position = next((i for i, p in enumerate(people) if p.id == person.id), 0)
        self.answers.stakeholders = [p for p in self.answers.stakeholders if p.id != person.id]
        self._cards.pop(person.id, None)
        self._queue("stakeholders", stakeholders_value(self.answers.stakeholders), now=True)
        self._delete(stakeholder_keys(person.id))
        set_message(self.add_message)
        removers = [self._cards[p.id].remove for p in self.answers.stakeholders]
        self._render_people(then=lambda: focus_next(removers, position, self.new_name))

    def _render_people(self, then: Callable[[], None] | None = None) -> None:
        """The cards, then ``then`` (moving the focus), then the slower map and result: a
        keyboard that has moved on while they are drawn is not pulled back."""
        cards = [self._card(person) for person in self.answers.stakeholders]
        self.people_box.children = cards or [paragraph(self.content.people["empty"])]
        if then is not None:
            then()
        names = [p.name for p in self.answers.stakeholders]
        self.conversations.set_choices("who", names)
        self.objections.set_choices("who", names)
        self._refresh_result()

    def _card(self, person: Stakeholder) -> widgets.Widget:
        if person.id not in self._cards:
            self._cards[person.id] = StakeholderCard(self, person)
        return self._cards[person.id]

    def _field_changed(self, person: Stakeholder, field: str, value: Any) -> None:
        setattr(person, field, value)
        self._queue(stakeholder_key(person.id, field), value)
        self._refresh_result(chart=field in ("power", "interest", "state"))

    def _champion_changed(self, person: Stakeholder, champion: bool) -> None:
        person.champion = champion
        self._queue(stakeholder_key(person.id, "champion"), person.champion)
        self._refresh_result()

    # -- steps 3 and 4: the checks ---------------------------------------------------------

    def _checked(self, kind: str, check_id: str, change: dict) -> None:
        if self._loading:
            return
        given = self.answers.checks(kind)
        if change["new"]:
            given[check_id] = change["new"]
        else:
            given.pop(check_id, None)
        self._queue(check_key(kind, check_id, "answer"), change["new"] or None)
        self._refresh_result(chart=False)

    # -- step 5: the result and the next conversations -------------------------------------

    def _conversations_changed(self, rows: list[dict[str, Any]]) -> None:
        self.answers.conversations = [
            conversation
            for conversation in map(PlannedConversation.from_value, rows)
            if conversation is not None
        ]
        self._queue("conversations", conversations_value(self.answers.conversations))
        self._refresh_result(chart=False)

    def _rows_changed(self, key: str, kind: type[Objection | QuickWin], rows: list[Any]) -> None:
        """The objections log or the quick wins, as edited, saved whole."""
        kept = [row for row in map(kind.from_value, rows) if row is not None]
        setattr(self.answers, key, kept)
        self._queue(key, [row.to_value() for row in kept])
        self._refresh_result(chart=False)

    def _refresh_result(self, *, chart: bool = True) -> None:
        c = self.content
        analysis = scoring.analyse(self.answers, c)
        self.reading_html.value = "".join(f"<p>{escape(p)}</p>" for p in analysis.paragraphs)
        self.champions_html.value = self._champions_html(analysis)
        if not chart:
            return
        placed = analysis.grid.dropna(subset=["quadrant"])
        if placed.empty:
            self.chart.outputs = ()
            return
        show_chart(
            self.chart,
            chart_bundle(
                charts.grid_chart(analysis.grid, c),
                f"{c.chart['title']}: "
                + "; ".join(
                    self.translator.gettext(
                        _POINT,
                        name=r.name,
                        power=r.power,
                        interest=r.interest,
                        quadrant=r.quadrant_label,
                        state=r.state_name or c.state_unset,
                    )
                    for r in placed.itertuples()
                ),
            ),
        )

    def _champions_html(self, analysis: scoring.Analysis) -> str:
        c = self.content
        if not analysis.champions:
            return f'<p class="bw-help">{escape(c.chart["no_champions"])}</p>'
        roles = {role.id: role.label.split(":")[0] for role in c.roles}
        head = "".join(
            f"<th>{escape(c.chart[key])}</th>"
            for key in ("champion_column", "audience_column", "case_column", "role_column")
        )
        rows = "".join(
            f"<tr><td><b>{escape(champion.name)}</b></td><td>{escape(champion.audience)}</td>"
            f"<td>{escape(champion.case)}</td>"
            f"<td>{escape(roles.get(champion.role or '', c.role_unset))}</td></tr>"
            for champion in analysis.champions
        )
        return f'<table class="bw-legend bw-champions-table"><tr>{head}</tr>{rows}</table>'

    def progress(self) -> scoring.Progress:
        return scoring.progress(self.answers, self.content)


class StakeholderCard(widgets.VBox):
    """One stakeholder: level, power and interest, where they stand, their concern, their
    role, and whether (and to whom, with what case) they could champion the plan."""

    def __init__(self, page: StakeholdersExercise, person: Stakeholder) -> None:
        self.page, self.person = page, person
        c = self.content = page.content
        words, limits = c.people, c.limits
        self.level = self._dropdown("level", words["level"], _level_options(c), _NONE)
        power = self._dropdown("power", words["power"], _scale_options(c, "power"), UNRATED)
        interest = self._dropdown(
            "interest", words["interest"], _scale_options(c, "interest"), UNRATED
        )
        state = self._dropdown("state", words["state"], _state_options(c), _NONE)
        role = self._dropdown("role", words["role"], _role_options(c), _NONE)
        self.hint = widgets.HTML(_level_hint(c, person.level))
        self.hint.add_class("bw-level-hint")
        self.concern, concern_message = self._text(
            "concern",
            words["concern"],
            what=N_("The concern"),
            multiline=True,
            max_length=limits["concern_max_length"],
            placeholder=words["concern_placeholder"],
        )
        self.level.observe(self._level_changed, "value")
        champion = widgets.Checkbox(
            description=words["champion"],
            value=person.champion,
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        champion.add_class("bw-stakeholder-champion")
        champion.observe(self._champion_changed, "value")
        audience, audience_message = self._text(
            "audience",
            words["audience"],
            what=N_("The audience"),
            max_length=limits["audience_max_length"],
            placeholder=words["audience_placeholder"],
        )
        case, case_message = self._text(
            "case",
            words["case"],
            what=N_("The case"),
            multiline=True,
            max_length=limits["case_max_length"],
            placeholder=words["case_placeholder"],
        )
        self.champion_box = widgets.VBox([audience, audience_message, case, case_message])
        self.champion_box.add_class("bw-champion-box")
        self.champion_box.layout.display = "" if person.champion else "none"
        self.remove = remove = button(
            words["remove"],
            css_class="bw-stakeholder-remove",
            icon="times",
            tooltip=f"{words['remove']}: {person.name}",
        )
        remove.on_click(lambda _b: page._person_removed(person))
        name = widgets.HTML(f"<b>{escape(person.name)}</b>")
        name.add_class("bw-stakeholder-name")
        super().__init__(
            [
                row([name, remove]),
                self.level,
                self.hint,
                row([power, interest], wrap=True),
                state,
                self.concern,
                concern_message,
                role,
                champion,
                self.champion_box,
            ]
        )
        self.add_class("bw-card")
        self.add_class("bw-stakeholder-card")

    def _dropdown(
        self, field: str, description: str, options: list[tuple[str, Any]], unset: Any
    ) -> widgets.Dropdown:
        control = full_width(
            widgets.Dropdown(
                description=description,
                options=options,
                value=_valid(getattr(self.person, field), options, unset),
            )
        )
        control.add_class(f"bw-stakeholder-{field}")

        def changed(change: dict) -> None:
            if not self.page._loading:
                value = None if change["new"] == unset else change["new"]
                self.page._field_changed(self.person, field, value)

        control.observe(changed, "value")
        return control

    def _text(
        self, field: str, description: str, **options: Any
    ) -> tuple[widgets.Widget, widgets.HTML]:
        """A text answer about this stakeholder, saved as typed."""

        def saved(_key: str, text: str) -> None:
            setattr(self.person, field, text)
            self.page._refresh_result(chart=False)

        box, message = self.page.text_answer(
            stakeholder_key(self.person.id, field), description, on_saved=saved, **options
        )
        box.add_class(f"bw-stakeholder-{field}")
        box.value = getattr(self.person, field)
        return box, message

    def _level_changed(self, change: dict) -> None:
        if self.page._loading:
            return
        self.hint.value = _level_hint(self.content, change["new"] or None)
        if change["new"] and not self.concern.value.strip():
            self.concern.value = self.content.level(change["new"]).concerns  # saved as typed

    def _champion_changed(self, change: dict) -> None:
        self.champion_box.layout.display = "" if change["new"] else "none"
        if not self.page._loading:
            self.page._champion_changed(self.person, bool(change["new"]))


def levels_reference() -> ReferenceTable:
    """The four levels' reference card in the page's language (the notebook's)."""
    return content_levels_reference(load_content(page_language()))


def grid_reference() -> ReferenceTable:
    """The power/interest grid's reference card in the page's language (the notebook's)."""
    return content_grid_reference(load_content(page_language()))
