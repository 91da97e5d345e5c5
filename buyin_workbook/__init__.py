"""Buy-in Workbook: interactive exercises that help a leader earn real buy-in."""

from pathlib import Path

from ._version import __version__
from .config import WorkbookConfig
from .store import WorkbookStore


def notebooks_dir() -> Path:
    """Where the exercise notebooks are: inside the installed package, or the source tree."""
    packaged = Path(__file__).with_name("notebooks")
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "notebooks"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "buyin_workbook.lab_api"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "buyin-workbook"}]


__all__ = ["WorkbookConfig", "WorkbookStore", "__version__", "notebooks_dir"]
