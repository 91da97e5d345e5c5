"""The JupyterLab extension is built and installed (no rebuild here: `pip install` builds it)."""

import json
import re
import subprocess
import sys

from tests.plugin.paths import ROOT

NAME = json.loads((ROOT / "extension" / "package.json").read_text("utf-8"))["name"]
BUILT = ROOT / "buyin_workbook" / "labextension"


def test_jupyter_lists_the_extension_enabled_and_ok():
    listing = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # The list goes to stderr or stdout depending on the version; colours are ANSI codes.
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    (line,) = [ln for ln in text.splitlines() if ln.split()[:1] == [NAME]]
    assert " enabled " in f"{line} "
    assert " OK" in line
    assert "(python, buyin-workbook)" in line


def test_built_labextension_has_its_package_json_and_remote_entry():
    package = json.loads((BUILT / "package.json").read_text("utf-8"))
    assert package["name"] == NAME == "buyin-workbook"
    load = package["jupyterlab"]["_build"]["load"]
    assert (BUILT / load).is_file()
    assert list((BUILT / "static").glob("remoteEntry.*.js"))
    assert (BUILT / "static" / "style.js").is_file()
