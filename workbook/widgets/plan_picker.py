"""The first step of every exercise: choose, create or rename the plan it is about.

It also holds the plan's own data rights: export to a JSON file, import one, erase the plan.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

import ipywidgets as widgets

from .._text import TextError
from ..store import PLAN_NAME_MAX, Plan, StoreError, WorkbookStore
from ._ui import button, escape, full_width, message_area, row, set_message, submit_on_enter

PlanCallback = Callable[[Plan | None], None]


def export_file_name(plan: Plan) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plan.name).strip("-").lower()[:60] or "plan"
    return f"buyin-workbook-{slug}.json"


class PlanPicker(widgets.VBox):
    """Choose the plan an exercise is about; ``on_change`` hears the chosen plan."""

    def __init__(self, store: WorkbookStore, on_change: PlanCallback) -> None:
        self.store = store
        self._on_change = on_change
        self.plan: Plan | None = None
        self._quiet = False

        self.select = full_width(widgets.Dropdown(description="Plan", options=[]))
        self.select.add_class("bw-plan-select")
        self.name = full_width(
            widgets.Text(
                description="Plan name",
                continuous_update=False,
                placeholder="e.g. Q3 platform migration",
            )
        )
        self.name.add_class("bw-plan-name")
        self.new_name = full_width(
            widgets.Text(
                description="New plan", placeholder="Name of a new plan, e.g. New on-call rota"
            )
        )
        self.new_name.add_class("bw-plan-new-name")
        self.create = button(
            "Create plan", css_class="bw-plan-create", style="primary", icon="plus"
        )
        self.message = message_area("bw-plan-message")

        self.export = button(
            "Export answers",
            css_class="bw-plan-export",
            icon="download",
            tooltip="Save this plan's answers as a JSON file",
        )
        self.download = widgets.HTML("")
        self.upload = widgets.FileUpload(
            accept=".json,application/json", multiple=False, description="Import a plan file"
        )
        self.upload.layout.width = "auto"
        self.erase = button(
            "Erase this plan…", css_class="bw-plan-erase", style="danger", icon="trash"
        )
        self.confirm = widgets.HBox(
            [
                widgets.HTML(""),
                button("Yes, erase it", css_class="bw-plan-erase-confirm", style="danger"),
                button("Keep it", css_class="bw-plan-erase-cancel"),
            ],
            layout=widgets.Layout(display="none"),
        )

        self.select.observe(self._selected, "value")
        self.name.observe(self._renamed, "value")
        self.create.on_click(self._create)
        submit_on_enter(self.new_name, action=self.create)
        self.export.on_click(self._export)
        self.upload.observe(self._imported, "value")
        self.erase.on_click(self._ask_erase)
        self.confirm.children[1].on_click(self._erase)
        self.confirm.children[2].on_click(self._keep)

        tools = row([self.export, self.upload, self.erase], wrap=True)
        super().__init__(
            [
                self.select,
                self.name,
                row([self.new_name, self.create]),
                self.message,
                tools,
                self.download,
                self.confirm,
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
            self.name.disabled = chosen is None
            for button in (self.export, self.erase):
                button.disabled = chosen is None
        finally:
            self._quiet = False
        self.confirm.layout.display = "none"
        self.download.value = ""
        if chosen is None:
            set_message(
                self.message, "Start by naming the plan or initiative this is about.", "info"
            )
        self.plan = chosen
        if chosen is not None:
            self.store.remember_plan(chosen.id)
        self._on_change(chosen)

    def _refresh(self, chosen: Plan | None) -> None:
        self._show(self.store.list_plans(), chosen)

    # -- events ----------------------------------------------------------------------------

    def _selected(self, change: dict) -> None:
        if self._quiet or change["new"] is None:
            return
        set_message(self.message)
        try:
            self._refresh(self.store.get_plan(change["new"]))
        except StoreError as error:
            set_message(self.message, str(error), "error")

    def _renamed(self, change: dict) -> None:
        if self._quiet or self.plan is None:
            return
        try:
            plan = self.store.rename_plan(self.plan.id, change["new"])
        except (TextError, StoreError) as error:
            set_message(self.message, f"{error} The name stays “{self.plan.name}”.", "error")
            return
        set_message(self.message, "Name saved.", "ok")
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
            set_message(self.message, str(error), "error")
            return
        self.new_name.value = ""
        set_message(self.message, f"Plan “{plan.name}” created.", "ok")
        self._refresh(plan)

    def _export(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        data = json.dumps(self.store.export_plan(self.plan.id), ensure_ascii=False, indent=2)
        encoded = base64.b64encode(data.encode("utf-8")).decode("ascii")
        name = export_file_name(self.plan)
        # A data link works in JupyterLab and Voila alike, with no file left on the server.
        self.download.value = (
            f'<a download="{escape(name)}" href="data:application/json;base64,{encoded}">'
            f"Download {escape(name)}</a> (keep it safe: it holds everything you answered "
            "for this plan)"
        )

    def _imported(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        try:
            plan = self.store.import_plan(bytes(upload["content"]))
        except (TextError, StoreError) as error:
            set_message(
                self.message, f"Could not import {upload.get('name', 'the file')}: {error}", "error"
            )
        else:
            set_message(self.message, f"Imported as “{plan.name}”.", "ok")
            self._refresh(plan)
        finally:
            self._quiet = True
            self.upload.value = ()
            self._quiet = False

    def _ask_erase(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        self.confirm.children[0].value = (
            f"<b>Erase “{escape(self.plan.name)}” and every answer in it?</b> This cannot be "
            "undone; export it first if you may want it back."
        )
        self.confirm.layout.display = ""

    def _keep(self, _button: widgets.Button | None = None) -> None:
        self.confirm.layout.display = "none"

    def _erase(self, _button: widgets.Button | None = None) -> None:
        if self.plan is None:
            return
        name = self.plan.name
        try:
            self.store.erase_plan(self.plan.id)
        except StoreError as error:
            set_message(self.message, str(error), "error")
            return
        plans = self.store.list_plans()
        self._show(plans, plans[0] if plans else None)
        set_message(self.message, f"“{name}” and its answers are erased.", "ok")


__all__ = ["PLAN_NAME_MAX", "PlanPicker", "export_file_name"]
