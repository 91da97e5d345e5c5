"""A cohort's figures of one exercise as HTML: the facilitator's dashboard and, once they are
revealed, a participant's page (with the participant's own answer marked, nobody else's).

Every word comes from the exercise's content and is escaped; the HTML has no script and no
outside resource, so it fits the served pages' content security policy and an ipywidgets
``HTML``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..._disclosure import Withheld
from ...kit.cohort import CohortMeasure, CohortValue, CohortValues
from .results import ExerciseResults

_YOU = '<span class="bw-you">◆ you</span>'


def results_html(results: ExerciseResults, own: CohortValues | None = None) -> str:
    """Each measure's figures (or why they are withheld); ``own`` marks a participant's
    own answers."""
    parts = []
    if results.release is None:
        need = results.waiting.message() if results.waiting else f"0 of {results.min_group} needed"
        parts.append(
            f'<p class="bw-withheld">No figures yet: {escape(need)} (people who have '
            "finished this exercise). Figures are never shown for a smaller group, so no "
            "one's answers can be picked out.</p>"
        )
    else:
        drawn = len(results.release.contributors)
        parts.append(
            f'<p class="bw-cohort-drawn">Drawn from the {drawn} people who had finished '
            f"by {escape(results.release.released_at[:16].replace('T', ' '))} UTC.</p>"
        )
        if results.waiting is not None:
            parts.append(f'<p class="bw-cohort-waiting">{escape(_waiting_text(results))}</p>')
        for measure in results.measures:
            parts.append(_measure_html(results, measure, own))
    exercise = escape(results.exercise)
    return f'<div class="bw-cohort-results" data-exercise="{exercise}">{"".join(parts)}</div>'


def _waiting_text(results: ExerciseResults) -> str:
    """Why the figures shown do not take in the newest answers yet."""
    waiting = results.waiting
    assert waiting is not None and results.release is not None
    more = results.finished - len(results.release.contributors)
    now = f"{results.finished} have finished now" + (f" ({more:+d})" if more else "")
    if waiting.reason == "too_few":
        return (
            f"{now}: fewer than the {results.min_group} new figures need, so these figures "
            "stay as they are."
        )
    if waiting.reason == "difference" and waiting.moved == "came":
        return (
            f"{now}: these figures take in the newest answers once at least "
            f"{results.min_group} people differ from this group, so no one's answers can be "
            "worked out from the change."
        )
    return f"{now}. {waiting.message()}"


def _measure_html(
    results: ExerciseResults, measure: CohortMeasure, own: CohortValues | None
) -> str:
    mine = None if own is None else own.get(measure.id)
    head = (
        f'<section class="bw-cohort-measure" data-measure="{escape(measure.id)}">'
        f"<h3>{escape(measure.title)}</h3>"
        + (f'<p class="bw-muted">{escape(measure.explain)}</p>' if measure.explain else "")
    )
    if measure.kind in ("number", "items"):
        body = _spread_table(results, measure, mine)
    else:
        value, reason = results.cell(measure.id)
        if reason is not None or value is None:
            body = _withheld(reason)
        elif measure.kind in ("category", "categories"):
            body = _counts_table(measure, value, mine)
        elif measure.kind == "ranking":
            body = _ranking_list(measure, value, mine)
        else:
            body = _flag(measure, value, mine)
    return head + body + "</section>"


def _withheld_text(reason: Withheld | None) -> str:
    return reason.message() if reason is not None else "No one has given this yet."


def _withheld(reason: Withheld | None) -> str:
    return f'<p class="bw-withheld">{escape(_withheld_text(reason))}</p>'


def _spread_table(
    results: ExerciseResults, measure: CohortMeasure, mine: CohortValue | None
) -> str:
    items = [""] if measure.kind == "number" else list(measure.labels)
    rows = []
    for item in items:
        key = measure.id if measure.kind == "number" else f"{measure.id}/{item}"
        value, reason = results.cell(key)
        if value is None and reason is None:
            continue
        name = measure.label(item) if item else "All"
        own_number = mine.get(item) if isinstance(mine, dict) else mine if item == "" else None
        if value is None:
            rows.append(
                f'<tr><th scope="row">{escape(name)}</th>'
                f'<td colspan="{2 + len(measure.bands)}" class="bw-withheld">'
                f"{escape(_withheld_text(reason))}</td></tr>"
            )
            continue
        own_band = (
            measure.band(float(own_number)).id
            if isinstance(own_number, int | float) and not isinstance(own_number, bool)
            else None
        )
        bands = "".join(
            f'<td data-label="{escape(band.label)}">{value["bands"].get(band.id, 0)}'
            + (f" {_YOU}" if band.id == own_band else "")
            + "</td>"
            for band in measure.bands
        )
        rows.append(
            f'<tr><th scope="row">{escape(name)}</th>'
            f'<td data-label="Median">{value["median"]:g}</td>'
            f'<td data-label="Middle half">{value["q1"]:g} to {value["q3"]:g}</td>{bands}</tr>'
        )
    if not rows:
        return _withheld(None)
    header = "".join(f'<th scope="col">{escape(b.id.capitalize())}</th>' for b in measure.bands)
    legend = "".join(f"<li>{escape(b.label)}</li>" for b in measure.bands)
    return (
        '<table class="bw-cohort-table bw-stack"><thead><tr><th scope="col">'
        + ("Figure" if measure.kind == "number" else "Item")
        + '</th><th scope="col">Median</th><th scope="col">Middle half</th>'
        + header
        + "</tr></thead><tbody>"
        + "".join(rows)
        + '</tbody></table><ul class="bw-legend" aria-label="Legend">'
        + legend
        + "</ul>"
    )


def _counts_table(measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None) -> str:
    chosen = set(mine) if isinstance(mine, list) else {mine} if isinstance(mine, str) else set()
    n = value["n"]
    rows = []
    for item, label in measure.labels.items():
        count = value["counts"].get(item, 0)
        width = round(100 * count / n) if n else 0
        rows.append(
            f'<tr><th scope="row">{escape(label)}{" " + _YOU if item in chosen else ""}</th>'
            f'<td data-label="People">{count} of {n}</td>'
            f'<td class="bw-bar-cell" aria-hidden="true"><span class="bw-bar" '
            f'style="width:{width}%"></span></td></tr>'
        )
    return (
        '<table class="bw-cohort-table"><thead><tr><th scope="col">Answer</th>'
        '<th scope="col">People</th><th scope="col"><span class="bw-visually-hidden">Share'
        "</span></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _ranking_list(measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None) -> str:
    places = value["places"]
    own = {item: place for place, item in enumerate(mine, 1)} if isinstance(mine, list) else {}
    ordered = sorted(places, key=lambda item: (places[item], list(measure.labels).index(item)))
    items = "".join(
        f'<li>{escape(measure.label(item))} <span class="bw-muted">(average place '
        f"{places[item]:g}" + (f"; yours: {own[item]}" if item in own else "") + ")</span></li>"
        for item in ordered
    )
    return f'<p class="bw-muted">Over {value["n"]} people.</p><ol class="bw-ranking">{items}</ol>'


def _flag(measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None) -> str:
    yes, n = value["yes"], value["n"]
    label = measure.labels.get("yes", "Yes")
    own = ""
    if isinstance(mine, bool):
        own = f" {_YOU}: {escape(measure.labels.get('yes' if mine else 'no', str(mine)))}"
    return f'<p class="bw-cohort-flag">{escape(label)}: {yes} of {n}.{own}</p>'


#: Styles of the figures' HTML, for pages that do not have them (a participant's app).
STYLE = """
.bw-cohort-results table { border-collapse: collapse; margin: 4px 0 8px; }
.bw-cohort-results th, .bw-cohort-results td { text-align: left; padding: 3px 10px 3px 0;
  border-bottom: 1px solid #d9e2ec; vertical-align: top; }
.bw-cohort-results h3 { font-size: 1.05rem; margin: 1em 0 .2em; }
.bw-bar-cell { width: 160px; }
.bw-bar { display: inline-block; height: .8em; background: #2f6f8f; min-width: 1px; }
.bw-you { color: #8a3b12; font-weight: 600; white-space: nowrap; }
.bw-legend { font-size: .9rem; color: #52606d; margin: 0 0 8px; padding-left: 1.2em; }
.bw-withheld, .bw-cohort-waiting { color: #52606d; font-style: italic; }
.bw-muted { color: #52606d; }
.bw-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.bw-cohort-results th { overflow-wrap: anywhere; }
/* On a phone a wide table becomes one block per row, each cell named by its column. */
@media (max-width: 640px) {
  .bw-cohort-results table.bw-stack thead { display: none; }
  .bw-cohort-results table.bw-stack, .bw-cohort-results table.bw-stack tbody,
  .bw-cohort-results table.bw-stack tr, .bw-cohort-results table.bw-stack td,
  .bw-cohort-results table.bw-stack th { display: block; border: 0; padding: 1px 0; }
  .bw-cohort-results table.bw-stack tr { border-bottom: 1px solid #d9e2ec; padding: 4px 0; }
  .bw-cohort-results table.bw-stack td::before { content: attr(data-label) ": ";
    color: #52606d; }
  .bw-bar-cell { width: 30%; }
}
"""
