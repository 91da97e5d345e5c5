"""The plan's summary report: built from the store, written as HTML, Markdown, PDF, charts."""

from .build import Action, Report, build_report
from .render import FORMATS, ReportError, export, to_html, to_markdown
from .view import SummaryView

__all__ = ["FORMATS", "Action", "Report", "ReportError", "SummaryView", "build_report", "export",
           "to_html", "to_markdown"]
