"""The widgets of "Am I bought in myself?"; every word comes from the content file."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ...kit.charts import chart_bundle
from ...kit.reference import ReferenceTable
from ...languages import N_
from ...use_cases.visitor import page_language
from ...widgets._ui import (
    button,
    escape,
    full_width,
    heading,
    legend_html,
    paragraph,
    row,
    show_chart,
    titled,
)
from ...widgets.page import ExercisePage
from ...widgets.row_list import Field, RowListEditor
from ...widgets.team_voice_panel import TeamVoicePanel
from . import EXERCISE as DECLARED
from . import charts, scoring, their_words
from .content import SelfCheckContent, load_content
from .content import attitudes_reference as content_attitudes_reference
from .model import (
    PLAN_NAME_KEY,
    Mover,
    SelfCheckAnswers,
    evidence_key,
    has_goal,
    judgement_key,
    movers_value,
    score_key,
    sentence_id,
)
from .sentences import sentence_findings

UNRATED = 0
#: The foundation whose evidence the team's sentences speak to.
CLARITY = "clear"


def _findings_html(findings: list[scoring.Finding]) -> str:
    items = "".join(
        f'<li class="bw-finding-{"pass" if f.passed else "flag"}">'
        f"{'✓' if f.passed else '✗'} {escape(f.message)}</li>"
        for f in findings
    )
    return f'<ul class="bw-finding-list">{items}</ul>'


_MY_ATTITUDE = N_("My attitude")
_RATING = N_("Rating")


class SelfCheckExercise(ExercisePage):
    """Am I bought in myself? The whole exercise as one widget."""

    declaration = DECLARED
    answers: SelfCheckAnswers
    content: SelfCheckContent
    voice_panel: TeamVoicePanel

    def _prepare(self) -> None:
        #: The members' sentences in the order shown, kept while the same sentences are in.
        self._goal_order: tuple[tuple[str, ...], list[their_words.TheirGoal]] | None = None

    # -- layout ----------------------------------------------------------------------------

    def _build_steps(self) -> list[widgets.Widget]:
        c = self.content
        self.attitude = widgets.RadioButtons(
            description=self.translator.gettext(_MY_ATTITUDE),
            options=[(f"{a.name}: {a.description}", a.id) for a in c.attitudes],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.attitude.style.description_width = "initial"
        self.attitude.add_class("bw-attitude")
        self.attitude.observe(self._attitude_changed, "value")
        self.stance = widgets.RadioButtons(
            description=c.stance_legend,
            options=[(s.label, s.id) for s in c.stances],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.stance.style.description_width = "initial"
        self.stance.add_class("bw-stance")
        self.stance.observe(self._stance_changed, "value")

        self.scores: dict[str, widgets.Dropdown] = {}
        foundation_cards = []
        for foundation in c.foundations:
            anchors = foundation.anchors
            options = [(c.foundation_unrated, UNRATED)] + [
                (f"{n} · {anchors[n]}" if n in anchors else str(n), n) for n in range(1, 6)
            ]
            score = full_width(
                widgets.Dropdown(
                    description=self.translator.gettext(_RATING), options=options, value=UNRATED
                )
            )
            score.add_class(f"bw-score-{foundation.id}")
            score.observe(lambda change, fid=foundation.id: self._scored(fid, change), "value")
            self.scores[foundation.id] = score
            evidence, message = self.text_answer(
                evidence_key(foundation.id),
                c.foundation_labels["evidence"],
                what=N_("Evidence"),
                max_length=c.limits["evidence_max_length"],
                placeholder=c.foundation_labels["evidence_placeholder"],
                on_saved=lambda _k, text, fid=foundation.id: self.answers.evidence.update(
                    {fid: text}
                ),
            )
            evidence.add_class(f"bw-evidence-{foundation.id}")
            parts = [
                widgets.HTML(f"<b>{escape(foundation.label)}</b>: {escape(foundation.question)}"),
                score,
                evidence,
                message,
            ]
            if foundation.id == CLARITY:
                # The team's sentences are evidence of how clear the goal is.
                self.team_evidence = widgets.HTML("")
                self.team_evidence.add_class("bw-team-evidence")
                self.cite = button(c.team_voice["cite"], css_class="bw-cite", icon="quote-left")
                self.cite.on_click(self._cite)
                self.cite_row = row([self.team_evidence, self.cite], wrap=True)
                parts.append(self.cite_row)
            card = widgets.VBox(parts)
            card.add_class("bw-card")
            card.add_class("bw-foundation-card")
            foundation_cards.append(card)

        self.sentence, sentence_message = self.text_answer(
            "sentence",
            c.sentence.label,
            what=N_("The sentence"),
            multiline=True,
            max_length=c.limits["sentence_max_length"],
            placeholder=c.sentence.placeholder,
            on_saved=self._sentence_saved,
        )
        self.sentence.add_class("bw-sentence")
        self.findings = widgets.HTML("")
        self.findings.add_class("bw-findings")
        assert DECLARED.member_notebook is not None
        self.voice_panel = TeamVoicePanel(
            self,
            member_notebook=DECLARED.member_notebook,
            complete=has_goal,
            questions=lambda: their_words.member_questions(self.answers),
            check_answers=lambda raw: their_words.checked_goal(raw, c),
            on_change=self._refresh_their_words,
        )
        self.their_goals = widgets.HTML("")
        self.their_goals.add_class("bw-their-goals")
        self.goal_judgements = widgets.VBox()
        self.goal_judgements.add_class("bw-goal-judgements")
        self.judged_summary = widgets.HTML("")
        self._judged_for: tuple[str, ...] | None = None
        self.plan_name_for_team, plan_name_message = self.text_answer(
            PLAN_NAME_KEY,
            c.their_words["plan_name_label"],
            what=N_("The name"),
            max_length=c.their_words["plan_name_max_length"],
            placeholder=c.their_words["plan_name_placeholder"],
            on_saved=lambda _key, text: setattr(self.answers, "plan_name_for_team", text),
        )
        self.plan_name_for_team.add_class("bw-plan-name-for-team")
        plan_name = [
            paragraph(c.their_words["plan_name_help"]),
            self.plan_name_for_team,
            plan_name_message,
        ]

        limit = c.limits["mover_max_length"]
        self.movers = RowListEditor(
            [
                Field(
                    "what",
                    c.movers["what"],
                    placeholder=c.movers["what_placeholder"],
                    max_length=limit,
                    wide=True,
                ),
                Field("by_when", c.movers["by_when"], kind="date"),
                Field(
                    "from_whom",
                    c.movers["from_whom"],
                    placeholder=c.movers["from_whom_placeholder"],
                    max_length=limit,
                ),
            ],
            on_change=self._movers_changed,
            add_label=c.movers["add"],
            remove_label=c.movers["remove"],
            empty_text=c.movers["none"],
            max_rows=c.limits["max_movers"],
            css_class="bw-mover",
        )

        self.ladder = widgets.Output()
        self.ladder.add_class("bw-ladder-chart")
        self.profile = widgets.Output()
        self.profile.add_class("bw-chart")
        self.reading_html = widgets.HTML("")
        self.reading_html.add_class("bw-reading")
        legend = legend_html(
            [
                (
                    c.chart["ladder_legend"],
                    c.chart["ladder_title"].lower(),
                    [(b.label, b.meaning) for b in c.ladder_bands],
                ),
                (
                    c.chart["strength"],
                    c.chart["profile_title"].lower(),
                    [(b.label, b.meaning) for b in c.foundation_bands],
                ),
            ]
        )
        self.result = widgets.VBox(
            [
                heading(c.steps["result"]),
                self.reading_html,
                row([self.ladder, self.profile], wrap=True),
                legend,
            ]
        )
        self.result.add_class("bw-result")

        return [
            titled(c.steps["stance"], c.help["stance"]),
            self.attitude,
            self.stance,
            titled(c.steps["foundations"], c.help["foundations"]),
            *foundation_cards,
            titled(c.steps["sentence"], c.help["sentence"]),
            self.sentence,
            sentence_message,
            self.findings,
            heading(c.their_words["title"]),
            *plan_name,
            self.voice_panel,
            self.their_goals,
            self.goal_judgements,
            titled(c.steps["movers"], c.help["movers"]),
            self.movers,
            self.result,
        ]

    def _show(self, values: dict[str, Any]) -> None:
        self.answers = SelfCheckAnswers.from_store(values)
        self.attitude.value = self.answers.attitude
        self.stance.value = self.answers.stance
        for foundation_id, control in self.scores.items():
            control.value = self.answers.scores.get(foundation_id, UNRATED)
        self.movers.set_rows(movers_value(self.answers.movers))
        self._goal_order = None
        self.voice_panel.render()
        self._refresh_findings()
        self._refresh_result()

    # -- steps 2 and 3 ---------------------------------------------------------------------

    def _attitude_changed(self, change: dict) -> None:
        if self._loading:
            return
        self.answers.attitude = change["new"]
        self._queue("attitude", change["new"])
        self._refresh_result()

    def _stance_changed(self, change: dict) -> None:
        if self._loading:
            return
        self.answers.stance = change["new"]
        self._queue("stance", change["new"])
        self._refresh_result()

    def _scored(self, foundation_id: str, change: dict) -> None:
        if self._loading:
            return
        score = change["new"] or None
        if score is None:
            self.answers.scores.pop(foundation_id, None)
        else:
            self.answers.scores[foundation_id] = score
        self._queue(score_key(foundation_id), score)
        self._refresh_result()

    # -- step 4 ----------------------------------------------------------------------------

    def _sentence_saved(self, _key: str, text: str) -> None:
        self.answers.sentence = text
        self._refresh_findings()
        # The charts do not depend on the sentence: only the reading is redrawn.
        self._refresh_reading()

    def _refresh_findings(self) -> None:
        c = self.content
        findings = scoring.sentence_findings(self.answers.sentence, c)
        if not findings:
            self.findings.value = f'<p class="bw-help">{escape(c.sentence.empty)}</p>'
        else:
            self.findings.value = (
                _findings_html(findings)
                + f'<p class="bw-help"><i>{escape(c.sentence.caveat)}</i></p>'
            )
        self._refresh_their_words()

    # -- the goal in their words -----------------------------------------------------------

    def _shown_goals(self) -> list[their_words.TheirGoal] | None:
        """The members' sentences, shuffled once for as long as the same ones are in (a
        new order at every redraw would let a leader match sentences to arrivals)."""
        goals = their_words.shown_goals(self.answers, self.content)
        if goals is None:
            self._goal_order = None
            return None
        same = (self.answers.sentence, *sorted(g.sentence for g in goals))
        if self._goal_order is None or self._goal_order[0] != same:
            self._goal_order = (same, goals)
        return self._goal_order[1]

    def _refresh_their_words(self) -> None:
        c = self.content
        goals = self._shown_goals()
        self.cite_row.layout.display = "none" if goals is None else ""
        if goals is None:
            self.their_goals.value = self.voice_panel.waiting_html(c.their_words["withheld"])
            self.goal_judgements.children = ()
            self._judged_for = None
            return
        self._show_judgements(goals)
        evidence = their_words.evidence_text(goals, c)
        self.team_evidence.value = f"<p>{escape(evidence)}</p>"
        words = c.their_words
        items = "".join(
            f'<li class="bw-their-goal"><q>{escape(goal.sentence)}</q>'
            + _findings_html(goal.findings)
            + "<p class='bw-help'>"
            + escape(
                c.text("their_words", "shared", words=", ".join(goal.shared))
                if goal.shared
                else words["shared_none"]
            )
            + "</p></li>"
            for goal in goals
        )
        mine = self.answers.sentence or c.sentence.empty
        self.their_goals.value = (
            f"<p><b>{escape(c.sentence.label)}</b>: {escape(mine)}</p>"
            f'<ol class="bw-their-goal-list">{items}</ol>'
            f"<p><b>{escape(evidence)}</b></p>"
            f'<p class="bw-help"><i>{escape(words["caveat"])}</i></p>'
        )

    def _show_judgements(self, goals: list[their_words.TheirGoal]) -> None:
        """One choice per shown sentence, numbered as the list is: the leader's own
        judgement beside the word comparison (rebuilt only when the sentences change)."""
        c = self.content.their_words
        order = tuple(goal.sentence for goal in goals)
        if self._judged_for != order:
            self._judged_for = order
            options = [(o["label"], o["id"]) for o in c["judge_options"]]
            controls: list[widgets.Widget] = [widgets.HTML(f"<b>{escape(c['judge_legend'])}</b>")]
            for number, goal in enumerate(goals, start=1):
                digest = sentence_id(goal.sentence)
                control = widgets.Dropdown(
                    description=c["judge_label"].format(number=number),
                    options=options,
                    value=self.answers.judgements.get(digest, ""),
                )
                control.add_class("bw-goal-judgement")
                control.observe(lambda change, d=digest: self._judged(d, change["new"]), "value")
                controls.append(control)
            self.goal_judgements.children = (*controls, self.judged_summary)
        judged = their_words.judgement_text(goals, self.answers.judgements, self.content)
        self.judged_summary.value = f"<p>{escape(judged)}</p>" if judged else ""

    def _judged(self, digest: str, judgement: str) -> None:
        if self._loading:
            return
        self._keep(self.answers.judgements, digest, judgement, judgement_key(digest))
        goals = self._shown_goals()
        if goals is not None:
            self._show_judgements(goals)

    def _cite(self, _button: widgets.Button | None = None) -> None:
        """Add the team's figure to the clarity foundation's evidence, where the leader can
        edit it like anything they typed."""
        goals = self._shown_goals()
        if goals is None:
            return
        line = self.content.text(
            "team_voice", "cited", evidence=their_words.evidence_text(goals, self.content)
        )
        box, _message = self._text_answers[evidence_key(CLARITY)]
        if line not in box.value:
            box.value = f"{box.value.rstrip()} {line}".strip()

    # -- step 5 ----------------------------------------------------------------------------

    def _movers_changed(self, rows: list[dict[str, Any]]) -> None:
        self.answers.movers = [m for m in map(Mover.from_value, rows) if m is not None]
        self._queue("movers", movers_value(self.answers.movers))
        self._refresh_result()

    # -- step 6 ----------------------------------------------------------------------------

    def _refresh_reading(self) -> None:
        result = scoring.reading(self.answers, self.content)
        self.reading_html.value = "".join(f"<p>{escape(p)}</p>" for p in result.paragraphs)

    def _refresh_result(self) -> None:
        c = self.content
        self._refresh_reading()
        profile = scoring.foundation_profile(self.answers, c)
        if self.answers.attitude:
            attitude = c.attitude(self.answers.attitude)
            show_chart(
                self.ladder,
                chart_bundle(
                    charts.ladder_chart(attitude.id, c),
                    f"{c.chart['ladder_title']}: {attitude.name} ({c.states[attitude.state]})",
                ),
            )
        else:
            self.ladder.outputs = ()
        if profile.empty:
            self.profile.outputs = ()
        else:
            show_chart(
                self.profile,
                chart_bundle(
                    charts.foundations_chart(profile, c),
                    f"{c.chart['profile_title']}: "
                    + ", ".join(f"{r.foundation} {r.score}" for r in profile.itertuples()),
                ),
            )

    def progress(self) -> scoring.Progress:
        return scoring.progress(self.answers, self.content)


def attitudes_reference() -> ReferenceTable:
    """The seven attitudes' reference card in the page's language (the notebook's)."""
    return content_attitudes_reference(load_content(page_language()))


def sentence_example() -> None:
    """The one-sentence test on the content's deliberately vague goal, in the page's
    language: its heading and each finding, one a line (the notebook's)."""
    content = load_content(page_language())
    words = content.reference
    print(words["example_heading"])
    print(words["example_note"])
    print(f"“{words['example']}”")
    for finding in sentence_findings(words["example"], content):
        print("✓" if finding.passed else "✗", finding.message)
