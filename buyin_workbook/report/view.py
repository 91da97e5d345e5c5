"""The summary notebook's widget: progress, the action list, the report and its exports."""

from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..exercise_ids import SUMMARY
from ..exercises import EXERCISES
from ..kit.charts import chart_bundle
from ..languages import N_
from ..store import StoreError, WorkbookStore
from ..use_cases.snapshots import Reason, snapshot_started
from ..use_cases.visitor import page_language
from ..widgets._ui import (
    button,
    escape,
    heading,
    message_area,
    row,
    set_message,
    show_chart,
    titled,
)
from ..widgets.files import DownloadButton
from ..widgets.page import PlanPage
from ..widgets.row_list import Field, RowListEditor
from .build import ACROSS, build_report
from .content import load_content
from .render import ReportError, export

MAX_ACTIONS = 20

_WHAT = N_("What")
_WHAT_EXAMPLE = N_("e.g. Ask the team to set the rollout order")
_WHO = N_("Who")
_WHO_EXAMPLE = N_("e.g. Me, with Dana")
_BY_WHEN = N_("By when")
_ADD = N_("Add an action")
_REMOVE = N_("Remove")
_NO_ACTIONS = N_("No actions yet: what will you do next?")
_REFRESH = N_("Refresh the report")
_ONE_FILE = N_("Answers and report (one file)")
_SHARE = N_("Share with my coach")
_FORMATS = {
    "html": N_("Report (HTML)"),
    "pdf": N_("Report (PDF)"),
    "md": N_("Report (Markdown)"),
    "charts": N_("Charts (PNG and SVG)"),
}
_WHERE = N_("2. Where you are")
_WILL_DO = N_("3. What I will do")
_WILL_DO_HELP = N_("Write the actions this work points to: what, who, by when.")
_REPORT = N_("4. The report")
_EXPORT = N_("5. Export and share")
_EXPORT_HELP = N_("{share} makes one file with your answers and the report.")
_NO_SNAPSHOT = N_("No snapshot: {error}")
_SNAPSHOT_OF = N_("Snapshot saved of: {exercises}.")
_NOTHING_TO_KEEP = N_("Nothing to keep yet: no exercise is started.")
_EXERCISE = N_("Exercise")
_PROGRESS = N_("Progress")
_HISTORY = N_("History")


