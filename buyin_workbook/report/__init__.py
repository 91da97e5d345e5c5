"""The plan's summary report: built from the store, written as HTML, Markdown, PDF, charts,
and shown by the summary page. Its parts are imported when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kit.declaration import lazy_exports

if TYPE_CHECKING:
    from .build import Action, Report, build_report
    from .render import FORMATS, ReportError, export, to_html, to_markdown
    from .view import SummaryView

__getattr__ = lazy_exports(
    __name__,
    {
        "Action": ".build",
        "Report": ".build",
        "build_report": ".build",
        "FORMATS": ".render",
        "ReportError": ".render",
        "export": ".render",
        "to_html": ".render",
        "to_markdown": ".render",
        "SummaryView": ".view",
    },
)
__all__ = [
    "FORMATS",
    "Action",
    "Report",
    "ReportError",
    "SummaryView",
    "build_report",
    "export",
    "to_html",
    "to_markdown",
]
