"""The widgets every page of the workbook is built from (ipywidgets), one component a file.

- :class:`PlanPage`, :class:`ExercisePage` (``page.py``): the page about one plan that
  every exercise and the summary are;
- :class:`PlanPicker`: choose, create, rename, export, import or erase the plan;
- :class:`Autosaver`: saves answers after a short pause and says how it went;
- :class:`PageGuard`: the banner when a page can no longer save;
- :class:`RankingEditor`: put items in order by keyboard or mouse;
- :class:`RowListEditor`: short editable rows (actions, conditions, conversations).

Small HTML helpers (escaping every user text) are in ``_ui.py``.
"""

from .autosave import Autosaver
from .page import ExercisePage, PlanPage
from .page_guard import PageGuard
from .plan_picker import PlanPicker
from .ranking import RankingEditor
from .row_list import Field, RowListEditor

__all__ = [
    "Autosaver",
    "ExercisePage",
    "Field",
    "PageGuard",
    "PlanPage",
    "PlanPicker",
    "RankingEditor",
    "RowListEditor",
]
