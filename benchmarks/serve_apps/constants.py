"""What the serving benchmark opens, waits for and aims at."""

from __future__ import annotations

from buyin_workbook.pages import FACILITATOR_NOTEBOOK, workbook_pages

EXERCISES = [page.notebook for page in workbook_pages()]
CHOICE = EXERCISES[0]
FLOOR = "floor.ipynb"
#: Pages serve keeps no kernel warm for: a member's page, the facilitator's notebook.
NOT_PREHEATED = ("about-me.ipynb", FACILITATOR_NOTEBOOK)
FLOOR_READY = ".widget-slider"
EXERCISE_READY = ".bw-plan-picker"
#: The choice chart as the page's renderer drew it; ``data-drawn`` counts the page's draws.
CHART_DRAWING = ".bw-chart .bw-VegaChart[data-drawn]"
RATING_SELECT = ".bw-rate-what-possible select"
#: The seeded decision and its ratings; the benchmark toggles "what, possible" between
#: levels 5 and 6 (select indexes: 0 is "not rated"), so every load finds it rated.
DECISION = "benchdec01"
SEED_RATINGS = {
    ("what", "today"): 3,
    ("what", "possible"): 5,
    ("how", "today"): 3,
    ("how", "possible"): 5,
}
TOGGLE_LEVELS = (5, 6)

#: Seconds a pre-heated page may take from hand-out to its kernel connection.
STALE_MARGIN = 25.0
# Targets of the thin-kernels issue: cold and pre-heated pages, kernel memory, a burst.
COLD_RATIO, TTI_RATIO, MEMORY_RATIO, BURST_P95_FACTOR = 1.3, 1.2, 1.5, 3.0
SAVED_MS, CHART_MS = 10.0, 100.0
