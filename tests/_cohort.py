"""A small cohort's answers: written through each participant's own link (as their pages
do), or typed into a participant's self-check page."""

from __future__ import annotations

import random
from typing import Any

from workbook.exercises._cohort import CohortMeasure, CohortValues
from workbook.store import WorkbookStore

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
