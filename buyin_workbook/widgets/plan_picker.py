"""The first step of every exercise: choose the plan it is about, or create one.

Behind one labelled button it also holds renaming and the plan's own data rights: export to
a JSON file, import one, erase the plan.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import ipywidgets as widgets

from .._text import TextError, file_slug
from ..languages import N_, Translator
from ..store import PLAN_NAME_MAX, Plan, StoreError, WorkbookStore
from ._ui import (
    button,
    escape,
    full_width,
    message_area,
    page_words,
    row,
    set_message,
    submit_on_enter,
)
from .files import DownloadButton, FileChooser

PlanCallback = Callable[[Plan | None], None]

OPTIONS_CLOSED = N_("Rename, export, import or erase…")
OPTIONS_OPEN = N_("Hide the plan options")
_PLAN = N_("Plan")
_NEW_PLAN = N_("New plan")
_NEW_PLAN_EXAMPLE = N_("Name of a new plan, e.g. New on-call rota")
_CREATE = N_("Create plan")
_PLAN_NAME = N_("Plan name")
_PLAN_NAME_EXAMPLE = N_("e.g. Q3 platform migration")
_RENAME = N_("Rename")
_EXPORT = N_("Export answers (JSON)")
_EXPORT_HELP = N_("Save this plan's answers as a file, to keep or to import elsewhere")
_IMPORT = N_("Import a plan file")
_ERASE = N_("Erase this plan…")
_ERASE_YES = N_("Yes, erase it")
_ERASE_NO = N_("Keep it")
_FIRST_PLAN = N_("Start by naming the plan or initiative this is about.")
_NAME_KEPT = N_("{error} The name stays {name}.")
_RENAMED = N_("Renamed to {name}.")
_CREATED = N_("Plan {name} created.")
_EXPORTED = N_("Exported. Keep the file safe: it holds everything you answered for this plan.")
_NOT_IMPORTED = N_("Could not import {file}: {error}")
_THE_FILE = N_("the file")
_IMPORTED = N_("Imported as {name}.")
_ERASE_ASK = N_(
    "<b>Erase {name} and every answer in it?</b> This cannot be undone; export it first if "
    "you may want it back."
)
_ERASED = N_("{name} and its answers are erased.")


def export_file_name(plan: Plan) -> str:
    return f"buyin-workbook-{file_slug(plan.name, 'plan')}.json"


class PlanPicker(widgets.VBox):
    """Choose the plan an exercise is about, or start one; ``on_change`` hears the chosen
    plan. Renaming and the plan's files sit behind one clearly labelled button."""

    def __init__(
        self, store: WorkbookStore, on_change: PlanCallback, *, words: Translator | None = None
    ) -> None:
        self.store = store
        self._words = _ = page_words(words)
        self._on_change = on_change
        self.plan: Plan | None = None
        self._quiet = False

        self.select = full_width(widgets.Dropdown(description=_.gettext(_PLAN), options=[]))
        self.select.add_class("bw-plan-select")
        self.new_name = full_width(
            widgets.Text(description=_.gettext(_NEW_PLAN), placeholder=_.gettext(_NEW_PLAN_EXAMPLE))
        )
        self.new_name.add_class("bw-plan-new-name")
        self.create = button(
            _.gettext(_CREATE), css_class="bw-plan-create", style="primary", icon="plus"
        )
        self.message = message_area("bw-plan-message")

        self.more = button(_.gettext(OPTIONS_CLOSED), css_class="bw-plan-options", icon="cog")
        self.name = full_width(
            widgets.Text(
                description=_.gettext(_PLAN_NAME), placeholder=_.gettext(_PLAN_NAME_EXAMPLE)
            )
        )
        self.name.add_class("bw-plan-name")
        self.rename = button(_.gettext(_RENAME), css_class="bw-plan-rename")
        self.export = DownloadButton(
            _.gettext(_EXPORT),
            make=self._export_file,
            tooltip=_.gettext(_EXPORT_HELP),
        )
        self.export.add_class("bw-plan-export")
        self.upload = FileChooser(
            _.gettext(_IMPORT), accept=".json,application/json", on_file=self._import
        )
        self.upload.add_class("bw-plan-import")
        self.erase = button(
            _.gettext(_ERASE), css_class="bw-plan-erase", style="danger", icon="trash"
        )
        self.confirm = widgets.HBox(
            [
                widgets.HTML(""),
                button(_.gettext(_ERASE_YES), css_class="bw-plan-erase-confirm", style="danger"),
                button(_.gettext(_ERASE_NO), css_class="bw-plan-erase-cancel"),
            ],
            layout=widgets.Layout(display="none"),
        )
        self.rename_row = row([self.name, self.rename], wrap=True)
        self.options = widgets.VBox(
            [self.rename_row, row([self.export, self.upload, self.erase], wrap=True), self.confirm],
            layout=widgets.Layout(display="none"),
        )
        self.options.add_class("bw-plan-options-panel")

        self.select.observe(self._selected, "value")
        self.create.on_click(self._create)
        submit_on_enter(self.new_name, action=self.create)
        self.rename.on_click(self._rename)
        submit_on_enter(self.name, action=self.rename)
        self.more.on_click(self._toggle_options)
        self.erase.on_click(self._ask_erase)
        self.confirm.children[1].on_click(self._erase)
        self.confirm.children[2].on_click(self._keep)

        super().__init__(
            [
                self.select,
                row([self.new_name, self.create], wrap=True),
                self.message,
                self.more,
                self.options,
            ]
        )
        self.add_class("bw-plan-picker")

    # -- state -----------------------------------------------------------------------------

    def start(self) -> None:
        """Open the plan worked on last time, or ask for a first one."""
        plans = self.store.list_plans()
        last = self.store.last_plan()
        self._show(plans, last or (plans[0] if plans else None))

    def _show(self, plans: list[Plan], chosen: Plan | None) -> None:
        self._quiet = True
        try:
            self.select.options = [(plan.name, plan.id) for plan in plans]
            self.select.value = chosen.id if chosen else None
            self.select.layout.display = "" if plans else "none"
            self.name.value = chosen.name if chosen else ""
        finally:
            self._quiet = False
        # With no plan yet, the options hold only the import of a plan file.
        self.rename_row.layout.display = "" if chosen else "none"
        for control in (self.export, self.erase):
            control.layout.display = "" if chosen else "none"
        self.confirm.layout.display = "none"
        if chosen is None:
            set_message(self.message, self._words.gettext(_FIRST_PLAN), "info")
        self.plan = chosen
        if chosen is not None:
            self.store.remember_plan(chosen.id)
        self._on_change(chosen)

    def _refresh(self, chosen: Plan | None) -> None:
        self._show(self.store.list_plans(), chosen)

    # -- events ----------------------------------------------------------------------------

    def _toggle_options(self, _button: widgets.Button | None = None) -> None:
        opening = self.options.layout.display == "none"
        self.options.layout.display = "" if opening else "none"
        self.more.description = self._words.gettext(OPTIONS_OPEN if opening else OPTIONS_CLOSED)

    def _selected(self, change: dict) -> None:
        if self._quiet or change["new"] is None:
            return
        set_message(self.message)
        try:
            self._refresh(self.store.get_plan(change["new"]))
        except StoreError as error:
            set_message(self.message, self._words.said(error), "error")

    def _rename(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        try:
            plan = self.store.rename_plan(self.plan.id, self.name.value)
        except (TextError, StoreError) as error:
            words = self._words
            kept = words.gettext(_NAME_KEPT, error=words.said(error), name=self._quoted(self.plan))
            set_message(self.message, kept, "error")
            return
        set_message(self.message, self._words.gettext(_RENAMED, name=self._quoted(plan)), "ok")
        self.plan = plan
        self._quiet = True
        try:
            self.name.value = plan.name
            self.select.options = [(p.name, p.id) for p in self.store.list_plans()]
            self.select.value = plan.id
        finally:
            self._quiet = False

    def _create(self, _button: widgets.Button | None = None) -> None:
        try:
            plan = self.store.create_plan(self.new_name.value)
        except (TextError, StoreError) as error:
            set_message(self.message, self._words.said(error), "error")
            return
        self.new_name.value = ""
        set_message(self.message, self._words.gettext(_CREATED, name=self._quoted(plan)), "ok")
        self._refresh(plan)
        self.select.focus()

    def _export_file(self) -> tuple[str, bytes, str] | None:
        if self.plan is None:
            return None
        data = json.dumps(self.store.export_plan(self.plan.id), ensure_ascii=False, indent=2)
        set_message(self.message, self._words.gettext(_EXPORTED), "ok")
        return export_file_name(self.plan), data.encode("utf-8"), "application/json"

    def _import(self, name: str, content: bytes) -> None:
        try:
            plan = self.store.import_plan(content)
        except (TextError, StoreError) as error:
            words = self._words
            file = name or words.gettext(_THE_FILE)
            refused = words.gettext(_NOT_IMPORTED, file=file, error=words.said(error))
            set_message(self.message, refused, "error")
            return
        set_message(self.message, self._words.gettext(_IMPORTED, name=self._quoted(plan)), "ok")
        self._refresh(plan)

    def _ask_erase(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        name = escape(self._quoted(self.plan))
        self.confirm.children[0].value = self._words.gettext(_ERASE_ASK, name=name)
        self.confirm.layout.display = ""
        self.confirm.children[2].focus()  # the safe choice first

    def _quoted(self, plan: Plan) -> str:
        return self._words.quoted(plan.name)

    def _keep(self, _button: widgets.Button | None = None) -> None:
        self.confirm.layout.display = "none"
        self.erase.focus()

    def _erase(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        name = self.plan.name
        try:
            self.store.erase_plan(self.plan.id)
        except StoreError as error:
            set_message(self.message, self._words.said(error), "error")
            return
        plans = self.store.list_plans()
        self._show(plans, plans[0] if plans else None)
        set_message(self.message, self._words.gettext(_ERASED, name=self._words.quoted(name)), "ok")
        (self.select if plans else self.new_name).focus()


__all__ = ["PLAN_NAME_MAX", "PlanPicker", "export_file_name"]
