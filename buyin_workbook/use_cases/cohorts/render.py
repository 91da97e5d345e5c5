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
from ...languages import N_, Nn_, Translator, translator
from .results import ExerciseResults

_NO_FIGURES = N_(
    "No figures yet: {need} (people who have finished this exercise). Figures are never shown "
    "for a smaller group, so no one's answers can be picked out."
)
_NEEDED = N_("{have} of {need} needed")
_DRAWN = Nn_(
    "Drawn from the {count} person who had finished by {when} UTC.",
    "Drawn from the {count} people who had finished by {when} UTC.",
)
_FINISHED_NOW = Nn_("{count} has finished now", "{count} have finished now")
_TOO_FEW_NEW = N_(
    "{now}: fewer than the {need} new figures need, so these figures stay as they are."
)
_CAME = N_(
    "{now}: these figures take in the newest answers once at least {need} people differ from "
    "this group, so no one's answers can be worked out from the change."
)
_NOW_AND_WHY = N_("{now}. {why}")
_NO_ONE = N_("No one has given this yet.")
_YOU = N_("◆ you")
_ALL = N_("All")
_FIGURE = N_("Figure")
_ITEM = N_("Item")
_MEDIAN = N_("Median")
_MIDDLE_HALF = N_("Middle half")
_RANGE = N_("{low} to {high}")
_LEGEND = N_("Legend")
_ANSWER = N_("Answer")
_PEOPLE = N_("People")
_SHARE = N_("Share")
_OF = N_("{count} of {n}")
_AVERAGE_PLACE = N_("average place {place}")
_YOURS = N_("yours: {place}")
_OVER = Nn_("Over {count} person.", "Over {count} people.")
_YES = N_("Yes")
#: A legend band's column, by its id.
_BANDS = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}


def results_html(
    results: ExerciseResults, own: CohortValues | None = None, words: Translator | None = None
) -> str:
    """Each measure's figures (or why they are withheld); ``own`` marks a participant's
    own answers. In ``words``' language (English by default): the measures' own words come
    from the exercise's content in that language."""
    say = words or translator()
    parts = []
    if results.release is None:
        need = (
            results.waiting.message(say)
            if results.waiting
            else say.gettext(_NEEDED, have=say.number(0), need=say.number(results.min_group))
        )
        parts.append(f'<p class="bw-withheld">{escape(say.gettext(_NO_FIGURES, need=need))}</p>')
    else:
        drawn = len(results.release.contributors)
        when = results.release.released_at[:16].replace("T", " ")
        parts.append(
            f'<p class="bw-cohort-drawn">{escape(say.ngettext(*_DRAWN, drawn, when=when))}</p>'
        )
        if results.waiting is not None:
            waiting = _waiting_text(results, say)
            parts.append(f'<p class="bw-cohort-waiting">{escape(waiting)}</p>')
        for measure in results.measures:
            parts.append(_measure_html(results, measure, own, say))
    exercise = escape(results.exercise)
    return f'<div class="bw-cohort-results" data-exercise="{exercise}">{"".join(parts)}</div>'


def _waiting_text(results: ExerciseResults, say: Translator) -> str:
    """Why the figures shown do not take in the newest answers yet."""
    waiting = results.waiting
    assert waiting is not None and results.release is not None
    more = results.finished - len(results.release.contributors)
    now = say.ngettext(*_FINISHED_NOW, results.finished) + (f" ({more:+d})" if more else "")
    need = say.number(results.min_group)
    if waiting.reason == "too_few":
        return say.gettext(_TOO_FEW_NEW, now=now, need=need)
    if waiting.reason == "difference" and waiting.moved == "came":
        return say.gettext(_CAME, now=now, need=need)
    return say.gettext(_NOW_AND_WHY, now=now, why=waiting.message(say))


def _measure_html(
    results: ExerciseResults, measure: CohortMeasure, own: CohortValues | None, say: Translator
) -> str:
    mine = None if own is None else own.get(measure.id)
    head = (
        f'<section class="bw-cohort-measure" data-measure="{escape(measure.id)}">'
        f"<h3>{escape(measure.title)}</h3>"
        + (f'<p class="bw-muted">{escape(measure.explain)}</p>' if measure.explain else "")
    )
    if measure.kind in ("number", "items"):
        body = _spread_table(results, measure, mine, say)
    else:
        value, reason = results.cell(measure.id)
        if reason is not None or value is None:
            body = _withheld(reason, say)
        elif measure.kind in ("category", "categories"):
            body = _counts_table(measure, value, mine, say)
        elif measure.kind == "ranking":
            body = _ranking_list(measure, value, mine, say)
        else:
            body = _flag(measure, value, mine, say)
    return head + body + "</section>"


def _you(say: Translator) -> str:
    return f'<span class="bw-you">{escape(say.gettext(_YOU))}</span>'


def _withheld_text(reason: Withheld | None, say: Translator) -> str:
    return reason.message(say) if reason is not None else say.gettext(_NO_ONE)


def _withheld(reason: Withheld | None, say: Translator) -> str:
    return f'<p class="bw-withheld">{escape(_withheld_text(reason, say))}</p>'


def _figure(say: Translator, value: float) -> str:
    return say.number(round(value, 2))


