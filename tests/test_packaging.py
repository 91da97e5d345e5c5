"""The wheel carries what an installed user needs: notebooks, content, migrations."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_notebooks_content_and_migrations(tmp_path: Path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "-w", str(tmp_path), str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("buyin_workbook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        assert f"workbook/notebooks/{notebook}" in names
    assert "workbook/exercises/choice/content.toml" in names
    assert "workbook/_migrations/env.py" in names
    assert {n for n in names if n.startswith("workbook/_migrations/versions/")} >= {
        "workbook/_migrations/versions/0001_plans_and_answers.py",
        "workbook/_migrations/versions/0002_revisions.py"}
    assert not [n for n in names if n.startswith("tests/")]
