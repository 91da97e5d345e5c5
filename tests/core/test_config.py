import json
from pathlib import Path

from buyin_workbook.config import DB_URL_ENV, WorkbookConfig, default_db_path, load_workbook_config
from tests.plugin.paths import ROOT


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


def _package_sources():
    from pathlib import Path

    import buyin_workbook

    root = Path(buyin_workbook.__file__).parent
    return [p for p in root.rglob("*.py") if "labextension" not in p.parts]


def test_every_environment_variable_is_declared_once_and_read_through_it():
    """No module reads ``os.environ`` (or ``os.getenv``) by a name of its own: every variable
    is declared in ``buyin_workbook.environment``, with its help, and read from there."""
    import ast

    from buyin_workbook import environment

    found = []
    for path in _package_sources():
        if path.name == "environment.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            named = None
            if isinstance(node, ast.Call) and node.args:
                func = ast.unparse(node.func)
                if func in ("os.environ.get", "os.getenv", "os.environ.setdefault"):
                    named = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                named = node.slice
            if isinstance(named, ast.Constant) and isinstance(named.value, str):
                found.append(f"{path.name}: {named.value}")
            if isinstance(node, ast.Constant) and str(node.value).startswith("BUYIN_WORKBOOK_"):
                found.append(f"{path.name}: {node.value}")
    # The fork server quiets two libraries' own variables for its children; nothing reads them.
    assert sorted(found) == [
        "_fork_server.py: OPENBLAS_NUM_THREADS",
        "_fork_server.py: PYDEVD_DISABLE_FILE_VALIDATION",
    ]
    names = [variable.name for variable in environment.ALL]
    assert len(names) == len(set(names))
    assert all(variable.help.strip() for variable in environment.ALL)


def test_the_settings_reference_lists_every_option_and_variable():
    import importlib.util

    from buyin_workbook import environment
    from buyin_workbook.config import WorkbookConfig

    source = ROOT / "docs" / "_ext" / "settings_reference.py"
    spec = importlib.util.spec_from_file_location("settings_reference", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.reference()
    for name in WorkbookConfig.class_traits(config=True):
        assert f"`WorkbookConfig.{name}`" in text
    for variable in environment.ALL:
        assert f"`{variable.name}`" in text
