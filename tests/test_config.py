import json
from pathlib import Path

from buyin_workbook.config import DB_URL_ENV, WorkbookConfig, default_db_path, load_workbook_config


def test_default_is_sqlite_in_the_jupyter_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    assert default_db_path() == tmp_path / "buyin_workbook" / "workbook.sqlite"
    assert WorkbookConfig().db_url == f"sqlite:///{tmp_path}/buyin_workbook/workbook.sqlite"


def test_environment_variable_points_elsewhere(monkeypatch):
    monkeypatch.setenv(DB_URL_ENV, "postgresql://coach@localhost/workbook")
    assert load_workbook_config(paths=[]).db_url == "postgresql://coach@localhost/workbook"


def test_config_files_override_and_user_file_wins(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(DB_URL_ENV, "sqlite:///from-env.sqlite")
    system, user = tmp_path / "system", tmp_path / "user"
    system.mkdir()
    user.mkdir()
    (system / "jupyter_workbook_config.json").write_text(
        json.dumps({"WorkbookConfig": {"db_url": "sqlite:///system.sqlite", "autosave_delay": 2.0}})
    )
    (user / "jupyter_workbook_config.py").write_text(
        "c.WorkbookConfig.db_url = 'sqlite:///user.sqlite'\n"
    )
    # jupyter_config_path() lists the user's directory first.
    config = load_workbook_config(paths=[str(user), str(system)])
    assert config.db_url == "sqlite:///user.sqlite"
    assert config.autosave_delay == 2.0


def test_every_option_is_documented():
    for name, trait in WorkbookConfig.class_traits(config=True).items():
        assert len(trait.help) > 30, name
