"""`jupyter workbook export PLAN`: the plan's report as files, from the command line."""

from __future__ import annotations

from pathlib import Path

from traitlets import Unicode

from .._text import same_text
from ..report.render import FORMATS, ReportError, export
from ..store import Plan, StoreError, WorkbookStore
from .base import STORE_ALIASES, WorkbookCommand


class ExportApp(WorkbookCommand):
    name = "jupyter-workbook-export"
    description = "Write a plan's summary report. PLAN is the plan's name (any case) or number."
    examples = """
    jupyter workbook export "Q3 platform migration"
    jupyter workbook export "Q3 platform migration" --format=html,pdf --output=reports
    jupyter workbook export "Merger plan" --client=Dana     (a coach's client's plan)
    """
    aliases = {
        **STORE_ALIASES,
        "format": "ExportApp.formats",
        "output": "ExportApp.output_dir",
        "client": "ExportApp.client",
    }

    formats = Unicode(
        ",".join(FORMATS),
        help=f"Comma-separated formats to write, from: {', '.join(FORMATS)}. 'share' is one "
        "zip holding the answers and the HTML report, for a coach.",
    ).tag(config=True)
    output_dir = Unicode(".", help="Folder to write the files into (made if missing).").tag(
        config=True
    )

    client = Unicode(
        "",
        help="For a coach: the client (name, any case, or number as `clients list` shows) "
        "whose plan to export. Empty: your own plans.",
    ).tag(config=True)

    def _plans_store(self) -> WorkbookStore:
        """The store of the plans to look in: the coach's client's, or the user's own."""
        if not self.client.strip():
            return self.store()
        with self.store() as coach:
            client = coach.find_client(self.client.strip())
        return WorkbookStore(config=self.workbook_config, client_id=client.id)

    def _find_plan(self, store: WorkbookStore, wanted: str) -> Plan:
        plans = store.list_plans()
        for plan in plans:
            if plan.name == wanted or same_text(plan.name, wanted):
                return plan
        if wanted.isdigit():
            for plan in plans:
                if plan.id == int(wanted):
                    return plan
        names = "; ".join(f"{p.id}: {p.name}" for p in plans) or "none yet"
        raise ReportError(f"No plan called “{wanted}”. Your plans: {names}.")

    def start(self) -> None:
        if len(self.extra_args) != 1:
            self.fail(
                'name one plan, e.g. jupyter workbook export "Q3 platform migration" (see --help).'
            )
        formats = tuple(f.strip() for f in self.formats.split(",") if f.strip())
        try:
            with self._plans_store() as store:
                plan = self._find_plan(store, self.extra_args[0])
                made = export(store, plan.id, Path(self.output_dir), formats)
        except (StoreError, ReportError) as error:
            self.fail(str(error))
        for kind in formats:
            for path in made.get(kind, []):
                print(f"{kind:>6}  {path}")


main = ExportApp.launch_instance
