"""A small cohort's answers: written through each participant's own link (as their pages
do), or typed into a participant's self-check page."""

from __future__ import annotations

from typing import Any

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
