"""What a page says of where its answers are kept: true in every mode the workbook runs in,
written for the person typing."""

from __future__ import annotations

from ..languages import N_, Translator, translator
from ..store import WorkbookStore
from .visitor import Access, on_hub

_MEMBER_BLIND = {
    "cohort": N_(
        "What you send is kept on the workbook server of your leader's course (its facilitator "
        "runs it), apart from your leader's own answers, so that you can change it and your "
        "leader can take you off the list (which erases it). Your leader sees it only together "
        "with the others' answers, without your name, and it is never in a file your leader can "
        "download. Like anyone who runs a server, the facilitator could read its database."
    ),
    "coach": N_(
        "What you send is kept on the workbook server of your leader's coach, apart from your "
        "leader's own answers, so that you can change it and your leader can take you off the "
        "list (which erases it). Your leader sees it only together with the others' answers, "
        "without your name, and it is never in a file your leader can download. Like anyone "
        "who runs a server, the coach could read its database."
    ),
}
_CLIENT = N_(
    "Your answers are saved as you go, on your coach's workbook server: your coach can see "
    "them, no one else can."
)
_PARTICIPANT = N_(
    "Your answers are saved as you go, on the workbook server your course facilitator runs. "
    "The facilitator sees your alias and how far you are, not your answers (unless you share "
    "your summary); the others in the course see only figures without names."
)
_MEMBER_OF_COHORT = N_(
    "What you send is saved in your leader's plan, on the workbook server of their course: "
    "your leader can see it; the course's facilitator only if your leader shares their "
    "summary with them; no one else."
)
_MEMBER = N_(
    "What you send is saved in your leader's plan, on their coach's workbook server: your "
    "leader and their coach can see it, no one else can."
)
_HUB_COHORT = N_(
    "Your answers are saved as you go, in the workbook's database in your own server on this "
    "hub ({location}). You are in the course cohort {cohort}: when you finish this exercise, "
    "your workbook sends the course's cohort service only its anonymous figures (listed under "
    "{panel}), never your words."
)
_HUB_PANEL = N_("Your course on the hub")
_ON_HUB = N_(
    "Your answers are saved as you go, in the workbook's database in your own server on this "
    "hub ({location}); nothing is sent anywhere."
)
_LOCAL = N_(
    "Your answers are saved as you go, in the workbook's database on this computer "
    "({location}); nothing is sent anywhere."
)
_ELSEWHERE = N_("Your answers are saved as you go, in the workbook's database at {location}.")


def where_answers_live(
    access: Access,
    store: WorkbookStore | None = None,
    hub_cohort: str | None = None,
    *,
    blind: bool = False,
    words: Translator | None = None,
) -> str:
    """Where this page keeps what is typed into it, said to the person typing (it must be
    true in each mode: the leader on their own machine or their own server on a hub, in a
    hub cohort or not, a coach's client, a course participant, a team member answering
    under their name or, ``blind``, only ever shown together with the others), in the
    page's language (the visitor's by default)."""
    say = (words or translator(access.language)).gettext
    if access.role == "member" and blind:
        return say(_MEMBER_BLIND["cohort" if access.cohort_id is not None else "coach"])
    if access.role == "client":
        return say(_CLIENT)
    if access.role == "participant":
        return say(_PARTICIPANT)
    if access.role == "member":
        return say(_MEMBER_OF_COHORT if access.cohort_id is not None else _MEMBER)
    assert store is not None, "a leader's page names the store it saves into"
    location = store.location
    if hub_cohort is not None:
        quoted = (words or translator(access.language)).quoted
        return say(
            _HUB_COHORT, location=location, cohort=quoted(hub_cohort), panel=quoted(say(_HUB_PANEL))
        )
    if store.is_local and on_hub():
        return say(_ON_HUB, location=location)
    if store.is_local:
        return say(_LOCAL, location=location)
    return say(_ELSEWHERE, location=location)
