"""What a page says of where its answers are kept: true in every mode the workbook runs in,
written for the person typing."""

from __future__ import annotations

from ..store import WorkbookStore
from .visitor import Access, on_hub


def where_answers_live(
    access: Access,
    store: WorkbookStore | None = None,
    hub_cohort: str | None = None,
    *,
    blind: bool = False,
) -> str:
    """Where this page keeps what is typed into it, said to the person typing (it must be
    true in each mode: the leader on their own machine or their own server on a hub, in a
    hub cohort or not, a coach's client, a course participant, a team member answering
    under their name or, ``blind``, only ever shown together with the others)."""
    if access.role == "member" and blind:
        where = (
            "the workbook server of your leader's course (its facilitator runs it)"
            if access.cohort_id is not None
            else "the workbook server of your leader's coach"
        )
        operator = "the facilitator" if access.cohort_id is not None else "the coach"
        return (
            f"What you send is kept on {where}, apart from your leader's own answers, so "
            "that you can change it and your leader can take you off the list (which "
            "erases it). Your leader sees it only together with the others' answers, "
            "without your name, and it is never in a file your leader can download. Like "
            f"anyone who runs a server, {operator} could read its database."
        )
    if access.role == "client":
        return (
            "Your answers are saved as you go, on your coach's workbook server: your coach "
            "can see them, no one else can."
        )
    if access.role == "participant":
        return (
            "Your answers are saved as you go, on the workbook server your course facilitator "
            "runs. The facilitator sees your alias and how far you are, not your answers "
            "(unless you share your summary); the others in the course see only figures "
            "without names."
        )
    if access.role == "member" and access.cohort_id is not None:
        return (
            "What you send is saved in your leader's plan, on the workbook server of their "
            "course: your leader can see it; the course's facilitator only if your leader "
            "shares their summary with them; no one else."
        )
    if access.role == "member":
        return (
            "What you send is saved in your leader's plan, on their coach's workbook server: "
            "your leader and their coach can see it, no one else can."
        )
    assert store is not None, "a leader's page names the store it saves into"
    if hub_cohort is not None:
        return (
            "Your answers are saved as you go, in the workbook's database in your own server "
            f"on this hub ({store.location}). You are in the course cohort “{hub_cohort}”: "
            "when you finish this exercise, your workbook sends the course's cohort service "
            "only its anonymous figures (listed under “Your course on the hub”), never your "
            "words."
        )
    if store.is_local and on_hub():
        return (
            "Your answers are saved as you go, in the workbook's database in your own server "
            f"on this hub ({store.location}); nothing is sent anywhere."
        )
    if store.is_local:
        return (
            "Your answers are saved as you go, in the workbook's database on this computer "
            f"({store.location}); nothing is sent anywhere."
        )
    return f"Your answers are saved as you go, in the workbook's database at {store.location}."
