"""The summary report: built from a real store, written in every format, user text escaped."""

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from buyin_workbook.report import build_report, export, to_html, to_markdown
from buyin_workbook.report.render import ReportError, write_pdf
from buyin_workbook.store import WorkbookStore
from tests.plugin.samples import NASTY, choice_done


@pytest.fixture()
def store(tmp_path: Path):
    with WorkbookStore(f"sqlite:///{tmp_path / 'w.sqlite'}") as opened:
        yield opened


def plan_with_some_exercises(store: WorkbookStore) -> int:
    plan = store.create_plan(f"Q3 {NASTY}")
    choice_done(store, plan.id)
    store.save_answer(
        plan.id,
        "summary",
        "actions",
        [
            {"id": "a", "what": f"Ask the team {NASTY}", "who": "Me", "by_when": "2027-01-15"},
            {"id": "b", "what": "   ", "who": "", "by_when": None},
        ],
    )
    return plan.id


def test_a_plan_with_only_some_exercises_done(store: WorkbookStore):
    report = build_report(store, plan_with_some_exercises(store))
    by_id = {s.exercise: s for s in report.sections}
    assert by_id["choice"].progress == "in progress"
    assert [c.name for c in by_id["choice"].charts] == [
        "choice-today-and-possible",
        "choice-headroom",
    ]
    assert by_id["selfcheck"].progress == "not started"
    assert by_id["selfcheck"].paragraphs == ["Not started yet."]
    assert by_id["motivators"].charts == []
    assert [a.what for a in report.actions] == [f"Ask the team {NASTY}"]  # blank row dropped
    assert report.actions[0].by_when == date(2027, 1, 15)
    assert report.trend is None


def test_html_is_self_contained_offline_and_escapes_user_text(store: WorkbookStore):
    html = to_html(build_report(store, plan_with_some_exercises(store)))
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    images = re.findall(r'src="data:image/svg\+xml;base64,', html)
    assert len(images) == 2


def test_markdown_escapes_user_text(store: WorkbookStore):
    markdown = to_markdown(build_report(store, plan_with_some_exercises(store)))
    assert "<script>" not in markdown
    assert r"&lt;script\>" in markdown
    assert r"\*bold\*" in markdown and r"\[link\]" in markdown
    assert "| Ask the team" in markdown


def test_export_writes_every_format(tmp_path: Path, store: WorkbookStore):
    plan_id = plan_with_some_exercises(store)
    made = export(store, plan_id, tmp_path / "out")
    assert set(made) == {"html", "md", "pdf", "charts", "json", "share"}
    charts = {p.name for p in made["charts"]}
    assert charts == {
        "choice-today-and-possible.svg",
        "choice-today-and-possible.png",
        "choice-headroom.svg",
        "choice-headroom.png",
    }
    for path in made["charts"]:
        head = path.read_bytes()[:8]
        assert head == b"\x89PNG\r\n\x1a\n" if path.suffix == ".png" else head.startswith(b"<svg")
    with zipfile.ZipFile(made["share"][0]) as bundle:
        assert sorted(bundle.namelist()) == ["answers.json", "report.html"]
        assert b"buyin-workbook.plan" in bundle.read("answers.json")
    pdf = PdfReader(made["pdf"][0])
    assert len(pdf.pages) >= 2
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "How much choice can I give?" in text
    assert "<script>alert('x')</script>" in text  # shown as text, not run or dropped
    # Laid out as a printed report: the first chart shares page 1 with its section, the
    # date reads as a person writes it, and a section's status stays on its heading's line.
    first = pdf.pages[0].extract_text()
    assert "Delegation level" in first, "the first chart was pushed off page 1"
    assert "UTC" in text and "+00:00" not in text and "T" not in made_at_line(text)
    assert "How much choice can I give? (in progress)" in " ".join(text.split())
    assert "\n(not started)" not in text  # a status never on a line of its own


def test_unknown_format_and_missing_chromium_say_what_to_do(
    tmp_path: Path, store: WorkbookStore, monkeypatch
):
    plan_id = plan_with_some_exercises(store)
    with pytest.raises(ReportError, match="Unknown format"):
        export(store, plan_id, tmp_path, ("docx",))
    monkeypatch.setenv("PATH", str(tmp_path))  # no Chromium on this PATH
    with pytest.raises(ReportError, match=r"needs Chromium.*apt-get install chromium"):
        write_pdf("<p>x</p>", tmp_path / "x.pdf")


