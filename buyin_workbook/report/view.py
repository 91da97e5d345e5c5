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
from ..store import StoreError, WorkbookStore
from ..use_cases.snapshots import Reason, snapshot_started
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
        super().__init__(store, content=load_content(), autosave_delay=autosave_delay)

    def _build_steps(self) -> list[widgets.Widget]:
        self.progress_table = widgets.HTML("")
        self.progress_table.add_class("bw-progress")
        self.actions = RowListEditor(
            [
                Field(
                    "what",
                    "What",
                    placeholder="e.g. Ask the team to set the rollout order",
                    max_length=300,
                    wide=True,
                ),
                Field("who", "Who", placeholder="e.g. Me, with Dana", max_length=120),
                Field("by_when", "By when", kind="date"),
            ],
            on_change=self._actions_changed,
            add_label="Add an action",
            remove_label="Remove",
            empty_text="No actions yet: what will you do next?",
            max_rows=MAX_ACTIONS,
            css_class="bw-action",
        )
        self.refresh = button("Refresh the report", css_class="bw-report-refresh", icon="refresh")
        self.refresh.on_click(lambda _b: self._render_report())
        self.report_box = widgets.VBox()
        self.report_box.add_class("bw-report")
        self.export_message = message_area("bw-export-message")
        #: One button a format: a press makes the file and downloads it.
        self.exports: dict[str, DownloadButton] = {}
        # A course participant has a facilitator, not a coach (who sees only what is shared).
        share = (
            "Answers and report (one file)"
            if self.access.role == "participant"
            else ("Share with my coach")
        )
        for kind, label in (
            ("html", "Report (HTML)"),
            ("pdf", "Report (PDF)"),
            ("md", "Report (Markdown)"),
            ("charts", "Charts (PNG and SVG)"),
            ("share", share),
        ):
            control = DownloadButton(label, make=functools.partial(self._export_file, kind))
            control.add_class(f"bw-export-{kind}")
            self.exports[kind] = control
        return [
            heading("2. Where you are"),
            self.progress_table,
            titled(
                "3. What I will do", "Write the actions this work points to: what, who, by when."
            ),
            self.actions,
            heading("4. The report"),
            self.refresh,
            self.report_box,
            titled(
                "5. Export and share", f"“{share}” makes one file with your answers and the report."
            ),
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
            set_message(self.snapshot_message, f"No snapshot: {error}", "error")
            return
        set_message(
            self.snapshot_message,
            f"Snapshot saved of: {'; '.join(e.title for e in taken)}."
            if taken
            else "Nothing to keep yet: no exercise is started.",
            "ok" if taken else "info",
        )
        self._render_report()

    # -- the report ------------------------------------------------------------------------

    def _render_report(self) -> None:
        if self.plan is None:
            return
        try:
            report = build_report(self.store, self.plan.id)
        except StoreError as error:
            set_message(self.export_message, str(error), "error")
            return
        rows = "".join(
            f"<tr><td>{escape(s.title)}</td><td>{escape(s.progress)}</td></tr>"
            for s in report.sections
            if s.exercise != ACROSS
        )
        self.progress_table.value = (
            f'<table class="bw-legend"><tr><th>Exercise</th><th>Progress</th></tr>{rows}</table>'
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
            children += [widgets.HTML("<h4>History</h4>"), output]
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
                made = export(self.store, self.plan.id, Path(scratch), (kind,))
            except (ReportError, StoreError) as error:
                set_message(self.export_message, str(error), "error")
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
