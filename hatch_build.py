"""Compiles the gettext catalogues (``buyin_workbook/locale/*/LC_MESSAGES/*.po``) whenever a
wheel or an editable install is built: into the ``.mo`` files the package reads, and the
JupyterLab extension's words into the JSON JupyterLab's translation API reads
(``buyin_workbook/locale/<xx_XX>/LC_MESSAGES/buyin_workbook.json``, found through the
``jupyterlab.locale`` entry point and merged into JupyterLab's language pack)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The JupyterLab locale each language's words are given to (its language pack's name).
LAB_LOCALES = {"de": "de_DE", "fr": "fr_FR", "es": "es_ES"}


def lab_catalogue(catalogue: Any, domain: str, locale: str) -> dict[str, Any]:
    """The extension's messages of ``catalogue`` (those its TypeScript holds), as JupyterLab's
    translation bundles read them: each message's translation, or its plural forms."""
    data: dict[str, Any] = {
        # JupyterLab files its bundles under "de-DE", whatever the folder's name.
        "": {
            "domain": domain,
            "language": locale.replace("_", "-"),
            "plural_forms": catalogue.plural_forms,
        }
    }
    for message in catalogue:
        if not message.id or not any(
            path.startswith("extension/") for path, _ in message.locations
        ):
            continue
        if isinstance(message.id, tuple):
            data[message.id[0]] = list(message.string)
        elif message.string:
            data[message.id] = [message.string]
    return data


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale_dir = Path(self.root, "buyin_workbook", "locale")
        for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as source:
                catalogue = read_po(source, locale=language)
            with po.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalogue, use_fuzzy=False)
            if language in LAB_LOCALES:
                locale = LAB_LOCALES[language]
                lab = locale_dir / locale / "LC_MESSAGES" / f"{po.stem}.json"
                lab.parent.mkdir(parents=True, exist_ok=True)
                words = lab_catalogue(catalogue, po.stem, locale)
                lab.write_text(json.dumps(words, ensure_ascii=False, indent=1), "utf-8")
        # Git ignores the compiled files; the wheel ships them.
        build_data["artifacts"].append("buyin_workbook/locale/*/LC_MESSAGES/*.mo")
        build_data["artifacts"].append("buyin_workbook/locale/*/LC_MESSAGES/*.json")
