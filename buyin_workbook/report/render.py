"""The report as files: self-contained HTML, Markdown, PDF, every chart as SVG and PNG, and
one file to share with a coach. User text is escaped in every format."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .._text import Said, file_slug
from ..languages import N_, translator
from ..store import WorkbookStore
from .build import Report, ReportChart, build_report

if TYPE_CHECKING:
    import altair as alt

FORMATS = ("html", "md", "pdf", "charts", "json", "share")
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")

_CSS = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2328;
       max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
h1 { font-size: 1.7em; margin-bottom: 0; } h2 { border-bottom: 1px solid #d0d7de; margin-top: 2em; }
.meta { color: #57606a; }
.status { color: #57606a; font-weight: normal; font-size: 0.7em; }
.keep { white-space: nowrap; }
table { border-collapse: collapse; margin: 0.6em 0; }
td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
figure { margin: 1em 0; break-inside: avoid; } figure img { max-width: 100%; }
figcaption { color: #57606a; font-size: 0.9em; }
.back { margin: 0 0 1em; } .back a { color: #2f6f8f; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  /* Charts small enough to share a page with their section, not pushed to the next. */
  figure img { max-height: 8.5cm; width: auto; }
}
"""


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document, drawn by vl-convert (imported by altair on
    first use, so only in the process that writes a file)."""
    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue()


class ReportError(Said):
    """A report that could not be made; the message says what to do (in words and
    blanks, so each reader's language can say it)."""


_MADE = N_("Buy-in Workbook summary, made {when}")
_VERSION = N_("version {version}")
_ACTIONS = N_("Actions")
_WHAT = N_("What")
_WHO = N_("Who")
_BY_WHEN = N_("By when")
_NO_ACTIONS = N_("No actions written yet.")
_HISTORY = N_("History")
_NO_TREND = N_(
    "Snapshots are taken when an exercise is completed and on request; the trend appears once "
    "something has two."
)
_CHART = N_("Chart, {title}")
_BACK = N_("Back")


def made_at(report: Report) -> str:
    """When the report was made, as a person writes it in the report's language:
    "26 November 2026, 11:51 UTC"."""
    when = datetime.fromisoformat(report.generated_at).astimezone(UTC)
    return f"{translator(report.language).day(when)}, {when:%H:%M} UTC"


def _section_heading(title: str, progress: str) -> str:
    """A section's heading with its status kept on the line of the title's last word."""
    head, _, last = title.rpartition(" ")
    status = f'<span class="status">({_e(progress)})</span>'
    return f'<h2>{_e(head)} <span class="keep">{_e(last)}&nbsp;{status}</span></h2>'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg_data_uri(svg: str) -> str:
    # As an image, an SVG can run nothing, whatever it holds.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _figure(chart: ReportChart) -> str:
    return (
        f'<figure><img alt="{_e(chart.title)}: {_e(chart.description)}" '
        f'src="{_svg_data_uri(to_svg(chart.chart))}"><figcaption>{_e(chart.title)}'
        "</figcaption></figure>"
    )


def to_html(report: Report, *, back: tuple[str, str] | None = None) -> str:
    """One HTML file that works offline: styles and charts inline, no script at all.

    ``back`` is a link (address, words) shown above the report, for a page that is served
    rather than saved as a file.
    """
    say = translator(report.language).gettext
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(report.language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Buy-in Workbook: {_e(report.plan)}</title><style>{_CSS}</style></head><body>",
    ]
    if back is not None:
        parts.append(
            f'<nav class="back" aria-label="{_e(say(_BACK))}"><a href="{_e(back[0])}">'
            f"{_e(back[1])}</a></nav>"
        )
    parts += [
        "<main>",
        f"<h1>{_e(report.plan)}</h1>",
        f'<p class="meta">{_e(say(_MADE, when=made_at(report)))} '
        f"({_e(say(_VERSION, version=report.app_version))}).</p>",
        f"<h2>{_e(say(_ACTIONS))}</h2>",
    ]
    if report.actions:
        rows = "".join(
            f"<tr><td>{_e(a.what)}</td><td>{_e(a.who)}</td>"
            f"<td>{_e(a.by_when.isoformat() if a.by_when else '')}</td></tr>"
            for a in report.actions
        )
        head = "".join(f"<th>{_e(say(word))}</th>" for word in (_WHAT, _WHO, _BY_WHEN))
        parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    else:
        parts.append(f"<p>{_e(say(_NO_ACTIONS))}</p>")
    for section in report.sections:
        parts.append(_section_heading(section.title, section.progress))
        parts += [f"<p>{_e(p)}</p>" for p in section.paragraphs]
        if section.facts:
            rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in section.facts)
            parts.append(f"<table>{rows}</table>")
        parts += [_figure(chart) for chart in section.charts]
    parts.append(f"<h2>{_e(say(_HISTORY))}</h2>")
    parts.append(_figure(report.trend) if report.trend else f"<p>{_e(say(_NO_TREND))}</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|>~!])")
_LINE_START = re.compile(r"^(\s*)(\d+[.)]|[-+=])")


