"""The page guard's kernel side agrees with its frontend in the labextension."""

import json
import re

from buyin_workbook.widgets.page_guard import FRONTEND_MODULE, FRONTEND_VERSION, WORDS, PageGuard
from tests.plugin.paths import ROOT

EXTENSION = ROOT / "extension"


def test_the_kernel_asks_for_the_module_and_version_the_extension_registers():
    package = json.loads((EXTENSION / "package.json").read_text())
    source = (EXTENSION / "src" / "pageGuard.ts").read_text()
    registered = re.search(r"MODULE_VERSION = '([^']+)'", source)
    assert registered is not None
    assert (
        FRONTEND_MODULE == package["name"] == re.search(r"MODULE_NAME = '([^']+)'", source).group(1)
    )
    assert registered.group(1) == package["version"]
    assert f"^{package['version']}" == FRONTEND_VERSION


def test_every_word_the_frontend_reads_is_given():
    source = (EXTENSION / "src" / "pageGuard.ts").read_text()
    read = set(re.findall(r"_words\.(\w+)", source))
    assert read == set(WORDS)
    assert "{time}" in WORDS["lost"] and "{count}" in WORDS["restored"]


def test_stop_shows_the_reason_and_is_kept_in_the_widget_state():
    guard = PageGuard("choice")
    assert guard.problem == "" and guard.page == "choice"
    guard.stop("This link no longer works.")
    assert guard.get_state()["problem"] == "This link no longer works."
    assert guard.get_state()["_view_module"] == FRONTEND_MODULE


def test_leaving_saves_what_waits_and_nothing_else_does(monkeypatch):
    from buyin_workbook.widgets import page_guard

    calls: list[str] = []
    monkeypatch.setattr(page_guard, "page_closed", lambda: calls.append("kernel may go"))
    guard = PageGuard("choice")
    guard.on_leave(lambda: calls.append("saved"))
    guard._message(guard, {"event": "something else"}, [])
    guard._message(guard, "leaving", [])
    assert calls == []
    guard._message(guard, {"event": "leaving"}, [])
    assert calls == ["saved", "kernel may go"]  # saved first, then the kernel may go
