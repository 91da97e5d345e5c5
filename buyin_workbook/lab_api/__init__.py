"""The workbook's Jupyter server extension: a small REST API for the JupyterLab extension.

Every endpoint lives under ``/buyin-workbook/api`` and goes through jupyter_server's own
authentication and authorization (resource ``buyin-workbook``), using the same store API as
the notebooks.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

from ..config import WorkbookConfig, load_config_files
from ..store import WorkbookStore
from .handlers import API_PREFIX, handlers


def _load_jupyter_server_extension(serverapp: Any) -> None:
    # The workbook's own config files first, then anything set in the server's config.
    config = load_config_files()
    config.merge(serverapp.config)
    workbook_config = WorkbookConfig(config=config)
    store = WorkbookStore(config=workbook_config)
    base_url = serverapp.web_app.settings["base_url"]
    # Voila's preview in JupyterLab ("Open as app") loads MathJax from a CDN unless the
    # server names neither a MathJax URL nor a MathJax configuration; the workbook has no
    # formulas, so none (as `serve` does). JupyterLab 4 bundles its own MathJax and reads
    # neither.
    settings = serverapp.web_app.settings
    if not settings.get("mathjax_url"):
        settings["mathjax_url"] = None
        settings["mathjax_config"] = None
    serverapp.web_app.add_handlers(
        ".*$",
        [
            (
                url_path_join(base_url, API_PREFIX, pattern),
                handler,
                {"store": store, "config": workbook_config},
            )
            for pattern, handler in handlers()
        ],
    )
    serverapp.log.info(
        "Buy-in Workbook API at %s (store: %s)", url_path_join(base_url, API_PREFIX), store.url
    )


__all__ = ["_load_jupyter_server_extension"]
