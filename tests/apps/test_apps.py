"""`jupyter workbook` as a user runs it: a real subprocess on a real database."""

import os
import subprocess
import sys
from pathlib import Path

from buyin_workbook.languages import translator
from buyin_workbook.store import WorkbookStore

COMMAND = [sys.executable, "-m", "jupyter", "workbook"]


def run(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url}
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=180
    )


def test_export_by_name_in_any_case(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.create_plan("Q3 Platform Migration")
    result = run(
        "export",
        "q3 platform migration",
        "--format=html,md,share",
        "--output=out",
        db_url=db_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "buyin-workbook-q3-platform-migration-for-my-coach.zip",
        "buyin-workbook-q3-platform-migration.html",
        "buyin-workbook-q3-platform-migration.md",
    ]
    assert "html  out/buyin-workbook-q3-platform-migration.html" in result.stdout


def test_an_unknown_plan_lists_the_real_ones_and_fails(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    with WorkbookStore(db_url) as store:
        store.create_plan("Rota")
    result = run("export", "Nope", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "No plan called “Nope”. Your plans: 1: Rota." in result.stderr


def test_a_damaged_database_is_reported_not_traced(tmp_path: Path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 10)
    result = run("export", "x", db_url=f"sqlite:///{broken}", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot be read" in result.stderr and "Traceback" not in result.stderr


def test_client_links_from_add_to_erase(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    added = run(
        "clients",
        "add",
        "Dana Lee",
        "--public-url=https://coach.example.org",
        db_url=db_url,
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    link = added.stdout.strip().splitlines()[-1]
    assert link.startswith("https://coach.example.org/?key=")
    key = link.split("key=")[1]
    with WorkbookStore(db_url) as store:
        assert store.client_for_key(key).name == "Dana Lee"
        dana = store.find_client("Dana Lee")
    with WorkbookStore(db_url, client_id=dana.id) as own:
        own.create_plan("Merger")
    listed = run("clients", "list", db_url=db_url, cwd=tmp_path)
    assert "Dana Lee  link works" in listed.stdout and "1 plan " in listed.stdout

    duplicate = run("clients", "add", "dana lee", db_url=db_url, cwd=tmp_path)
    assert duplicate.returncode == 1
    assert "already have a client called “Dana Lee”" in duplicate.stderr
    assert "Traceback" not in duplicate.stderr

    assert run("clients", "revoke", "DANA LEE", db_url=db_url, cwd=tmp_path).returncode == 0
    with WorkbookStore(db_url) as store:
        assert store.client_for_key(key) is None
    assert "link withdrawn" in run("clients", "list", db_url=db_url, cwd=tmp_path).stdout

    renewed = run("clients", "renew", "Dana Lee", db_url=db_url, cwd=tmp_path)
    new_key = renewed.stdout.strip().splitlines()[-1].split("key=")[1]
    with WorkbookStore(db_url) as store:
        assert store.client_for_key(new_key) is not None

    refused = run("clients", "erase", "Dana Lee", db_url=db_url, cwd=tmp_path)
    assert refused.returncode == 1  # no confirmation typed: nothing erased
    erased = run("clients", "erase", "Dana Lee", "--yes", db_url=db_url, cwd=tmp_path)
    assert erased.returncode == 0, erased.stderr
    with WorkbookStore(db_url) as store:
        assert store.clients() == []


def test_clients_commands_explain_mistakes(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    for args, message in [
        (("clients", "add"), "name one client"),
        (("clients", "add", "   "), "empty"),
        (("clients", "revoke", "Nobody"), "No client called “Nobody”"),
        (("clients", "list", "extra"), "takes no name"),
    ]:
        result = run(*args, db_url=db_url, cwd=tmp_path)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_coach_link_replaces_the_previous_one(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    first = run("clients", "coach-link", db_url=db_url, cwd=tmp_path).stdout
    second = run("clients", "coach-link", db_url=db_url, cwd=tmp_path).stdout
    first_key, second_key = (out.strip().split("coach?key=")[1] for out in (first, second))
    with WorkbookStore(db_url) as store:
        assert store.is_coach_key(second_key) and not store.is_coach_key(first_key)


def test_serve_refuses_a_newer_database_in_plain_words(tmp_path: Path):
    db_path = tmp_path / "coach.sqlite"
    WorkbookStore(f"sqlite:///{db_path}").open().close()
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    result = run("serve", "--port=0", db_url=f"sqlite:///{db_path}", cwd=tmp_path)
    assert result.returncode == 1
    assert "newer version of Buy-in Workbook" in result.stderr + result.stdout


def test_serve_takes_no_notebook(tmp_path: Path):
    result = run(
        "serve",
        "notebooks/01-how-much-choice.ipynb",
        db_url=f"sqlite:///{tmp_path / 'w.sqlite'}",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "takes no notebook or folder" in result.stderr


def test_client_links_say_what_they_assume_until_serve_has_run(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    before = run("clients", "add", "Dana", db_url=db_url, cwd=tmp_path).stdout
    assert "has not run on this store yet: links assume it will serve at" in before
    assert "http://127.0.0.1:8866/?key=" in before
    with WorkbookStore(db_url) as coach:
        coach.remember_link_base("http://127.0.0.1:9123/")
    after = run("clients", "add", "Sam", db_url=db_url, cwd=tmp_path).stdout
    assert "assume" not in after and "http://127.0.0.1:9123/?key=" in after
    public = run(
        "clients",
        "add",
        "Lee",
        "--public-url=https://coach.example.org",
        db_url=db_url,
        cwd=tmp_path,
    ).stdout
    assert "https://coach.example.org/?key=" in public


def test_a_coach_exports_a_clients_plan(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    with WorkbookStore(db_url) as coach:
        dana, _key = coach.add_client("Dana Lee")
        coach.create_plan("The coach's own plan")
    with WorkbookStore(db_url, client_id=dana.id) as own:
        own.create_plan("Merger")
    made = run(
        "export",
        "merger",
        "--client=dana lee",
        "--format=html",
        "--output=out",
        db_url=db_url,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "out" / "buyin-workbook-merger.html").exists()
    # Without --client the coach's own plans are searched; a client's stay out of reach.
    own = run("export", "merger", "--format=html", db_url=db_url, cwd=tmp_path)
    assert own.returncode == 1 and "The coach's own plan" in own.stderr
    unknown = run("export", "merger", "--client=Sam", db_url=db_url, cwd=tmp_path)
    assert unknown.returncode == 1 and "No client called “Sam”" in unknown.stderr


def test_a_report_is_written_in_the_language_asked_else_the_clients(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    with WorkbookStore(db_url) as coach:
        jana, _key = coach.add_client("Jana", "de")
    with WorkbookStore(db_url, client_id=jana.id) as own:
        own.create_plan("Umzug")

    def summary(*options: str) -> str:
        made = run("export", "umzug", "--client=jana", "--format=md", *options, "--output=out",
                   db_url=db_url, cwd=tmp_path)  # fmt: skip
        assert made.returncode == 0, made.stderr
        return (tmp_path / "out" / "buyin-workbook-umzug.md").read_text("utf-8")

    # The client's language, as the coach set it; then the one asked for.
    assert translator("de").gettext("Actions") in summary()
    assert translator("es").gettext("Actions") in summary("--language=es")
    wrong = run("export", "umzug", "--client=jana", "--language=xx", db_url=db_url, cwd=tmp_path)
    assert wrong.returncode == 1 and "--language must be one of en (English)" in wrong.stderr


def test_the_cohort_service_says_the_hub_runs_it(tmp_path: Path):
    env_free = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    result = subprocess.run(
        [*COMMAND, "cohort-service", f"--db-url=sqlite:///{tmp_path / 'w.sqlite'}"],
        capture_output=True,
        text=True,
        env=env_free,
        cwd=tmp_path,
        timeout=180,
    )
    assert result.returncode == 1
    assert "run this as a JupyterHub service" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_coach_and_a_facilitator_set_the_language_their_people_read(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    added = run("clients", "add", "Jonas Weber", "--language=de", db_url=db_url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "They read the workbook in Deutsch." in added.stdout
    wrong = run("clients", "add", "Eve", "--language=klingon", db_url=db_url, cwd=tmp_path)
    assert wrong.returncode == 1
    assert "The client's language must be one of en (English), de (Deutsch)" in wrong.stderr
    made = run("cohort", "create", "Cours", "--language=fr-CA", db_url=db_url, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "Its participants read it in Français." in made.stdout
    with WorkbookStore(db_url) as coach:
        assert [(c.name, c.language) for c in coach.clients()] == [("Jonas Weber", "de")]
        assert coach.find_cohort("Cours").language == "fr"


def _in_locale(locale: dict[str, str], *args: str, db_url: str, cwd: Path):
    """A command run in a terminal whose locale is ``locale`` (the rest of it unset)."""
    env = {**os.environ, "BUYIN_WORKBOOK_DB_URL": db_url}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(variable, None)
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        env={**env, **locale},
        cwd=cwd,
        timeout=180,
    )


def _words(output: str) -> str:
    """A command's output without its links (whose paths are the server's, not words)."""
    return "\n".join(line for line in output.splitlines() if "://" not in line)


def test_the_commands_speak_the_terminals_language(tmp_path: Path):
    """A command's messages follow the terminal's locale (LANGUAGE's list first, then LC_ALL,
    LC_MESSAGES, LANG), else ``WorkbookConfig.language``, else English: German, French and
    Spanish with no English word left but the names; the links stay the same."""
    from tests.plugin.languages import english_left

    db_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    made = _in_locale(
        {"LANG": "de_DE.UTF-8"},
        *("cohort", "create", "Frühjahr", "--expect=30", "--language=de"),
        db_url=db_url,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert "Beitrittslink" in made.stdout and "Frühjahr" in made.stdout
    assert made.stdout.count("key=") == 3
    said = _words(made.stdout)
    names = ("Frühjahr", "Deutsch", "choice", "selfcheck", "motivators", "stakeholders")
    assert english_left(said, names=names) == [], said

    # LANGUAGE's list: its first language the workbook has (Italian it has not).
    listed = _in_locale(
        {"LANGUAGE": "it:fr", "LANG": "de_DE.UTF-8"}, "cohort", "list", db_url=db_url, cwd=tmp_path
    )
    assert listed.returncode == 0, listed.stderr
    assert english_left(listed.stdout, names=names) == [], listed.stdout
    assert "participants" in listed.stdout and "ouverte" in listed.stdout

    # A terminal that names no language ("C"): the configured one, here for a mistake.
    wrong = _in_locale(
        {"LANG": "C.UTF-8"},
        *("cohort", "limit", "Frühjahr", "treinta", "--WorkbookConfig.language=es"),
        db_url=db_url,
        cwd=tmp_path,
    )
    assert wrong.returncode == 1 and "treinta" in wrong.stderr
    assert english_left(wrong.stderr, names=("jupyter workbook cohort limit",)) == [], wrong.stderr
    # And none at all: English, as before.
    plain = _in_locale({"LANG": "C.UTF-8"}, "cohort", "list", db_url=db_url, cwd=tmp_path)
    assert "Frühjahr" in plain.stdout and "open" in plain.stdout, plain.stdout
