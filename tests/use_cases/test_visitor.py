"""Whose plans a kernel opens: the leader's, or (served) the client's whose key is in the
page's link. Driven in-process with the environment Voila gives a served kernel."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from buyin_workbook.exercises.choice import ChoiceExercise
from buyin_workbook.exercises.motivators import AboutMe, MotivatorsExercise
from buyin_workbook.exercises.motivators.model import member_key
from buyin_workbook.languages import LANGUAGES, translator
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.visitor import REFUSED, current_access
from tests.plugin.served import serve_page


@pytest.fixture()
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'coach.sqlite'}"
    monkeypatch.setenv("BUYIN_WORKBOOK_DB_URL", url)
    current_access.cache_clear()
    return url


@pytest.fixture()
def clients(db_url: str) -> dict[str, tuple[int, str]]:
    with WorkbookStore(db_url) as coach:
        found = {}
        for name in ("Dana", "Sam"):
            client, key = coach.add_client(name)
            found[name] = (client.id, key)
    with WorkbookStore(db_url, client_id=found["Dana"][0]) as dana:
        dana.create_plan("Dana's merger plan")
    with WorkbookStore(db_url) as leader:
        leader.create_plan("The leader's own plan")
    return found


def plan_names(exercise) -> set[str]:
    return {label for label, _value in exercise.picker.select.options if label}


def test_outside_a_served_workbook_the_kernel_is_the_leaders(db_url: str, clients):
    assert current_access().role == "leader"
    assert plan_names(ChoiceExercise()) == {"The leader's own plan"}


def test_a_client_key_opens_only_that_clients_plans(monkeypatch, clients):
    serve_page(monkeypatch, clients["Dana"][1])
    assert current_access().client_name == "Dana"
    assert plan_names(ChoiceExercise()) == {"Dana's merger plan"}
    serve_page(monkeypatch, clients["Sam"][1])
    exercise = ChoiceExercise()
    assert plan_names(exercise) == set()
    assert exercise.store.client_id == clients["Sam"][0]


def _page_text(exercise) -> str:
    return html.unescape(" ".join(getattr(child, "value", "") for child in exercise.children))


def test_each_mode_says_truly_where_its_answers_are_kept(db_url: str, monkeypatch, clients):
    leader = _page_text(ChoiceExercise())
    assert "on this computer" in leader and "coach's" not in leader
    assert "nothing is sent anywhere" in leader and db_url.removeprefix("sqlite:///") in leader
    serve_page(monkeypatch, clients["Dana"][1])
    client = _page_text(ChoiceExercise())
    assert "on your coach's workbook server: your coach can see them" in client
    assert "this computer" not in client and "machine" not in client
    assert "sent anywhere" not in client
    for exercise in (MotivatorsExercise(),):
        text = _page_text(exercise) + html.unescape(
            " ".join(w.value for w in _all_html(exercise) if "Privacy" in w.value)
        )
        assert "coach's workbook server" in text and "never sent" not in text


def _all_html(root):
    import ipywidgets as widgets

    stack = [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, widgets.HTML):
            yield widget
        stack.extend(getattr(widget, "children", ()))


@pytest.mark.parametrize("query_key", ["", "not-a-key", "x" * 43])
def test_a_kernel_without_a_working_key_shows_the_refusal_and_opens_nothing(
    monkeypatch, clients, query_key: str
):
    serve_page(monkeypatch, query_key)
    exercise = ChoiceExercise()
    assert exercise.store_error == REFUSED
    assert not hasattr(exercise, "picker")
    assert REFUSED in exercise.children[-1].value


def test_a_member_link_sends_one_order_into_its_plan_and_opens_nothing_else(
    db_url: str, monkeypatch, clients
):
    dana_id, dana_key = clients["Dana"]
    serve_page(monkeypatch, dana_key)
    leader = MotivatorsExercise()
    assert leader.access.role == "client"
    leader.member_name.value = "Ana <script>x</script>"
    leader.member_add.click()
    member = leader.answers.members[-1]
    card = leader._member_cards[member.id]
    card.children[5].children[1].click()  # "Make a link for them"
    link_html = card.children[7].words.value + card.children[7].link.value
    assert "https://coach.example.org/voila/render/about-me.ipynb?key=" in link_html
    assert "<script>" not in link_html
    member_link_key = card.children[7].link.value.split("key=")[1]

    serve_page(monkeypatch, member_link_key)
    assert "only the page your leader asked you to fill in" in ChoiceExercise().store_error
    page = AboutMe()
    assert page.access.member is not None and page.name.value == "Ana <script>x</script>"
    said = _page_text(page)
    assert "your leader and their coach can see it, no one else can" in said
    chosen = [*reversed(page.ranking.cards.order), *reversed(page.ranking.appeals.order)]
    page.ranking.set_order(chosen, page.content.motivators)
    page.prepare.click()
    assert "Sent." in page.message.value
    with WorkbookStore(db_url, client_id=dana_id) as dana:
        plan = dana.list_plans()[0]
        sent = dana.answers(plan.id, "motivators")[member_key(member.id, "self")].value
    assert sent["order"] == chosen
    with WorkbookStore(db_url, client_id=clients["Sam"][0]) as sam:
        assert sam.list_plans() == []

    # Once the leader removes them, the page says so and sends nothing.
    leader._member_removed(member)
    page.prepare.click()
    assert "removed you" in page.message.value


@pytest.mark.parametrize("ending", ["revoke", "renew", "erase"])
def test_an_open_page_stops_at_once_when_its_link_ends_and_never_reaches_another_client(
    db_url: str, monkeypatch, clients, ending: str
):
    dana_id, dana_key = clients["Dana"]
    serve_page(monkeypatch, dana_key)
    page = ChoiceExercise()
    page.picker.new_name.value = "Made in the open tab"
    page.picker.create.click()
    with WorkbookStore(db_url) as coach:
        {
            "revoke": coach.revoke_client,
            "renew": coach.renew_client_key,
            "erase": coach.erase_client,
        }[ending](dana_id)
        newcomer, _ = coach.add_client("Newcomer")
    assert newcomer.id != dana_id
    with WorkbookStore(db_url, client_id=newcomer.id) as other:
        other.create_plan("Newcomer's plan")

    page._look()  # what the open page does every few seconds
    assert "no longer works" in page.guard.problem
    page.picker.new_name.value = "After the end"
    page.picker.create.click()
    assert "no longer works" in page.picker.message.value
    page.reflections["hardest"].value = "typed after the end"
    assert "no longer works" in page.autosaver.status.value
    assert "Newcomer" not in str(page.picker.select.options)
    with WorkbookStore(db_url, client_id=newcomer.id) as other:
        (plan,) = other.list_plans()
        assert plan.name == "Newcomer's plan"
        assert other.answers(plan.id, "choice") == {}
    if ending != "erase":
        with WorkbookStore(db_url, client_id=dana_id) as dana:
            assert {p.name for p in dana.list_plans()} == {
                "Dana's merger plan",
                "Made in the open tab",
            }


def test_a_member_page_opened_before_a_revoke_sends_nothing_after_it(
    db_url: str, monkeypatch, clients
):
    dana_id, _dana_key = clients["Dana"]
    with WorkbookStore(db_url, client_id=dana_id) as dana:
        plan = dana.list_plans()[0]
        dana.save_answer(plan.id, "motivators", "members", [{"id": "m1", "name": "Ana"}])
        link_key = dana.add_member_link(plan.id, "m1", "Ana")
    serve_page(monkeypatch, link_key)
    page = AboutMe()
    with WorkbookStore(db_url) as coach:
        coach.revoke_client(dana_id)
        coach.renew_client_key(dana_id)  # a new link for Dana does not revive Ana's
    page.prepare.click()
    assert "Not sent" in page.message.value and "no longer works" in page.message.value
    assert "no longer works" in page.guard.problem
    with WorkbookStore(db_url, client_id=dana_id) as dana:
        assert member_key("m1", "self") not in dana.answers(plan.id, "motivators")


def test_a_course_participant_sees_their_mode_their_plans_and_only_revealed_figures(
    db_url: str, monkeypatch, clients
):
    from buyin_workbook.cohorts import exercise_results
    from buyin_workbook.exercises.selfcheck import SelfCheckExercise
    from tests.plugin.cohort import finish_selfcheck

    with WorkbookStore(db_url) as store:
        cohort, _, _ = store.create_cohort("Spring", ["selfcheck"], 3)
        people = [store.join_cohort(cohort.id, f"Alias {n}") for n in range(3)]
    for n, (participant, key) in enumerate(people):
        finish_selfcheck(
            db_url,
            participant.id,
            key,
            attitude="commitment",
            stance="aligned",
            scores=(n + 1,) * 5,
        )
    _, key = people[0]
    serve_page(monkeypatch, key)
    assert current_access().role == "participant"
    page = SelfCheckExercise()
    text = _page_text(page)
    assert "on the workbook server your course facilitator runs" in text
    assert "not your answers" in text and "coach" not in text and "this computer" not in text
    assert plan_names(page) == {"My plan"}  # their own, not Dana's or another participant's
    panel = page.cohort_panel
    assert "Once your facilitator reveals this exercise" in panel.body.value

    with WorkbookStore(db_url) as store:
        exercise_results(store, cohort, "selfcheck")  # the facilitator looks: a release
        store.set_revealed(cohort.id, "selfcheck", True)
    page._look()  # the page's next look finds the reveal
    assert "How the cohort answered" in panel.body.value
    assert "◆ you" in panel.body.value
    assert "Commitment ◆ you" in html.unescape(panel.body.value).replace(
        '<span class="bw-you">', ""
    )
    assert "3 of 3" in panel.body.value  # all three chose commitment
    page.close_store()

    # A coach's client's page has no cohort panel at all.
    serve_page(monkeypatch, clients["Dana"][1])
    client_page = SelfCheckExercise()
    assert not hasattr(client_page, "cohort_panel")
    client_page.close_store()


def test_a_course_participants_team_member_is_told_who_sees_their_order(db_url: str, monkeypatch):
    from buyin_workbook.use_cases.privacy_notice import where_answers_live

    with WorkbookStore(db_url) as store:
        cohort, _, _ = store.create_cohort("Spring", ["motivators"], 3)
        participant, key = store.join_cohort(cohort.id, "Amber Heron")
    with WorkbookStore(db_url, client_id=participant.id, access_key=key) as theirs:
        plan = theirs.create_plan("Team rota")
        member_key_ = theirs.add_member_link(plan.id, "m1", "Kim")
    serve_page(monkeypatch, member_key_)
    member = current_access()
    assert member.role == "member" and member.cohort_id == cohort.id
    text = where_answers_live(member)
    assert "the workbook server of their course: your leader can see it" in text
    assert "facilitator only if your leader shares their summary" in text
    assert "coach" not in text


def test_on_a_hub_a_leaders_page_says_their_answers_stay_in_their_own_server(
    db_url: str, monkeypatch
):
    # A hub whose cohort service does not answer: the page says nothing is sent, and sends
    # nothing (no panel).
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:1/hub/api")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-users-own-token")
    page = ChoiceExercise()
    text = _page_text(page)
    assert "in your own server on this hub" in text and "nothing is sent anywhere" in text
    assert page.hub is None
    from buyin_workbook.use_cases.privacy_notice import where_answers_live
    from buyin_workbook.use_cases.visitor import Access

    with WorkbookStore(db_url) as store:
        in_cohort = where_answers_live(Access("leader"), store, "cohort-<b>spring</b>")
    assert "course cohort “cohort-<b>spring</b>”" in in_cohort
    assert "only its anonymous figures" in in_cohort and "never your words" in in_cohort
    assert "nothing is sent anywhere" not in in_cohort


def test_a_served_page_speaks_the_asked_then_the_set_then_the_browsers_language(
    db_url: str, monkeypatch, tmp_path: Path
):
    """The kernel of a served page: ``?lang=`` in its link, then the client's or cohort's
    language, then the browser's; the exercise's words follow (the levels' published
    names); in JupyterLab, JupyterLab's own language setting."""
    with WorkbookStore(db_url) as coach:
        _anna, anna = coach.add_client("Anna", language="de")
        _bea, bea = coach.add_client("Bea")
        cohort, _facilitator, _join = coach.create_cohort("Atelier", ["choice"], language="fr")
        _person, carla = coach.join_cohort(cohort.id, "Carla")
    cases = [
        (anna, "", "es", "de"),
        (anna, "lang=fr", "es", "fr"),
        (bea, "", "es-MX, de;q=0.5", "es"),
        (bea, "", "", "en"),
        (carla, "", "de", "fr"),  # a participant reads their cohort's
    ]
    for key, query, accepted, expected in cases:
        serve_page(monkeypatch, key, query=query, accept_language=accepted)
        assert current_access().language == expected, (query, accepted)
    serve_page(monkeypatch, anna)
    level = ChoiceExercise().content.level(6)
    assert level.label == "6 · Erkundigen"

    monkeypatch.delenv("BUYIN_WORKBOOK_SERVED", raising=False)
    monkeypatch.setenv("QUERY_STRING", "")
    current_access.cache_clear()
    assert current_access().language == "en"
    # In JupyterLab: the language chosen in JupyterLab's own settings.
    settings = tmp_path / "lab" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"locale": "es_ES"}', "utf-8")
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "lab"))
    current_access.cache_clear()
    assert current_access().language == "es"
    assert ChoiceExercise().content.level(1).label == "1 · Decir"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_link_is_explained_to_whoever_holds_it(language: str):
    """A link that opens nothing is refused alike for a team member, a participant, a
    client and a coach: the words name no one's role and no command to type."""
    said = translator(language).gettext(REFUSED).lower()
    for word in ("coach", "facilitat", "modera", "jupyter", "`", "leader", "führungskraft"):
        assert word not in said, (language, word)