def _spread_table(
    results: ExerciseResults, measure: CohortMeasure, mine: CohortValue | None, say: Translator
) -> str:
    items = [""] if measure.kind == "number" else list(measure.labels)
    rows = []
    for item in items:
        key = measure.id if measure.kind == "number" else f"{measure.id}/{item}"
        value, reason = results.cell(key)
        if value is None and reason is None:
            continue
        name = measure.label(item) if item else say.gettext(_ALL)
        own_number = mine.get(item) if isinstance(mine, dict) else mine if item == "" else None
        if value is None:
            rows.append(
                f'<tr><th scope="row">{escape(name)}</th>'
                f'<td colspan="{2 + len(measure.bands)}" class="bw-withheld">'
                f"{escape(_withheld_text(reason, say))}</td></tr>"
            )
            continue
        own_band = (
            measure.band(float(own_number)).id
            if isinstance(own_number, int | float) and not isinstance(own_number, bool)
            else None
        )
        bands = "".join(
            f'<td data-label="{escape(band.label)}">{value["bands"].get(band.id, 0)}'
            + (f" {_you(say)}" if band.id == own_band else "")
            + "</td>"
            for band in measure.bands
        )
        median, middle = escape(say.gettext(_MEDIAN)), escape(say.gettext(_MIDDLE_HALF))
        spread = say.gettext(_RANGE, low=_figure(say, value["q1"]), high=_figure(say, value["q3"]))
        rows.append(
            f'<tr><th scope="row">{escape(name)}</th>'
            f'<td data-label="{median}">{_figure(say, value["median"])}</td>'
            f'<td data-label="{middle}">{escape(spread)}</td>{bands}</tr>'
        )
    if not rows:
        return _withheld(None, say)
    header = "".join(
        f'<th scope="col">{escape(say.gettext(_BANDS[b.id]) if b.id in _BANDS else b.id)}</th>'
        for b in measure.bands
    )
    legend = "".join(f"<li>{escape(b.label)}</li>" for b in measure.bands)
    first_column = _FIGURE if measure.kind == "number" else _ITEM
    first = say.gettext(first_column)
    return (
        f'<table class="bw-cohort-table bw-stack"><thead><tr><th scope="col">{escape(first)}'
        f'</th><th scope="col">{escape(say.gettext(_MEDIAN))}</th>'
        f'<th scope="col">{escape(say.gettext(_MIDDLE_HALF))}</th>'
        + header
        + "</tr></thead><tbody>"
        + "".join(rows)
        + f'</tbody></table><ul class="bw-legend" aria-label="{escape(say.gettext(_LEGEND))}">'
        + legend
        + "</ul>"
    )


def _counts_table(
    measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None, say: Translator
) -> str:
    chosen = set(mine) if isinstance(mine, list) else {mine} if isinstance(mine, str) else set()
    n = value["n"]
    people = escape(say.gettext(_PEOPLE))
    rows = []
    for item, label in measure.labels.items():
        count = value["counts"].get(item, 0)
        width = round(100 * count / n) if n else 0
        share = say.gettext(_OF, count=say.number(count), n=say.number(n))
        rows.append(
            f'<tr><th scope="row">{escape(label)}{" " + _you(say) if item in chosen else ""}</th>'
            f'<td data-label="{people}">{escape(share)}</td>'
            f'<td class="bw-bar-cell" aria-hidden="true"><span class="bw-bar" '
            f'style="width:{width}%"></span></td></tr>'
        )
    return (
        f'<table class="bw-cohort-table"><thead><tr><th scope="col">'
        f"{escape(say.gettext(_ANSWER))}</th>"
        f'<th scope="col">{people}</th><th scope="col"><span class="bw-visually-hidden">'
        f"{escape(say.gettext(_SHARE))}</span></th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _ranking_list(
    measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None, say: Translator
) -> str:
    places = value["places"]
    own = {item: place for place, item in enumerate(mine, 1)} if isinstance(mine, list) else {}
    ordered = sorted(places, key=lambda item: (places[item], list(measure.labels).index(item)))

    def where(item: str) -> str:
        said = say.gettext(_AVERAGE_PLACE, place=_figure(say, places[item]))
        if item in own:
            said += "; " + say.gettext(_YOURS, place=say.number(own[item]))
        return escape(said)

    items = "".join(
        f'<li>{escape(measure.label(item))} <span class="bw-muted">({where(item)})</span></li>'
        for item in ordered
    )
    over = escape(say.ngettext(*_OVER, value["n"]))
    return f'<p class="bw-muted">{over}</p><ol class="bw-ranking">{items}</ol>'


def _flag(
    measure: CohortMeasure, value: dict[str, Any], mine: CohortValue | None, say: Translator
) -> str:
    yes, n = value["yes"], value["n"]
    label = measure.labels.get("yes", say.gettext(_YES))
    own = ""
    if isinstance(mine, bool):
        own = f" {_you(say)}: {escape(measure.labels.get('yes' if mine else 'no', str(mine)))}"
    share = say.gettext(_OF, count=say.number(yes), n=say.number(n))
    return f'<p class="bw-cohort-flag">{escape(label)}: {escape(share)}.{own}</p>'


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
