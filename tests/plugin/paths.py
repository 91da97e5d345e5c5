"""Where the repository's parts are, for tests and benchmarks alike."""

from pathlib import Path

#: The repository's root (the folder holding pyproject.toml).
ROOT = Path(__file__).resolve().parents[2]
#: Fixture files the tests read (an old store, ...).
DATA = ROOT / "tests" / "data"
#: Screenshots the browser tests take, for people to look at.
SCREENSHOTS = ROOT / "docs" / "screenshots"
