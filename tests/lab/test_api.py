"""The server extension's REST API, on a real Jupyter server (pytest-jupyter's jp_fetch)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import nbformat
import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import HTTPClientError

from buyin_workbook.store import WorkbookStore

API = "buyin-workbook/api"


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite'}"


@pytest.fixture()
def workbook_language() -> str:
    """``WorkbookConfig.language`` of the server (a test may set it by parametrizing)."""
    return ""


@pytest.fixture()
def jp_server_config(db_url: str, workbook_language: str) -> dict:
    return {
        "ServerApp": {"jpserver_extensions": {"buyin_workbook": True}},
        "WorkbookConfig": {"db_url": db_url, "language": workbook_language},
    }


async def fetch_json(jp_fetch, *parts: str, **kwargs) -> tuple[int, dict]:
    response = await jp_fetch(API, *parts, **kwargs)
    return response.code, json.loads(response.body)


async def fails(jp_fetch, *parts: str, **kwargs) -> tuple[int, str]:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(API, *parts, **kwargs)
    body = caught.value.response.body if caught.value.response else b"{}"
    return caught.value.code, json.loads(body or b"{}").get("message", "")


async def test_exercises_list_every_exercise_the_summary_and_the_facilitators_notebook(jp_fetch):
    code, data = await fetch_json(jp_fetch, "exercises")
    assert code == 200
    ids = [entry["id"] for entry in data["exercises"]]
    assert ids == ["choice", "selfcheck", "motivators", "stakeholders", "summary", "cohort"]
    assert data["exercises"][-1]["notebook"] == "06-cohort.ipynb"
    assert data["exercises"][0]["question"].startswith("How much can my team shape")


async def test_plans_show_progress_and_the_current_plan(jp_fetch, db_url: str):
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Q3 <b>migration</b>")
        store.save_answer(plan.id, "selfcheck", "stance", "aligned")
        other = store.create_plan("Rota")
    code, data = await fetch_json(jp_fetch, "plans")
    assert code == 200
    (q3,) = [p for p in data["plans"] if p["id"] == plan.id]
    assert q3["name"] == "Q3 <b>migration</b>"
    progress = {e["id"]: e["progress"] for e in q3["exercises"]}
    assert progress == {
        "choice": "not started",
        "selfcheck": "in progress",
        "motivators": "not started",
        "stakeholders": "not started",
    }
    last = {e["id"]: e["last_changed"] for e in q3["exercises"]}
    assert last["choice"] is None and last["selfcheck"].startswith("20")

    code, _ = await fetch_json(jp_fetch, "plans", str(other.id), "current", method="PUT", body="")
    assert code == 200
    _, data = await fetch_json(jp_fetch, "plans")
    assert [p["name"] for p in data["plans"] if p["current"]] == ["Rota"]


async def test_create_a_plan_and_refuse_bad_names(jp_fetch):
    code, data = await fetch_json(
        jp_fetch, "plans", method="POST", body=json.dumps({"name": "  New rota "})
    )
    assert (code, data["plan"]["name"]) == (201, "New rota")
    assert await fails(jp_fetch, "plans", method="POST", body=json.dumps({"name": "new ROTA"})) == (
        400,
        "You already have a plan called “New rota”. Pick another name.",
    )
    code, message = await fails(jp_fetch, "plans", method="POST", body="not json")
    assert (code, message) == (400, "The request body is not JSON.")
    code, message = await fails(jp_fetch, "plans", method="POST", body=json.dumps([1]))
    assert code == 400 and "JSON object" in message


@pytest.mark.parametrize("workbook_language", ["de"])
async def test_the_apis_refusals_are_said_in_the_leaders_language(jp_fetch):
    """What the sidebar and JupyterLab's dialogs show of a refusal: the workbook's own
    words and a store's, in the leader's language, with their blanks filled."""
    await fetch_json(jp_fetch, "plans", method="POST", body=json.dumps({"name": "Umzug"}))
    refusals = [
        (("plans",), json.dumps({"name": "umzug"}), 400, "Sie haben schon ein Vorhaben"),
        (("plans",), "kein json", 400, "Der Inhalt der Anfrage ist kein JSON."),
        (("copies",), json.dumps({"exercise": "tarot"}), 400, "Unbekannte Übung 'tarot'"),
        (("plans", "999", "current"), "{}", 404, "Kein Vorhaben 999."),
    ]
    for parts, body, status, said in refusals:
        method = "PUT" if parts[-1] == "current" else "POST"
        code, message = await fails(jp_fetch, *parts, method=method, body=body)
        assert code == status and message.startswith(said), (parts, message)


async def test_copies_are_made_once_and_never_overwritten(jp_fetch, jp_root_dir: Path):
    code, data = await fetch_json(
        jp_fetch, "copies", method="POST", body=json.dumps({"exercise": "choice"})
    )
    assert (code, data) == (
        201,
        {"path": "buyin-workbook/01-how-much-choice.ipynb", "created": True},
    )
    copy = jp_root_dir / "buyin-workbook" / "01-how-much-choice.ipynb"
    notebook = json.loads(copy.read_text())
    assert "ChoiceExercise()" in "".join(notebook["cells"][0]["source"])
    copy.write_text(copy.read_text().replace("ChoiceExercise()", "ChoiceExercise()  # mine"))
    code, data = await fetch_json(
        jp_fetch, "copies", method="POST", body=json.dumps({"exercise": "choice"})
    )
    assert (code, data["created"]) == (200, False)
    assert "# mine" in copy.read_text()
    code, data = await fetch_json(
        jp_fetch, "copies", method="POST", body=json.dumps({"exercise": "summary"})
    )
    assert data["path"] == "buyin-workbook/05-summary.ipynb"


@pytest.mark.parametrize(
    ("workbook_language", "heading", "card"),
    [
        ("de", "# Ihr Kurs in pandas", "Mein Kurs in Zahlen (Moderation)"),
        ("fr", "# Votre formation dans pandas", "Ma formation en chiffres (animation)"),
        ("es", "# Su curso en pandas", "Mi curso en cifras (facilitación)"),
        ("", "# Your cohort in pandas", "My course cohort in figures (facilitator)"),
    ],
)
async def test_a_copy_of_the_facilitators_notebook_reads_in_the_leaders_language(
    jp_fetch, jp_root_dir: Path, heading: str, card: str
):
    """Its launcher card and its Markdown cells in the leader's language; its code as the
    workbook's own notebook has it, so it runs the same in every language."""
    from buyin_workbook import notebooks_dir

    code, data = await fetch_json(jp_fetch, "exercises")
    assert data["exercises"][-1]["title"] == card
    code, data = await fetch_json(
        jp_fetch, "copies", method="POST", body=json.dumps({"exercise": "cohort"})
    )
    assert code == 201
    copy = nbformat.read(jp_root_dir / data["path"], as_version=4)
    original = nbformat.read(notebooks_dir() / "06-cohort.ipynb", as_version=4)
    nbformat.validate(copy)
    assert copy.cells[0].source.startswith(heading + "\n")
    assert [c.source for c in copy.cells if c.cell_type == "code"] == [
        c.source for c in original.cells if c.cell_type == "code"
    ]
    markdown = [c.source for c in copy.cells if c.cell_type == "markdown"]
    english = [c.source for c in original.cells if c.cell_type == "markdown"]
    translated = sum(mine != theirs for mine, theirs in zip(markdown, english, strict=True))
    assert translated == (0 if heading.startswith("# Your") else len(english))