def _md(text: object) -> str:
    """User text made inert in Markdown: markup characters escaped, HTML shown as text,
    and nothing at its start read as a list or heading."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))
    escaped = _LINE_START.sub(
        lambda m: (
            m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1]
            if m.group(2)[0].isdigit()
            else m.group(1) + "\\" + m.group(2)
        ),
        escaped,
    )
    return escaped.replace("<", "&lt;")


def to_markdown(report: Report) -> str:
    say = translator(report.language).gettext
    lines = [
        f"# {_md(report.plan)}",
        "",
        f"{_md(say(_MADE, when=made_at(report)))}.",
        "",
        f"## {_md(say(_ACTIONS))}",
        "",
    ]
    if report.actions:
        head = " | ".join(_md(say(word)) for word in (_WHAT, _WHO, _BY_WHEN))
        lines += [f"| {head} |", "| --- | --- | --- |"]
        lines += [
            f"| {_md(a.what)} | {_md(a.who)} | {a.by_when.isoformat() if a.by_when else ''} |"
            for a in report.actions
        ]
    else:
        lines.append(_md(say(_NO_ACTIONS)))
    for section in report.sections:
        lines += ["", f"## {_md(section.title)} ({section.progress})", ""]
        lines += [line for p in section.paragraphs for line in (_md(p), "")]
        lines += [f"- **{_md(k)}**: {_md(v)}" for k, v in section.facts]
        lines += [
            f"- *{_md(say(_CHART, title=c.title))}*: {_md(c.description)}" for c in section.charts
        ]
    if report.trend:
        lines += ["", f"## {_md(say(_HISTORY))}", "", _md(report.trend.description)]
    return "\n".join(lines).rstrip() + "\n"


def write_charts(report: Report, folder: Path) -> list[Path]:
    """Every chart as SVG and as PNG (twice the pixels, for slides and print)."""
    import vl_convert

    written = []
    charts = [c for s in report.sections for c in s.charts]
    if report.trend:
        charts.append(report.trend)
    for chart in charts:
        svg = to_svg(chart.chart)
        svg_path, png_path = folder / f"{chart.name}.svg", folder / f"{chart.name}.png"
        svg_path.write_text(svg, encoding="utf-8")
        png_path.write_bytes(vl_convert.svg_to_png(svg, scale=2))
        written += [svg_path, png_path]
    return written


def find_chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html_text: str, target: Path, chromium: str | None = None) -> Path:
    """Print the HTML report to PDF with headless Chromium, offline."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise ReportError(
            N_(
                "A PDF needs Chromium, which is not installed here. Install it "
                "(on Debian: `apt-get install chromium`) or print the HTML report "
                "from your browser."
            )
        )
    with tempfile.TemporaryDirectory(prefix="buyin-report-") as scratch:
        page = Path(scratch) / "report.html"
        page.write_text(html_text, encoding="utf-8")
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={scratch}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise ReportError(N_("Chromium took over two minutes to print the PDF.")) from None
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise ReportError(
            N_("Chromium could not print the PDF: {detail}"), detail=done.stderr.strip()[-300:]
        )
    return target


def export(
    store: WorkbookStore,
    plan_id: int,
    folder: Path,
    formats: tuple[str, ...] = FORMATS,
    language: str = "en",
) -> dict[str, list[Path]]:
    """Write the plan's report in the given formats into ``folder``, in ``language``;
    returns what was made."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ReportError(
            N_("Unknown format: {formats}. Choose from {known}."),
            formats=", ".join(sorted(unknown)),
            known=", ".join(FORMATS),
        )
    folder.mkdir(parents=True, exist_ok=True)
    report = build_report(store, plan_id, language)
    stem = f"buyin-workbook-{file_slug(report.plan, 'plan')}"
    made: dict[str, list[Path]] = {}
    # Only what the formats asked for use: the HTML draws every chart with vl-convert.
    html_text = to_html(report) if {"html", "share", "pdf"} & set(formats) else ""
    if "html" in formats or "share" in formats:
        (folder / f"{stem}.html").write_text(html_text, encoding="utf-8")
        made["html"] = [folder / f"{stem}.html"]
    if "md" in formats:
        (folder / f"{stem}.md").write_text(to_markdown(report), encoding="utf-8")
        made["md"] = [folder / f"{stem}.md"]
    if "charts" in formats:
        charts_folder = folder / f"{stem}-charts"
        charts_folder.mkdir(exist_ok=True)
        made["charts"] = write_charts(report, charts_folder)
    answers = (
        json.dumps(store.export_plan(plan_id), ensure_ascii=False, indent=2)
        if {"json", "share"} & set(formats)
        else ""
    )
    if "json" in formats:
        (folder / f"{stem}.json").write_text(answers, encoding="utf-8")
        made["json"] = [folder / f"{stem}.json"]
    if "share" in formats:
        bundle = folder / f"{stem}-for-my-coach.zip"
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("answers.json", answers)
            archive.writestr("report.html", html_text)
        made["share"] = [bundle]
    if "pdf" in formats:
        made["pdf"] = [write_pdf(html_text, folder / f"{stem}.pdf")]
    return made
