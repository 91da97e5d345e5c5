"""The wheel carries what an installed user needs: notebooks, content, migrations."""

import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_notebooks_content_migrations_and_extensions(built_wheel: Path):
    names = set(zipfile.ZipFile(built_wheel).namelist())
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        assert f"workbook/notebooks/{notebook}" in names
    assert "workbook/exercises/choice/content.toml" in names
    assert "workbook/_migrations/env.py" in names
    assert {n for n in names if n.startswith("workbook/_migrations/versions/")} >= {
        "workbook/_migrations/versions/0001_plans_and_answers.py",
        "workbook/_migrations/versions/0002_revisions.py",
        "workbook/_migrations/versions/0004_clients.py"}
    for page in ("base.html", "landing.html", "coach.html", "refused.html"):
        assert f"workbook/serve/templates/{page}" in names
    assert not [n for n in names if n.startswith("tests/")]
    data = "buyin_workbook-0.1.0.data/data/"
    assert f"{data}share/jupyter/labextensions/buyin-workbook/package.json" in names
    assert f"{data}etc/jupyter/jupyter_server_config.d/buyin_workbook.json" in names
    for template_file in ("conf.json", "index.html.j2"):
        assert f"{data}share/jupyter/voila/templates/buyin/{template_file}" in names
