"""A small cohort's answers, written through each participant's own link (as their pages do)."""

from __future__ import annotations

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
