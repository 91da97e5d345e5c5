"""`jupyter workbook`: the parent command; it only dispatches to its subcommands."""

from __future__ import annotations

from jupyter_core.application import JupyterApp

from .._version import __version__
from ..config import CONFIG_FILE_NAME, WorkbookConfig


class DispatchApp(JupyterApp):
    """A command that only hands over to one of its subcommands."""

    def start(self) -> None:
        if self.subapp is not None:
            self.subapp.start()
            return
        self.print_help()
        self.exit(1)


class WorkbookApp(DispatchApp):
    name = "jupyter-workbook"
    version = __version__
    description = ("Buy-in Workbook: serve the exercises to your clients, manage their links, "
                   "export a plan's report.")
    config_file_name = CONFIG_FILE_NAME
    classes = [WorkbookConfig]
    subcommands = {
        "serve": ("workbook.apps.serveapp.ServeApp",
                  "Serve the exercises as Voila apps, with client links and a coach dashboard."),
        "clients": ("workbook.apps.clientsapp.ClientsApp",
                    "Add, list, revoke, renew or erase client links; a new coach link."),
        "export": ("workbook.apps.exportapp.ExportApp",
                   "Write a plan's summary report: HTML, Markdown, PDF, charts, a coach bundle."),
    }
