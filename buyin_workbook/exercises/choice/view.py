"""The widgets of "How much choice can I give?"; every word comes from the content file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..._text import N_, TextError, clean_text
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
    row,
    set_message,
    show_chart,
    submit_on_enter,
    titled,
)
from ...widgets.page import ExercisePage
from ...widgets.team_voice_panel import TeamVoicePanel
from . import EXERCISE as DECLARED
from . import charts, scoring, team_say
from .content import DIMENSIONS, MOMENTS, ChoiceContent, load_content
from .content import levels_reference as content_levels_reference
from .model import (
    ChoiceAnswers,
    Constraint,
    Decision,
    agreed_key,
    constraint_key,
    constraint_value,
    decision_keys,
    decisions_value,
    new_decision,
    rating_key,
    reflection_key,
)

UNRATED = 0


class ChoiceExercise(ExercisePage):
    """How much choice can I give? The whole exercise as one widget."""

    declaration = DECLARED
    answers: ChoiceAnswers
    content: ChoiceContent
    voice_panel: TeamVoicePanel

    def _prepare(self) -> None:
        self._rating_boxes: dict[str, widgets.Widget] = {}
        self._rating_controls: dict[tuple[str, str, str], widgets.Dropdown] = {}
        self._constraint_boxes: dict[tuple[str, str], widgets.Widget] = {}
        self._board_cards: dict[str, widgets.Widget] = {}
        self._board_controls: dict[tuple[str, str], widgets.Dropdown] = {}

    # -- layout ----------------------------------------------------------------------------

    def _build_steps(self) -> list[widgets.Widget]:
        c = self.content
        self.decision_list = widgets.VBox()
        self.decision_list.add_class("bw-decision-list")
        self.suggestions = row([], wrap=True)
        self._suggestion_buttons: dict[str, widgets.Button] = {}
        for suggestion in c.suggestions["items"]:
            pick = button(f"+ {suggestion}", css_class="bw-suggestion")
            pick.on_click(lambda _b, s=suggestion: self._add_decision(s))
            self._suggestion_buttons[suggestion] = pick
        self._decision_rows: dict[str, widgets.HBox] = {}
        self.custom = full_width(
            widgets.Text(
                description=c.suggestions["custom_label"],
                placeholder=c.suggestions["custom_placeholder"],
            )
        )
        self.custom.add_class("bw-decision-text")
        self.add = button(c.suggestions["add"], css_class="bw-decision-add", icon="plus")
        self.add.on_click(lambda _b: self._add_decision(self.custom.value, clear=True))
        submit_on_enter(self.custom, action=self.add)
        self.decision_message = message_area("bw-decision-message")

        self.ratings = widgets.VBox()
        self.ratings.add_class("bw-ratings")
        self.constraints = widgets.VBox()
        self.constraints.add_class("bw-constraints")
        self.constraint_message = message_area("bw-constraint-message")

        self.summary = widgets.HTML("")
        self.summary.add_class("bw-summary")
        self.chart = widgets.Output()
        self.chart.add_class("bw-chart")
        self.headroom = widgets.Output()
        self.headroom.add_class("bw-headroom-chart")
        self.reading_html = widgets.HTML("")
        self.reading_html.add_class("bw-reading")
        self.legend = legend_html(
            [
                (
                    c.chart["zones_legend"],
                    c.chart["first_chart"],
                    [(z.label, z.meaning) for z in c.zones],
                ),
                (
                    c.headroom["title"],
                    f"{c.chart['second_chart']}. " + " ".join(c.headroom["explain"].split()),
                    [(b.label, b.meaning) for b in c.headroom_bands],
                ),
            ],
            words=self.translator,
        )
        self.result = widgets.VBox(
            [
                heading(c.steps["result"]),
                self.summary,
                self.chart,
                self.reading_html,
                self.headroom,
                self.legend,
            ]
        )
        self.result.add_class("bw-result")

        assert DECLARED.member_notebook is not None
        self.voice_panel = TeamVoicePanel(
            self,
            member_notebook=DECLARED.member_notebook,
            complete=team_say.has_voted,
            questions=lambda: {"decisions": decisions_value(self.answers.decisions)},
            check_answers=team_say.checked_votes,
            on_change=self._refresh_team_say,
        )
        self.team_say_text = widgets.HTML("")
        self.team_say_text.add_class("bw-team-say")
        self.team_say_chart = widgets.Output()
        self.team_say_chart.add_class("bw-team-say-chart")
        self.board = widgets.VBox()
        self.board.add_class("bw-delegation-board")

        self.reflections: dict[str, widgets.Widget] = {}
        self.reflection_messages: dict[str, widgets.HTML] = {}
        reflection_rows: list[widgets.Widget] = []
        for prompt in c.reflections:
            box, message = self.text_answer(
                reflection_key(prompt.id),
                prompt.label,
                what=N_("This note"),
                multiline=True,
                max_length=c.limits["reflection_max_length"],
                on_saved=lambda _key, text, pid=prompt.id: self.answers.reflections.update(
                    {pid: text}
                ),
            )
            box.add_class(f"bw-reflection-{prompt.id}")
            self.reflections[prompt.id] = box
            self.reflection_messages[prompt.id] = message
            reflection_rows += [box, message]

        return [
            heading(c.steps["decisions"]),
            paragraph(
                c.help["decisions"].format(
                    min=c.limits["min_decisions"], max=c.limits["max_decisions"]
                )
            ),
            widgets.HTML(f"<b>{escape(c.suggestions['heading'])}</b>"),
            self.suggestions,
            row([self.custom, self.add]),
            self.decision_message,
            self.decision_list,
            titled(c.steps["ratings"], c.help["ratings"]),
            self.ratings,
            titled(c.steps["constraints"], c.help["constraints"]),
            self.constraint_message,
            self.constraints,
            self.result,
            heading(c.team_say["title"]),
            self.voice_panel,
            self.team_say_chart,
            self.team_say_text,
            titled(c.board["title"], c.board["help"]),
            self.board,
            titled(c.steps["reflections"], c.help["reflections"]),
            *reflection_rows,
        ]

    def _show(self, values: dict[str, Any]) -> None:
        self._decision_rows.clear()
        self._rating_boxes.clear()
        self._rating_controls.clear()
        self._constraint_boxes.clear()
        self._board_cards.clear()
        self._board_controls.clear()
        self.answers = ChoiceAnswers.from_store(values)
        set_message(self.decision_message)
        self._render_decisions()
        self.voice_panel.render()

    # -- step 2: decisions -----------------------------------------------------------------

    def _add_decision(self, label: str, *, clear: bool = False) -> None:
        limits = self.content.limits
        try:
            decision = new_decision(
                self.answers.decisions,
                label,
                max_decisions=limits["max_decisions"],
                max_length=limits["decision_max_length"],
            )
        except TextError as error:
            set_message(self.decision_message, self.translator.said(error), "error")
            return
        offered = list(self.suggestions.children)
        self.answers.decisions.append(decision)
        if clear:
            self.custom.value = ""
        picked = self._suggestion_buttons.get(label)

        def focus() -> None:
            # The focus stays where the next decision is added: the box, or the next suggestion.
            if picked in offered:
                left = list(self.suggestions.children)
                focus_next(left, offered.index(picked), self.custom)
            else:
                self.custom.focus()

        self._decisions_changed(focus)

    def _remove_decision(self, decision: Decision) -> None:
        position = next((i for i, d in enumerate(self.answers.decisions) if d.id == decision.id), 0)
        self.answers.decisions = [d for d in self.answers.decisions if d.id != decision.id]
        self.answers.ratings = {
            key: level for key, level in self.answers.ratings.items() if key[0] != decision.id
        }
        self.answers.constraints = {
            key: value for key, value in self.answers.constraints.items() if key[0] != decision.id
        }
        self.answers.agreed = {
            key: value for key, value in self.answers.agreed.items() if key[0] != decision.id
        }
        self._decision_rows.pop(decision.id, None)
        self._board_cards.pop(decision.id, None)

        def focus() -> None:
            removers = [self._decision_rows[d.id].children[0] for d in self.answers.decisions]
            focus_next(removers, position, self.custom)

        self._decisions_changed(focus)
        self._delete(decision_keys(decision.id))

    def _decisions_changed(self, focus: Callable[[], None]) -> None:
        """The list is drawn and the focus moved first, the ratings and board after: a quick
        keyboard that has moved on while they are drawn is not pulled back."""
        count = len(self.answers.decisions)
        minimum = self.content.limits["min_decisions"]
        listed = self.content.suggestions
        if count < minimum:
            too_few = listed["too_few"].format(count=count, minimum=minimum)
            set_message(self.decision_message, too_few, "info")
        else:
            set_message(
                self.decision_message, self.content.text("suggestions", "listed", count=count), "ok"
            )
        self._render_list()
        focus()
        self._queue("decisions", decisions_value(self.answers.decisions), now=True)
        self._render_details()

    def _decision_row(self, decision: Decision) -> widgets.HBox:
        """A listed decision and its remove button (kept while listed, so the page keeps
        its place and the focus can move to a neighbour's button)."""
        if decision.id not in self._decision_rows:
            c = self.content
            remove = button(
                c.suggestions["remove"],
                css_class="bw-decision-remove",
                icon="times",
                tooltip=f"{c.suggestions['remove']}: {decision.label}",
            )
            remove.on_click(lambda _b, d=decision: self._remove_decision(d))
            label = widgets.Label(decision.label)
            label.add_class("bw-decision-label")
            self._decision_rows[decision.id] = row([remove, label])
        return self._decision_rows[decision.id]

    def _render_decisions(self) -> None:
        self._render_list()
        self._render_details()

    def _render_list(self) -> None:
        listed = self.answers.decisions
        self.decision_list.children = [self._decision_row(d) for d in listed]
        labels = {d.label for d in listed}
        buttons = [b for s, b in self._suggestion_buttons.items() if s not in labels]
        self.suggestions.children = buttons
        full = len(listed) >= self.content.limits["max_decisions"]
        for control in (self.add, *buttons):
            control.disabled = full

    def _render_details(self) -> None:
        listed = self.answers.decisions
        self.ratings.children = [self._rating_box(d) for d in listed]
        self.board.children = [self._board_card(d) for d in listed]
        self._refresh_constraints()
        self._refresh_result()

    # -- step 3: ratings -------------------------------------------------------------------

    def _level_control(
        self,
        description: str,
        unset: str,
        level: int | None,
        css_class: str,
        on_change: Any,
    ) -> widgets.Dropdown:
        """A choice of one of the seven delegation levels, or none yet."""
        # ipywidgets shows a None option as a blank box, so "none yet" is level 0.
        options: list[tuple[str, int]] = [(unset, UNRATED)]
        options += [(f"{lv.label}: {lv.meaning}", lv.value) for lv in self.content.levels]
        control = full_width(
            widgets.Dropdown(description=description, options=options, value=level or UNRATED)
        )
        control.style.description_width = "170px"
        control.add_class(css_class)
        control.observe(on_change, "value")
        return control

    def _rating_box(self, decision: Decision) -> widgets.Widget:
        if decision.id in self._rating_boxes:
            return self._rating_boxes[decision.id]
        c = self.content
        rows = []
        for dim in DIMENSIONS:
            controls = []
            for moment in MOMENTS:
                control = self._level_control(
                    f"{c.dimensions[dim]['label']} · {c.ratings[moment]}",
                    c.ratings["unrated"],
                    self.answers.rating(decision.id, dim, moment),
                    f"bw-rate-{dim}-{moment}",
                    lambda change, key=(decision.id, dim, moment): self._rated(key, change),
                )
                self._rating_controls[(decision.id, dim, moment)] = control
                controls.append(control)
            rows.append(
                widgets.HTML(
                    f"<small><b>{escape(c.dimensions[dim]['label'])}</b>: "
                    f"{escape(c.dimensions[dim]['meaning'])}</small>"
                )
            )
            rows.extend(controls)
        title = widgets.HTML(f"<b>{escape(decision.label)}</b>")
        box = widgets.VBox([title, *rows])
        box.add_class("bw-card")
        box.add_class("bw-rating-card")
        self._rating_boxes[decision.id] = box
        return box

    def _rated(self, key: tuple[str, str, str], change: dict) -> None:
        if self._loading:
            return
        self._keep(self.answers.ratings, key, change["new"], rating_key(*key))
        self._refresh_constraints()
        self._refresh_result()

    # -- step 4: constraints ---------------------------------------------------------------

    def _refresh_constraints(self) -> None:
        pending = scoring.constraints_to_name(self.answers)
        self.constraints.children = [self._constraint_box(d, dim) for d, dim in pending]
        set_message(
            self.constraint_message,
            "" if pending else self.content.constraint_labels["none_to_name"],
            "info",
        )

    def _constraint_box(self, decision: Decision, dim: str) -> widgets.Widget:
        c = self.content
        key = (decision.id, dim)
        if key in self._constraint_boxes:
            return self._constraint_boxes[key]
        saved = self.answers.constraints.get(key, Constraint())
        labels = c.constraint_labels
        kind = full_width(
            widgets.Dropdown(
                description=labels["kind"],
                options=[(labels["choose"], "")] + [(k.label, k.id) for k in c.constraint_kinds],
                value=saved.kind or "",
            )
        )
        kind.add_class("bw-constraint-kind")
        nature = widgets.RadioButtons(
            description=labels["nature"],
            options=[(labels["real"], "real"), (labels["self_imposed"], "self")],
            value=saved.nature,
        )
        nature.add_class("bw-constraint-nature")
        note = full_width(widgets.Text(description=labels["note"], value=saved.note))
        note.add_class("bw-constraint-note")
        message = message_area("bw-constraint-note-message")

        def changed(_change: dict) -> None:
            if self._loading:
                return
            try:
                text = clean_text(
                    note.value,
                    what=N_("The note"),
                    required=False,
                    max_length=c.limits["note_max_length"],
                )
            except TextError as error:
                set_message(message, self.translator.said(error), "error")
                return
            set_message(message)
            constraint = Constraint(kind.value or None, nature.value, text)
            previous = self.answers.constraints.get(key, Constraint())
            self.answers.constraints[key] = constraint
            self._queue(constraint_key(*key), constraint_value(constraint))
            if (previous.kind, previous.nature) != (constraint.kind, constraint.nature):
                self._refresh_result()

        for control in (kind, nature, note):
            control.observe(changed, "value")
        title = widgets.HTML(
            f"<b>{escape(decision.label)}</b>: {escape(c.dimensions[dim]['label'])}"
        )
        box = widgets.VBox([title, kind, nature, note, message])
        box.add_class("bw-card")
        box.add_class("bw-constraint-card")
        self._constraint_boxes[key] = box
        return box

    # -- step 5: result --------------------------------------------------------------------

    def _refresh_result(self) -> None:
        c = self.content
        frame = scoring.ratings_frame(self.answers)
        if frame.empty:
            self.summary.value = ""
            self.chart.outputs = ()
            self.headroom.outputs = ()
        else:
            # The chart the rating moves goes out first; the figures below it follow.
            show_chart(
                self.chart,
                chart_bundle(
                    charts.choice_chart(frame, c),
                    f"{c.chart['title']}: "
                    + "; ".join(
                        c.chart["rating_in_words"].format(
                            decision=r.decision,
                            dimension=c.dimensions[r.dimension]["label"],
                            today=r.today,
                            possible=r.possible,
                        )
                        for r in frame.itertuples()
                    ),
                ),
            )
            by_decision = scoring.headroom_by_decision(frame, c)
            per_decision = ", ".join(
                f"{row.decision}: {row.total}" for row in by_decision.itertuples()
            )
            total = c.text("chart", "headroom_total", count=int(by_decision["total"].sum()))
            in_all = c.chart["headroom_in_all"].format(per_decision=per_decision)
            self.summary.value = (
                f"<p><b>{escape(c.headroom['title'])}: {escape(total)}</b> {escape(in_all)}</p>"
            )
            show_chart(
                self.headroom,
                chart_bundle(
                    charts.headroom_chart(by_decision, c),
                    f"{c.chart['headroom_title']}: {per_decision}",
                ),
            )
        result = scoring.reading(self.answers, c)
        self.reading_html.value = "".join(f"<p>{escape(p)}</p>" for p in result.paragraphs)
        self._refresh_team_say()

    # -- the Delegation Board ----------------------------------------------------------------

    def _board_card(self, decision: Decision) -> widgets.Widget:
        """A decision's agreed levels, WHAT and HOW, as the leader records them."""
        if decision.id in self._board_cards:
            return self._board_cards[decision.id]
        c = self.content
        controls = []
        for dim in DIMENSIONS:
            control = self._level_control(
                f"{c.dimensions[dim]['label']} · {c.board['agreed']}",
                c.board["unset"],
                self.answers.agreed.get((decision.id, dim)),
                f"bw-agreed-{dim}",
                lambda change, key=(decision.id, dim): self._agreed(key, change),
            )
            self._board_controls[(decision.id, dim)] = control
            controls.append(control)
        card = widgets.VBox([widgets.HTML(f"<b>{escape(decision.label)}</b>"), *controls])
        card.add_class("bw-card")
        card.add_class("bw-board-card")
        self._board_cards[decision.id] = card
        return card

    def _agreed(self, key: tuple[str, str], change: dict) -> None:
        if self._loading:
            return
        self._keep(self.answers.agreed, key, change["new"], agreed_key(*key))

    # -- the team's own say ----------------------------------------------------------------

    def _refresh_team_say(self) -> None:
        """The team's say beside the leader's ratings, once revealed; else how many are in."""
        c = self.content
        shown = team_say.shown_team_say(self.answers)
        if shown is None:
            self.team_say_chart.outputs = ()
            self.team_say_text.value = self.voice_panel.waiting_html(c.team_say["withheld"])
            return
        frame = team_say.team_say_frame(shown)
        if frame.empty:
            self.team_say_chart.outputs = ()
        else:
            show_chart(
                self.team_say_chart,
                chart_bundle(charts.team_say_chart(frame, c), team_say.say_description(frame, c)),
            )
        findings = team_say.say_findings(shown, c)
        items = "".join(f"<li>{escape(f.text)}</li>" for f in findings)
        later = ", ".join(
            f"{decision.label} ({c.dimensions[dim]['label']})"
            for decision, dim in team_say.held_back(self.answers)
        )
        self.team_say_text.value = (
            f'<ul class="bw-team-say-findings">{items}</ul>'
            if items
            else f"<p>{escape(c.team_say['none'])}</p>"
        ) + (
            f'<p class="bw-help bw-team-say-later">'
            f"{escape(c.text('team_say', 'held_back', questions=later))}</p>"
            if later
            else ""
        )

    # -- for notebooks and tests -----------------------------------------------------------

    def progress(self) -> scoring.Progress:
        return scoring.progress(self.answers, self.content)


def levels_reference() -> ReferenceTable:
    """The seven levels' reference card in the page's language (the notebook's)."""
    return content_levels_reference(load_content(page_language()))
