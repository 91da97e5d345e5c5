"""Charts leave the kernel as Vega-Lite specs: an exercise kernel never loads vl-convert, nor
builds the IRI grammar jsonschema would import (see buyin_workbook/kit/_lean_imports.py)."""

from __future__ import annotations

import importlib.util
import json

import pytest
from altair.utils import schemapi

from buyin_workbook.exercises.choice import charts as choice_charts
from buyin_workbook.exercises.choice import scoring as choice_scoring
from buyin_workbook.exercises.selfcheck import charts as selfcheck_charts
from buyin_workbook.exercises.selfcheck.content import load_content as selfcheck_content
from buyin_workbook.exercises.stakeholders import charts as stakeholders_charts
from buyin_workbook.exercises.stakeholders import scoring as stakeholders_scoring
from buyin_workbook.kit.charts import VEGALITE_MIME
from buyin_workbook.store import WorkbookStore
from tests.exercises.choice.test_charts import rated
from tests.exercises.stakeholders.test_scoring import complete
from tests.plugin.fresh import fresh_python
from tests.plugin.samples import choice_done


def _run(code: str) -> dict:
    return json.loads(fresh_python(code).splitlines()[-1])


def test_an_exercise_page_draws_its_charts_without_vl_convert_or_the_iri_grammar(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'workbook.sqlite'}"
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Charts")
        store.remember_plan(plan.id)
        choice_done(store, plan.id)
    shown = _run(
        "import json, sys\n"
        "from buyin_workbook.exercises.choice import ChoiceExercise\n"
        "from buyin_workbook.store import WorkbookStore\n"
        f"view = ChoiceExercise(WorkbookStore({db_url!r}))\n"
        "outputs = [o for out in (view.chart, view.headroom) for o in out.outputs]\n"
        "print(json.dumps({'mimetypes': [sorted(o['data']) for o in outputs],\n"
        "  'vl_convert': 'vl_convert' in sys.modules,\n"
        "  'grammar': sys.modules.get('rfc3987_syntax') is not None}))\n"
    )
    assert shown["mimetypes"] == [[VEGALITE_MIME, "text/plain"]] * 2
    assert shown == {**shown, "vl_convert": False, "grammar": False}


@pytest.mark.skipif(
    importlib.util.find_spec("rfc3987_syntax") is None,
    reason="rfc3987_syntax is not installed here, so there is no IRI check to keep",
)
def test_a_process_that_imported_jsonschema_first_keeps_its_iri_checks():
    kept = _run(
        "import json, sys, jsonschema, buyin_workbook.exercises\n"
        "print(json.dumps({'grammar': sys.modules.get('rfc3987_syntax') is not None}))\n"
    )
    assert kept == {"grammar": True}


def test_charts_are_built_without_altairs_schema_lookup(monkeypatch):
    """A chart is rebuilt on every answer: no channel may go through altair's ``from_dict``,
    which hashes the whole Vega-Lite schema each time (give channels as objects, not
    ``"field:type"`` strings or dicts; see ``tooltips`` in buyin_workbook/kit/charts.py)."""
    lookups = []
    real_init = schemapi._FromDict.__init__

    def counted(self, *args, **kwargs):
        lookups.append(args)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counted)
    frame = choice_scoring.ratings_frame(rated())
    built = [
        choice_charts.choice_chart(frame),
        choice_charts.headroom_chart(choice_scoring.headroom_by_decision(frame)),
        selfcheck_charts.ladder_chart(selfcheck_content().attitudes[0].id),
        stakeholders_charts.grid_chart(stakeholders_scoring.analyse(complete()).grid),
    ]
    for chart in built:
        chart.to_dict(validate=False)
    assert lookups == []


def _tooltip_titles(spec: object) -> list[str]:
    """Every tooltip heading anywhere in a chart's spec."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip" and isinstance(value, list):
                found += [tip.get("title", f"<{tip.get('field')}>") for tip in value]
            else:
                found += _tooltip_titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _tooltip_titles(item)
    return found


def test_the_charts_tooltips_are_headed_in_the_pages_language():
    """Hovering a point shows its fields under words of the page's language, never the
    frame's column names."""
    from buyin_workbook.exercises.choice.content import load_content as choice_content
    from buyin_workbook.exercises.stakeholders.content import load_content as stakeholders_content

    frame = choice_scoring.ratings_frame(rated())
    charts = {
        "choice": choice_charts.choice_chart(frame, choice_content("de")),
        "headroom": choice_charts.headroom_chart(
            choice_scoring.headroom_by_decision(frame), choice_content("de")
        ),
        "grid": stakeholders_charts.grid_chart(
            stakeholders_scoring.analyse(complete()).grid, stakeholders_content("de")
        ),
    }
    titles = {name: _tooltip_titles(chart.to_dict()) for name, chart in charts.items()}
    assert set(titles["choice"]) == {"Entscheidung", "Was oder wie", "Wann", "Stufe"}
    assert titles["headroom"] == ["Entscheidung", "WAS", "WIE", "Stufen insgesamt"]
    assert titles["grid"] == [
        "Stakeholder",
        "Einfluss",
        "Betroffenheit",
        "Ihre Haltung",
        "Wo sie stehen",
    ]
