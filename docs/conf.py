"""Sphinx configuration: the workbook's docs, in MyST Markdown, by audience."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

from buyin_workbook import __version__  # noqa: E402

project = "Buy-in Workbook"
author = "the Buy-in Workbook team"
copyright = "2026, the Buy-in Workbook team"
version = release = __version__

extensions = ["myst_parser", "settings_reference"]
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "_generated", "jupyterhub", "screenshots", "_ext"]

html_theme = "pydata_sphinx_theme"
html_title = "Buy-in Workbook"
html_theme_options = {
    # Everything works offline: no analytics, no icon fonts or search from a CDN.
    "navigation_with_keys": True,
    "show_toc_level": 2,
}
html_static_path: list[str] = []
# The documented configuration files are downloads beside the pages that explain them.
html_extra_path = ["jupyterhub"]
