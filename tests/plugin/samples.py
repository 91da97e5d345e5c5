"""Answers the tests and the benchmarks seed a store with."""

from __future__ import annotations

from buyin_workbook.store import WorkbookStore

#: User text that must come out as text: markup, Markdown, a link and an emoji.
NASTY = "<script>alert('x')</script> *bold* [link](http://example.com) 🚀"


def choice_done(store: WorkbookStore, plan_id: int) -> None:
    """The choice exercise finished in ``plan_id``: three decisions, every one rated."""
    decisions = [
        {"id": f"d{i}", "label": label}
        for i, label in enumerate(["The deadline", NASTY, "Who does what"])
    ]
    store.save_answer(plan_id, "choice", "decisions", decisions)
    for i, (wt, wp, ht, hp) in enumerate([(1, 4, 2, 6), (3, 3, 4, 5), (4, 6, 4, 4)]):
        for dim, moment, level in (
            ("what", "today", wt),
            ("what", "possible", wp),
            ("how", "today", ht),
            ("how", "possible", hp),
        ):
            store.save_answer(plan_id, "choice", f"rating/d{i}/{dim}/{moment}", level)
