"""Compiles the gettext catalogues (``buyin_workbook/locale/*/LC_MESSAGES/*.po``) into the
``.mo`` files the package reads, whenever a wheel or an editable install is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.root, "buyin_workbook", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalogue, use_fuzzy=False)
        # Git ignores the compiled files; the wheel ships them.
        build_data["artifacts"].append("buyin_workbook/locale/*/LC_MESSAGES/*.mo")
