"""Keep a 1.35 s grammar build out of every process that draws a workbook chart.

altair imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
installed (jupyter-events puts it in every Jupyter environment). That module builds ~35 Lark
parsers at import, for the ``iri`` and ``iri-reference`` formats only; altair's Vega-Lite
schema uses neither (``uri``, ``uri-reference`` and ``color-hex``), and the workbook never
validates a spec in a kernel. Marking the module absent before jsonschema's first import
makes jsonschema skip those two checks, as it does where the module is not installed
(jsonschema #1428, #1392; jupyter_server #1559). A process that imported jsonschema
already (a Jupyter server does) is left as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import cast

_GRAMMAR_MODULE = "rfc3987_syntax"


def skip_iri_grammar() -> None:
    if "jsonschema" not in sys.modules:
        # None in sys.modules is Python's own mark for "this module cannot be imported".
        sys.modules.setdefault(_GRAMMAR_MODULE, cast(ModuleType, None))


skip_iri_grammar()