@pytest.mark.parametrize(
    "body, message",
    [
        ({"exercise": "tarot"}, "Unknown exercise 'tarot'"),
        ({}, "Unknown exercise None"),
        ({"exercise": "choice", "folder": "../outside"}, "inside the server's root"),
        ({"exercise": "choice", "folder": "/etc"}, "inside the server's root"),
        ({"exercise": "choice", "folder": 7}, "inside the server's root"),
    ],
)
async def test_bad_copy_requests_get_400_with_a_message(jp_fetch, jp_root_dir: Path, body, message):
    code, text = await fails(jp_fetch, "copies", method="POST", body=json.dumps(body))
    assert code == 400 and message in text
    assert not (jp_root_dir.parent / "outside").exists()


async def test_report_is_the_plans_html_with_no_script(jp_fetch, db_url: str):
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("<script>alert(1)</script>")
    response = await jp_fetch(API, "report", str(plan.id))
    html = response.body.decode()
    assert response.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    with pytest.raises(HTTPClientError) as missing:
        await jp_fetch(API, "report", "999")
    assert missing.value.code == 404


async def test_every_endpoint_needs_a_logged_in_user(jp_fetch):
    for parts, method, body in (
        (("exercises",), "GET", None),
        (("plans",), "GET", None),
        (("copies",), "POST", "{}"),
        (("report", "1"), "GET", None),
        (("plans", "1", "current"), "PUT", ""),
    ):
        code, _ = await fails(
            jp_fetch,
            *parts,
            method=method,
            body=body,
            headers={"Authorization": "token wrong"},
            follow_redirects=False,
        )
        # The API refuses; the report, a page, sends the browser to the login page.
        assert code == (302 if parts[0] == "report" else 403), parts


