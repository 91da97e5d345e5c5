"""`jupyter workbook export PLAN`: the plan's report as files, from the command line."""

from __future__ import annotations

from pathlib import Path

from traitlets import Unicode

from .._text import FilledWords, TextError, same_text
from ..config import leader_language
from ..languages import N_, checked_language
from ..report.render import FORMATS, ReportError, export
from ..store import Plan, StoreError, WorkbookStore
from .base import STORE_ALIASES, WorkbookCommand


class ExportApp(WorkbookCommand):
    name = "jupyter-workbook-export"
    description = N_("Write a plan's summary report. PLAN is the plan's name (any case) or number.")
    examples = N_(
        'jupyter workbook export "Q3 platform migration"\n'
        'jupyter workbook export "Q3 platform migration" --format=html,pdf --output=reports\n'
        "jupyter workbook export \"Merger plan\" --client=Dana     (a coach's client's plan)\n"
        'jupyter workbook export "Umzug" --language=de'
    )
    aliases = {
        **STORE_ALIASES,
        "format": "ExportApp.formats",
        "output": "ExportApp.output_dir",
        "client": "ExportApp.client",
        "language": "ExportApp.language",
    }

    formats = Unicode(
        ",".join(FORMATS),
        help=FilledWords(
            N_(
                "Comma-separated formats to write, from: {formats}. 'share' is one zip "
                "holding the answers and the HTML report, for a coach."
            ),
            formats=", ".join(FORMATS),
        ),
    ).tag(config=True)
    output_dir = Unicode(".", help=N_("Folder to write the files into (made if missing).")).tag(
        config=True
    )

    client = Unicode(
        "",
        help=N_(
            "For a coach: the client (name, any case, or number as `clients list` shows) "
            "whose plan to export. Empty: your own plans."
        ),
    ).tag(config=True)

    language = Unicode(
        "",
        help=N_(
            "The report's language: en, de, fr or es. Empty: the client's language, as "
            "the coach set it (with --client), else the leader's (JupyterLab's setting, then "
            "WorkbookConfig.language), else English."
        ),
    ).tag(config=True)

    def _plans_store(self) -> tuple[WorkbookStore, str | None]:
        """The store of the plans to look in (the coach's client's, or the user's own), and
        the language set for that client."""
        if not self.client.strip():
            return self.store(), None
        with self.store() as coach:
            client = coach.find_client(self.client.strip())
        return WorkbookStore(config=self.workbook_config, client_id=client.id), client.language

    def _language(self, set_for_client: str | None) -> str:
        if self.language.strip():
            return checked_language(self.language, what="--language")
        return set_for_client or leader_language(self.workbook_config)

    def _find_plan(self, store: WorkbookStore, wanted: str) -> Plan:
        plans = store.list_plans()
        for plan in plans:
            if plan.name == wanted or same_text(plan.name, wanted):
                return plan
        if wanted.isdigit():
            for plan in plans:
                if plan.id == int(wanted):
                    return plan
        if not plans:
            raise ReportError(
                N_("No plan called “{wanted}”. You have no plans yet."), wanted=wanted
            )
        names = "; ".join(f"{p.id}: {p.name}" for p in plans)
        raise ReportError(
            N_("No plan called “{wanted}”. Your plans: {names}."), wanted=wanted, names=names
        )

    def start(self) -> None:
        if len(self.extra_args) != 1:
            self.fail(
                N_(
                    'name one plan, e.g. jupyter workbook export "Q3 platform migration" '
                    "(see --help)."
                )
            )
        formats = tuple(f.strip() for f in self.formats.split(",") if f.strip())
        try:
            opened, set_for_client = self._plans_store()
            language = self._language(set_for_client)
            with opened as store:
                plan = self._find_plan(store, self.extra_args[0])
                made = export(store, plan.id, Path(self.output_dir), formats, language)
        except (StoreError, ReportError, TextError) as error:
            self.fail_with(error)
        for kind in formats:
            for path in made.get(kind, []):
                print(f"{kind:>6}  {path}")


main = ExportApp.launch_instance