def test_trend_appears_with_two_snapshots_of_a_figure(store: WorkbookStore):
    from buyin_workbook.exercises import EXERCISES

    plan_id = plan_with_some_exercises(store)
    values = {k: a.value for k, a in store.answers(plan_id, "choice").items()}
    store.take_snapshot(
        plan_id, "choice", reason="completed", figures=EXERCISES["choice"].figures(values)
    )
    store.save_answer(plan_id, "choice", "rating/d0/what/possible", 7)
    values = {k: a.value for k, a in store.answers(plan_id, "choice").items()}
    store.take_snapshot(
        plan_id, "choice", reason="requested", figures=EXERCISES["choice"].figures(values)
    )
    trend = build_report(store, plan_id).trend
    assert trend is not None
    # 3 + 4, 0 + 1, 2 + 0 levels, then the deadline's WHAT opened up to 7: three more.
    assert "choice headroom (levels): 10 → 13" in trend.description
    spec = trend.chart.to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["x"]["field"] == "snapshot"  # not clock ticks
    # In German the figures have German names (kept in English in the snapshots).
    german = build_report(store, plan_id, "de").trend
    assert german is not None and "Spielraum bei der Wahl (Stufen): 10 → 13" in german.description
    names = {row["figure"] for row in next(iter(german.chart.to_dict()["datasets"].values()))}
    assert "choice headroom (levels)" not in names and "Spielraum bei der Wahl (Stufen)" in names


def test_the_history_follows_where_each_stakeholder_stands(store: WorkbookStore):
    from buyin_workbook.exercises import EXERCISES

    plan = store.create_plan("Rota")
    store.save_answer(plan.id, "stakeholders", "stakeholders", [{"id": "cfo", "name": "CFO"}])
    for state in ("compliance", "enrollment"):
        store.save_answer(plan.id, "stakeholders", "stakeholder/cfo/state", state)
        values = {k: a.value for k, a in store.answers(plan.id, "stakeholders").items()}
        store.take_snapshot(
            plan.id,
            "stakeholders",
            reason="requested",
            figures=EXERCISES["stakeholders"].figures(values),
        )
    trend = build_report(store, plan.id).trend
    assert trend is not None
    assert "where CFO stands (10 commitment … 1 apathy): 4 → 9" in trend.description
    # A name with a blank is found by its template, in each language.
    for language, said in {
        "de": "wo CFO steht (10 Engagement … 1 Apathie): 4 → 9",
        "fr": "où en est CFO (10 engagement … 1 apathie) : 4 → 9",
        "es": "dónde está CFO (10 compromiso … 1 apatía): 4 → 9",
    }.items():
        translated = build_report(store, plan.id, language).trend
        assert translated is not None and said in translated.description, language


def test_snapshots_are_labelled_by_date_with_the_time_only_when_needed():
    import pandas as pd

    from buyin_workbook.report.build import snapshot_labels

    stamps = [
        pd.Timestamp(text, tz="UTC")
        for text in (
            "2026-11-20T09:00:00",
            "2026-11-26T11:51:26",
            "2026-11-26T11:51:40",
            "2026-11-26T15:02:00",
        )
    ]
    assert list(snapshot_labels(stamps).values()) == [
        "20 Nov 2026",
        "26 Nov 2026 11:51:26",
        "26 Nov 2026 11:51:40",
        "26 Nov 2026 15:02",
    ]


def test_stakeholders_section_lists_champions_and_draws_the_grid(store: WorkbookStore):
    plan = store.create_plan("Rollout")
    store.save_answer(
        plan.id,
        "stakeholders",
        "stakeholders",
        [{"id": "vp", "name": "VP <b>Eng</b>"}, {"id": "pay", "name": "Payments"}],
    )
    for person, power, interest, state in (("vp", 5, 4, "agreement"), ("pay", 2, 5, "buy_in")):
        for field, value in (("power", power), ("interest", interest), ("state", state)):
            store.save_answer(plan.id, "stakeholders", f"stakeholder/{person}/{field}", value)
    store.save_answer(plan.id, "stakeholders", "stakeholder/pay/champion", True)
    store.save_answer(plan.id, "stakeholders", "stakeholder/pay/audience", "other team leads")
    report = build_report(store, plan.id)
    (section,) = [s for s in report.sections if s.exercise == "stakeholders"]
    assert section.progress == "in progress"
    assert ("Champion: Payments", "sells to other team leads") in section.facts
    assert [c.name for c in section.charts] == ["stakeholders-grid"]
    html = to_html(report)
    assert "VP &lt;b&gt;Eng&lt;/b&gt;" in html and "<b>Eng</b>" not in html


def made_at_line(text: str) -> str:
    """The report's "made ..." line, from the text of its PDF."""
    line = next(line for line in text.splitlines() if "summary, made" in line)
    return line.split("made", 1)[1].split("UTC")[0]


