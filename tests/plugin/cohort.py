"""A small cohort's answers: written through each participant's own link (as their pages
do), or typed into a participant's self-check page."""

from __future__ import annotations

import random
from typing import Any

from buyin_workbook.kit.cohort import CohortMeasure, CohortValues
from buyin_workbook.store import WorkbookStore

FOUNDATIONS = ("clear", "compelling", "realistic", "consistent", "understood")


def finish_selfcheck(
    db_url: str,
    participant_id: int,
    key: str,
    *,
    attitude: str,
    stance: str,
    scores: tuple[int, int, int, int, int],
    sentence: str = "Cut the queue to two days by June.",
) -> None:
    """The participant's plan (made if missing) with the self-check finished."""
    with WorkbookStore(db_url, client_id=participant_id, access_key=key) as store:
        plans = store.list_plans()
        plan = plans[0] if plans else store.create_plan("My plan")
        store.save_answer(plan.id, "selfcheck", "attitude", attitude)
        store.save_answer(plan.id, "selfcheck", "stance", stance)
        for foundation, score in zip(FOUNDATIONS, scores, strict=True):
            store.save_answer(plan.id, "selfcheck", f"foundation/{foundation}/score", score)
        store.save_answer(plan.id, "selfcheck", "sentence", sentence)


def finish_choice(
    db_url: str, participant_id: int, key: str, *, today: int = 3, possible: int = 6
) -> None:
    """The participant's plan (made if missing) with the choice exercise finished: three
    decisions, each rated ``today`` and ``possible`` on WHAT and HOW (no limit to name)."""
    with WorkbookStore(db_url, client_id=participant_id, access_key=key) as store:
        plans = store.list_plans()
        plan = plans[0] if plans else store.create_plan("My plan")
        decisions = [{"id": f"d{n}", "label": f"Decision {n}"} for n in range(3)]
        store.save_answer(plan.id, "choice", "decisions", decisions)
        for decision in decisions:
            for dimension in ("what", "how"):
                for moment, level in (("today", today), ("possible", possible)):
                    key_ = f"rating/{decision['id']}/{dimension}/{moment}"
                    store.save_answer(plan.id, "choice", key_, level)


def fill_selfcheck_page(
    page: Any,
    *,
    attitude: str,
    scores: tuple[int, ...],
    plan: str = "My plan",
    sentence: str = "Cut the queue to two days by June.",
) -> None:
    """Finish the self-check in an open page (Voila or JupyterLab) in a new plan."""
    from playwright.sync_api import expect

    page.locator(".bw-plan-new-name input").fill(plan)
    page.locator(".bw-plan-new-name input").press("Enter")
    expect(page.locator(".bw-plan-message")).to_contain_text("created")
    page.get_by_label(attitude, exact=False).first.check()
    page.get_by_label("Bought in: I am personally all in").check()
    for foundation, score in zip(FOUNDATIONS, scores, strict=True):
        select = page.locator(f".bw-score-{foundation} select")
        label = select.locator(f"option[value^='{score}']").first.inner_text()
        select.select_option(label=label.replace("\xa0", " "))
    page.locator(".bw-sentence textarea").fill(sentence)


def random_measures(measures: tuple[CohortMeasure, ...], rng: random.Random) -> CohortValues:
    """One participant's values of an exercise's measures, of the kinds each declares."""
    values: CohortValues = {}
    for measure in measures:
        listed = list(measure.labels)
        low, high = measure.range or (0, 0)
        if measure.kind == "number":
            values[measure.id] = float(rng.randint(int(low), int(high)))
        elif measure.kind == "items":
            values[measure.id] = {item: float(rng.randint(int(low), int(high))) for item in listed}
        elif measure.kind == "category":
            values[measure.id] = rng.choice(listed)
        elif measure.kind == "categories":
            values[measure.id] = rng.sample(listed, rng.randint(0, len(listed)))
        elif measure.kind == "ranking":
            values[measure.id] = rng.sample(listed, len(listed))
        else:
            values[measure.id] = rng.random() < 0.5
    return values


def cohort_command(*args: str) -> int | str | None:
    """`jupyter workbook cohort ARGS` in this process; its exit status."""
    from traitlets.utils.importstring import import_item

    from buyin_workbook.apps import cohortapp

    try:
        # Not launch_instance: Jupyter's closes the event loop, which other tests still use.
        app = cohortapp.CohortApp.instance()
        app.initialize(list(args))
        app.start()
    except SystemExit as ended:
        return ended.code
    finally:
        # Each (sub)command is a singleton: clear them for the next command.
        subcommands = [import_item(path) for path, _ in cohortapp.CohortApp.subcommands.values()]
        for command in (cohortapp.CohortApp, *subcommands):
            command.clear_instance()
    return 0
