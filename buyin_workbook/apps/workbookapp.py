"""`jupyter workbook`: the parent command; it only dispatches to its subcommands."""

from __future__ import annotations

from .._text import N_
from .base import WorkbookCommand


class WorkbookApp(WorkbookCommand):
    name = "jupyter-workbook"
    description = N_(
        "Buy-in Workbook: serve the exercises to your clients and course cohorts, manage "
        "their links, export a plan's report."
    )
    subcommands = {
        "serve": (
            "buyin_workbook.apps.serveapp.ServeApp",
            N_("Serve the exercises as Voila apps, with client links and a coach dashboard."),
        ),
        "clients": (
            "buyin_workbook.apps.clientsapp.ClientsApp",
            N_("Add, list, revoke, renew or erase client links; a new coach link."),
        ),
        "cohort": (
            "buyin_workbook.apps.cohortapp.CohortApp",
            N_("Create, list, close, export or erase course cohorts (a facilitator's groups)."),
        ),
        "cohort-service": (
            "buyin_workbook.apps.cohortserviceapp.CohortServiceApp",
            N_("Run the cohorts' JupyterHub service (the hub starts it; see docs/jupyterhub.md)."),
        ),
        "export": (
            "buyin_workbook.apps.exportapp.ExportApp",
            N_("Write a plan's summary report: HTML, Markdown, PDF, charts, a coach bundle."),
        ),
    }