@dataclass
class SummaryAnswers:
    actions: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_store(cls, values: dict[str, Any]) -> SummaryAnswers:
        actions = values.get("actions")
        return cls([a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else [])

    def to_store(self) -> dict[str, Any]:
        return {"actions": self.actions}


_MIMETYPES = {
    "html": "text/html",
    "md": "text/markdown",
    "pdf": "application/pdf",
    "share": "application/zip",
    "json": "application/json",
}


class SummaryView(PlanPage):
    """The plan's summary: what every exercise says, the actions, and the exports."""

    exercise_id = SUMMARY

    def __init__(
        self, store: WorkbookStore | None = None, *, autosave_delay: float | None = None
    ) -> None:
        self.answers = SummaryAnswers()
        language = page_language()
        super().__init__(
            store, content=load_content(language), autosave_delay=autosave_delay, language=language
        )

    def _build_steps(self) -> list[widgets.Widget]:
        say = self.translator.gettext
        self.progress_table = widgets.HTML("")
        self.progress_table.add_class("bw-progress")
        self.actions = RowListEditor(
            [
                Field(
                    "what",
                    say(_WHAT),
                    placeholder=say(_WHAT_EXAMPLE),
                    max_length=300,
                    wide=True,
                ),
                Field("who", say(_WHO), placeholder=say(_WHO_EXAMPLE), max_length=120),
                Field("by_when", say(_BY_WHEN), kind="date"),
            ],
            on_change=self._actions_changed,
            add_label=say(_ADD),
            remove_label=say(_REMOVE),
            empty_text=say(_NO_ACTIONS),
            max_rows=MAX_ACTIONS,
            css_class="bw-action",
            words=self.translator,
        )
        self.refresh = button(say(_REFRESH), css_class="bw-report-refresh", icon="refresh")
        self.refresh.on_click(lambda _b: self._render_report())
        self.report_box = widgets.VBox()
        self.report_box.add_class("bw-report")
        self.export_message = message_area("bw-export-message")
        #: One button a format: a press makes the file and downloads it.
        self.exports: dict[str, DownloadButton] = {}
        # A course participant has a facilitator, not a coach (who sees only what is shared).
        share = say(_ONE_FILE if self.access.role == "participant" else _SHARE)
        for kind, label in (*((k, say(v)) for k, v in _FORMATS.items()), ("share", share)):
            control = DownloadButton(label, make=functools.partial(self._export_file, kind))
            control.add_class(f"bw-export-{kind}")
            self.exports[kind] = control
        return [
            heading(say(_WHERE)),
            self.progress_table,
            titled(say(_WILL_DO), say(_WILL_DO_HELP)),
            self.actions,
            heading(say(_REPORT)),
            self.refresh,
            self.report_box,
            titled(say(_EXPORT), say(_EXPORT_HELP, share=self.translator.quoted(share))),
            row(list(self.exports.values()), wrap=True),
            self.export_message,
        ]

    def _show(self, values: dict[str, Any]) -> None:
        self.answers = SummaryAnswers.from_store(values)
        self.actions.set_rows(self.answers.actions)
        set_message(self.export_message)
        if self.plan is not None:
            self._render_report()

    def _actions_changed(self, rows: list[dict[str, Any]]) -> None:
        self.answers.actions = list(rows)
        self._queue("actions", self.answers.actions)

    def take_snapshot(self, reason: Reason) -> None:
        """A snapshot of every exercise already started in this plan."""
        if self.plan is None or (self.autosaver.pending and not self.autosaver.flush()):
            return
        try:
            taken = snapshot_started(self.store, self.plan.id, EXERCISES.values(), reason)
        except StoreError as error:
            said = self.translator.gettext(_NO_SNAPSHOT, error=self.translator.said(error))
            set_message(self.snapshot_message, said, "error")
            return
        language = self.translator.language
        titles = "; ".join(e.content(language).title for e in taken)
        set_message(
            self.snapshot_message,
            self.translator.gettext(_SNAPSHOT_OF, exercises=titles)
            if taken
            else self.translator.gettext(_NOTHING_TO_KEEP),
            "ok" if taken else "info",
        )
        self._render_report()

    # -- the report ------------------------------------------------------------------------

    def _render_report(self) -> None:
        if self.plan is None:
            return
        try:
            report = build_report(self.store, self.plan.id, self.translator.language)
        except StoreError as error:
            set_message(self.export_message, self.translator.said(error), "error")
            return
        say = self.translator.gettext
        rows = "".join(
            f"<tr><td>{escape(s.title)}</td><td>{escape(s.progress)}</td></tr>"
            for s in report.sections
            if s.exercise != ACROSS
        )
        self.progress_table.value = (
            f'<table class="bw-legend"><tr><th>{escape(say(_EXERCISE))}</th>'
            f"<th>{escape(say(_PROGRESS))}</th></tr>{rows}</table>"
        )
        children: list[widgets.Widget] = []
        charts = []
        for section in report.sections:
            text = "".join(f"<p>{escape(p)}</p>" for p in section.paragraphs)
            facts = "".join(
                f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in section.facts
            )
            children.append(
                widgets.HTML(
                    f"<h4>{escape(section.title)} <small>({escape(section.progress)})</small></h4>"
                    f"{text}" + (f'<table class="bw-legend">{facts}</table>' if facts else "")
                )
            )
            charts += section.charts
            for chart in section.charts:
                output = widgets.Output()
                output.add_class("bw-report-chart")
                show_chart(output, chart_bundle(chart.chart, f"{chart.title}: {chart.description}"))
                children.append(output)
        if report.trend is not None:
            output = widgets.Output()
            output.add_class("bw-trend-chart")
            show_chart(output, chart_bundle(report.trend.chart, report.trend.description))
            children += [widgets.HTML(f"<h4>{escape(say(_HISTORY))}</h4>"), output]
        self.report_box.children = children

    def _export_file(self, kind: str) -> tuple[str, bytes, str] | None:
        """One export, made now for a download button: (file name, bytes, mimetype)."""
        if self.plan is None:
            return None
        if self.autosaver.pending:
            self.autosaver.flush()
        set_message(self.export_message)
        with tempfile.TemporaryDirectory(prefix="buyin-export-") as scratch:
            try:
                made = export(
                    self.store, self.plan.id, Path(scratch), (kind,), self.translator.language
                )
            except (ReportError, StoreError) as error:
                set_message(self.export_message, self.translator.said(error), "error")
                return None
            if kind == "charts":
                paths = made["charts"]
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in paths:
                        archive.write(path, path.name)
                name = f"{paths[0].parent.name}.zip" if paths else "charts.zip"
                return name, buffer.getvalue(), "application/zip"
            (path,) = made[kind]
            return path.name, path.read_bytes(), _MIMETYPES[kind]
