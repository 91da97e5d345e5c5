"""The widgets of "Am I bought in myself?"; every word comes from the content file."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ...store import WorkbookStore
from ...widgets._ui import (
    escape,
    full_width,
    heading,
    legend_html,
    row,
    show_chart,
    titled,
)
from ...widgets.page import ExercisePage
from ...widgets.row_list import Field, RowListEditor
from .._charts import chart_bundle
from . import charts, scoring
from .content import SelfCheckContent, load_content
from .model import Mover, SelfCheckAnswers, evidence_key, movers_value, score_key

EXERCISE = "selfcheck"
UNRATED = 0


class SelfCheckExercise(ExercisePage):
    """Am I bought in myself? The whole exercise as one widget."""

    exercise_id = EXERCISE
    content: SelfCheckContent

    def __init__(
        self,
        store: WorkbookStore | None = None,
        *,
        content: SelfCheckContent | None = None,
        autosave_delay: float | None = None,
    ) -> None:
        self.answers = SelfCheckAnswers()
        super().__init__(store, content=content or load_content(), autosave_delay=autosave_delay)

    # -- layout ----------------------------------------------------------------------------

    def _build_steps(self) -> list[widgets.Widget]:
        c = self.content
        self.attitude = widgets.RadioButtons(
            description="My attitude",
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
                widgets.Dropdown(description="Rating", options=options, value=UNRATED)
            )
            score.add_class(f"bw-score-{foundation.id}")
            score.observe(lambda change, fid=foundation.id: self._scored(fid, change), "value")
            self.scores[foundation.id] = score
            evidence, message = self.text_answer(
                evidence_key(foundation.id),
                c.foundation_labels["evidence"],
                what="Evidence",
                max_length=c.limits["evidence_max_length"],
                placeholder=c.foundation_labels["evidence_placeholder"],
                on_saved=lambda _k, text, fid=foundation.id: self.answers.evidence.update(
                    {fid: text}
                ),
            )
            evidence.add_class(f"bw-evidence-{foundation.id}")
            card = widgets.VBox(
                [
                    widgets.HTML(
                        f"<b>{escape(foundation.label)}</b>: {escape(foundation.question)}"
                    ),
                    score,
                    evidence,
                    message,
                ]
            )
            card.add_class("bw-card")
            card.add_class("bw-foundation-card")
            foundation_cards.append(card)

        self.sentence, sentence_message = self.text_answer(
            "sentence",
            c.sentence.label,
            what="The sentence",
            multiline=True,
            max_length=c.limits["sentence_max_length"],
            placeholder=c.sentence.placeholder,
            on_saved=self._sentence_saved,
        )
        self.sentence.add_class("bw-sentence")
        self.findings = widgets.HTML("")
        self.findings.add_class("bw-findings")

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
            return
        items = "".join(
            f'<li class="bw-finding-{"pass" if f.passed else "flag"}">'
            f"{'✓' if f.passed else '✗'} {escape(f.message)}</li>"
            for f in findings
        )
        self.findings.value = (
            f'<ul class="bw-finding-list">{items}</ul>'
            f'<p class="bw-help"><i>{escape(c.sentence.caveat)}</i></p>'
        )

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