class NoWorkbook(Authorizer):
    """Lets a user use the server but not the workbook's API."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return resource != "buyin-workbook"


class TestAuthorization:
    @pytest.fixture()
    def jp_server_config(self, db_url: str) -> dict:
        return {
            "ServerApp": {
                "jpserver_extensions": {"buyin_workbook": True},
                "authorizer_class": NoWorkbook,
            },
            "WorkbookConfig": {"db_url": db_url},
        }

    async def test_an_unauthorized_user_is_refused(self, jp_fetch):
        code, _ = await fails(jp_fetch, "exercises")
        assert code == 403
        assert (await jp_fetch("api", "contents")).code == 200  # the rest of the server works


class TestDamagedDatabase:
    @pytest.fixture()
    def jp_server_config(self, tmp_path: Path) -> dict:
        broken = tmp_path / "broken.sqlite"
        broken.write_bytes(b"not a database" * 50)
        return {
            "ServerApp": {"jpserver_extensions": {"buyin_workbook": True}},
            "WorkbookConfig": {"db_url": f"sqlite:///{broken}"},
        }

    async def test_a_damaged_database_answers_503_with_its_message(self, jp_fetch):
        code, message = await fails(jp_fetch, "plans")
        assert code == 503 and "cannot be read" in message


async def test_numbers_too_big_for_an_id_and_deeply_nested_bodies_get_clear_answers(jp_fetch):
    code, message = await fails(jp_fetch, "plans", str(10**23), "current", method="PUT", body="")
    assert code == 404 and "No plan" in message
    with pytest.raises(HTTPClientError) as missing:
        await jp_fetch(API, "report", str(10**23))
    assert missing.value.code == 404
    code, message = await fails(jp_fetch, "plans", method="POST", body="[" * 30_000 + "]" * 30_000)
    assert (code, message) == (400, "The request body is nested too deeply.")
    # A body bigger than any the API takes is refused unread.
    code, message = await fails(
        jp_fetch, "plans", method="POST", body="[" * 100_000 + "]" * 100_000
    )
    assert (code, message) == (413, "The request body is over 64 KB.")


async def test_a_copy_in_a_nested_folder_makes_each_folder(jp_fetch, jp_root_dir: Path):
    code, data = await fetch_json(
        jp_fetch,
        "copies",
        method="POST",
        body=json.dumps({"exercise": "selfcheck", "folder": "coaching/2027/q1"}),
    )
    assert (code, data["path"]) == (201, "coaching/2027/q1/02-am-i-bought-in.ipynb")
    assert (jp_root_dir / "coaching" / "2027" / "q1" / "02-am-i-bought-in.ipynb").is_file()


class TestDatabaseDamagedWhileServing:
    @pytest.fixture()
    def jp_server_config(self, db_url: str) -> dict:
        return {
            "ServerApp": {"jpserver_extensions": {"buyin_workbook": True}},
            "WorkbookConfig": {"db_url": db_url},
        }

    async def test_it_answers_503_naming_the_damage_not_500(self, jp_fetch, db_url: str):
        assert (await jp_fetch(API, "plans")).code == 200  # the server's store is open
        with WorkbookStore(db_url) as store:
            plan = store.create_plan("Q3")
            for index in range(100):
                store.save_answer(plan.id, "choice", f"k{index}", "x" * 300)
        path = Path(db_url.removeprefix("sqlite:///"))
        with sqlite3.connect(path) as conn:  # all of it into the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        with path.open("r+b") as raw:
            raw.seek(4096)
            raw.write(b"\xff" * 4096 * 20)
        for endpoint in (("plans",), ("report", str(plan.id))):
            with pytest.raises(HTTPClientError) as caught:
                await jp_fetch(API, *endpoint)
            body = caught.value.response.body.decode() if caught.value.response else ""
            assert caught.value.code == 503, endpoint
            assert "has been damaged" in body and "SELECT" not in body


@pytest.mark.parametrize(
    ("lab_setting", "workbook_language", "title"),
    [
        (
            '{\n  // Settings > Language\n  "locale": "de_DE"\n}',
            "",
            "Wie viel Wahl kann ich geben?",
        ),
        (
            '{"locale": "pt_BR"}',
            "fr",
            "Quelle part de choix puis-je donner ?",
        ),  # not the workbook's
        ('{"locale": "default"}', "es", "¿Cuánta elección puedo dar?"),
        ("", "", "How much choice can I give?"),
    ],
)
async def test_the_launchers_cards_follow_jupyterlabs_language_then_the_workbooks(
    jp_fetch, tmp_path: Path, monkeypatch, lab_setting: str, title: str
):
    """JupyterLab's Settings > Language first (its user settings, JSON with comments), then
    ``WorkbookConfig.language``, else English; the kernels read the same."""
    settings = tmp_path / "lab-settings"
    if lab_setting:
        where = settings / "@jupyterlab" / "translation-extension"
        where.mkdir(parents=True)
        (where / "plugin.jupyterlab-settings").write_text(lab_setting, "utf-8")
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    code, data = await fetch_json(jp_fetch, "exercises")
    assert code == 200 and data["exercises"][0]["title"] == title
