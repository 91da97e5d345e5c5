"""axe-core run in a page (axe-playwright-python bundles it: nothing is fetched)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

#: WCAG 2.1 A and AA, and the best-practice rules (landmarks, the "region" rule among them).
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
#: Rules whose every finding fails a test, whatever axe rates its impact.
ALWAYS = {"region", "landmark-one-main", "image-alt"}


def violations(page: Any, context: Any = None) -> list[str]:
    """Serious and critical violations (and every landmark finding) in ``context`` of the
    page, one line each: the rule, the element and what axe says of it."""
    results = Axe().run(page, context=context, options=OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical") and violation["id"] not in ALWAYS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {node['target']} "
                f"{node['html'][:160]} -- {node['failureSummary'][:200]}"
            )
    return found