def test_readings_across_exercises_join_the_report_when_they_apply(store: WorkbookStore):
    """A leader at compliance recruiting champions; a goal compelling to the leader that
    feeds no one's top motivators; a team "involved early" yet told on every decision."""
    plan = store.create_plan("Across")
    quiet = build_report(store, plan.id)
    assert not any(s.exercise == "across" for s in quiet.sections)
    _seed_every_exercise(store, plan.id)
    report = build_report(store, plan.id)
    (across,) = [s for s in report.sections if s.exercise == "across"]
    assert across.title == "Across the exercises"
    text = " ".join(across.paragraphs)
    assert "recruiting champions while you are at formal compliance yourself" in text
    assert "You rate the goal compelling, yet the plan feeds little" in text
    assert "involved early, yet on every decision you rated the team is told" in text
    recruiting = "recruiting champions while you are at formal compliance yourself"
    assert recruiting in to_html(report) and recruiting in to_markdown(report)


def _fonts(pdf: PdfReader) -> list[tuple[str, bool]]:
    """Each font the PDF's pages use, and whether its glyphs are embedded in the file."""
    found = {}
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for part in descendants:
                descriptor = part.get_object().get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


def test_the_pdf_carries_every_letter_of_german_french_and_spanish(
    tmp_path: Path, store: WorkbookStore
):
    """A plan named and answered in other languages prints every letter (ß, ñ, œ, «», ¿,
    accents), in fonts embedded in the file, so it reads the same on any machine."""
    words = "Straße über Größe · « Cœur à l’ouvrage » · ¿Año nuevo? ¡Señal! · Ærø, Łódź"
    plan = store.create_plan(words)
    store.save_answer(plan.id, "choice", "reflection/hardest", words)
    made = export(store, plan.id, tmp_path / "out", ("pdf",))
    pdf = PdfReader(made["pdf"][0])
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for piece in ("Straße über Größe", "« Cœur à l’ouvrage »", "¿Año nuevo? ¡Señal!", "Łódź"):
        assert piece in text
    fonts = _fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts


def _seed_every_exercise(store: WorkbookStore, plan_id: int) -> None:
    """Answers in all four exercises (with a reading across them) and one action."""
    from buyin_workbook.exercises.choice.model import ChoiceAnswers, Decision
    from buyin_workbook.exercises.motivators.content import load_content as motivators
    from buyin_workbook.exercises.motivators.model import Member, MotivatorsAnswers
    from buyin_workbook.exercises.selfcheck.model import SelfCheckAnswers
    from buyin_workbook.exercises.stakeholders.model import Stakeholder, StakeholdersAnswers

    own = SelfCheckAnswers(attitude="formal_compliance", stance="aligned", scores={"compelling": 5})
    people = StakeholdersAnswers(
        stakeholders=[Stakeholder("cfo", "Finanzchefin", power=5, interest=5, champion=True)],
        strategies={"involved_early": "yes"},
    )
    ids = [m.id for m in motivators().motivators]
    team = MotivatorsAnswers(
        members=[Member("m", "Ana")], guesses={"m": ids}, effects={ids[-1]: "feeds"}
    )
    choice = ChoiceAnswers(decisions=[Decision(f"d{i}", f"Punkt {i}") for i in range(3)])
    for i in range(3):
        for dim in ("what", "how"):
            choice.ratings[(f"d{i}", dim, "today")] = 1
            choice.ratings[(f"d{i}", dim, "possible")] = 3
    for exercise, answers in (
        ("selfcheck", own),
        ("stakeholders", people),
        ("motivators", team),
        ("choice", choice),
    ):
        for key, value in answers.to_store().items():
            store.save_answer(plan_id, exercise, key, value)
    action = {"id": "a1", "what": "Teamrunde", "who": "Ich", "by_when": "2027-01-15"}
    store.save_answer(plan_id, "summary", "actions", [action])


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_report_reads_in_the_leaders_language_in_its_pdf_and_markdown(
    tmp_path: Path, store: WorkbookStore, language: str
):
    """A report made in German (French, Spanish) says every word of its own in that
    language: its headings, the exercises' titles, progress, facts, readings and charts'
    titles, read back out of the printed PDF and the Markdown."""
    from buyin_workbook.exercises import EXERCISES
    from buyin_workbook.languages import translator
    from tests.plugin.languages import english_left

    plan = store.create_plan("Umzug")
    _seed_every_exercise(store, plan.id)
    made = export(store, plan.id, tmp_path / "out", ("pdf", "md", "html"), language)
    pdf = PdfReader(made["pdf"][0])
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    markdown = made["md"][0].read_text("utf-8")
    names = ("Umzug", "Finanzchefin", "Ana", "Punkt", "Teamrunde", "Ich", "UTC")
    words = translator(language)
    for shown in (text, " ".join(markdown.split())):
        assert words.gettext("Actions") in shown
        for exercise in EXERCISES.values():
            assert exercise.content(language).title in shown
        assert english_left(shown, names=names) == [], shown
    assert f'<html lang="{language}">' in made["html"][0].read_text("utf-8")
