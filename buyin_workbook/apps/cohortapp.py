"""`jupyter workbook cohort`: a facilitator's course cohorts (create, list, close, export,
erase)."""

from __future__ import annotations

import json
from abc import abstractmethod
from pathlib import Path
from typing import Any

from traitlets import Bool, Integer, Unicode

from .._text import N_, FilledWords, file_slug, same_text
from ..exercises import EXERCISES
from ..languages import LANGUAGE_NAMES, Translator
from ..store import (
    MAX_PARTICIPANTS_DEFAULT,
    MIN_GROUP_DEFAULT,
    MIN_GROUP_FLOOR,
    Cohort,
    StoreError,
    WorkbookStore,
    shown_join_code,
)
from .base import LANGUAGE_CHOICES, LinksCommand, WorkbookCommand

EXPORT_FORMATS = ("csv", "json")


class _CohortCommand(LinksCommand):
    def name_hint(self) -> str:
        return N_('name one cohort, e.g. "Leading change, spring" (see --help).')

    def whole_number(self, text: str, what: str) -> int:
        try:
            return int(text)
        except ValueError:
            self.fail(N_("{what} must be a whole number (got “{text}”)."), what=what, text=text)

    def print_links(
        self, store: WorkbookStore, cohort: Cohort, facilitator_key: str, join_key: str
    ) -> None:
        code = shown_join_code(store.join_code(cohort.id))
        self.say(N_("Join link (send it to the participants):"))
        print(self.link("cohort/join", join_key))
        self.say(
            N_("Join code (for a room to type; the presenter view shows it): {code}"), code=code
        )
        self.say(N_("Your facilitator dashboard (keep this link to yourself; shown once):"))
        print(self.link("cohort", facilitator_key))
        self.say(N_("Its presenter view, for the projector:"))
        print(self.link("cohort/present", facilitator_key))


class _OneCohortCommand(_CohortCommand):
    #: Whether the command makes sense for a cohort on JupyterHub (which has no links).
    for_hub_cohorts = True

    def run(self, store: WorkbookStore, *names: str) -> None:
        cohort = store.find_cohort(names[0])
        if cohort.hub_group is not None and not self.for_hub_cohorts:
            self.fail(
                N_(
                    "“{name}” is a cohort on JupyterHub: the hub group “{group}” says who is in "
                    "it, so it has no join or facilitator links to renew or close. Change the "
                    "group's members on the hub."
                ),
                name=cohort.name,
                group=cohort.hub_group,
            )
        self.act(store, cohort)

    @abstractmethod
    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        """Do the command's work for the cohort named."""


class CreateCohortApp(_CohortCommand):
    name = "jupyter-workbook-cohort-create"
    description = N_(
        "Create a course cohort and print its join link (for the participants) and your "
        "facilitator link (keep it to yourself). Both are shown once; only their hashes "
        "are kept."
    )
    examples = N_(
        'jupyter workbook cohort create "Leading change, spring"\n'
        'jupyter workbook cohort create "Leading change" --exercises=choice,selfcheck '
        "--min-group=6\n"
        'jupyter workbook cohort create "Leading change, Tuesday" --expect=30'
    )
    aliases = {
        **_CohortCommand.aliases,
        "exercises": "CreateCohortApp.exercises",
        "min-group": "CreateCohortApp.min_group",
        "max-participants": "CreateCohortApp.max_participants",
        "expect": "CreateCohortApp.expect",
        "language": "CreateCohortApp.language",
    }
    exercises = Unicode(
        ",".join(EXERCISES),
        help=FilledWords(
            N_("Comma-separated exercises the cohort works through, from: {exercises}."),
            exercises=", ".join(EXERCISES),
        ),
    ).tag(config=True)
    min_group = Integer(
        MIN_GROUP_DEFAULT,
        help=FilledWords(
            N_(
                "The fewest people a figure is drawn over (at least {least}): a figure over "
                "fewer is not shown, and figures change only in steps of at least this many "
                "people, so no one's answers can be picked out."
            ),
            least=MIN_GROUP_FLOOR,
        ),
    ).tag(config=True)

    max_participants = Integer(
        MAX_PARTICIPANTS_DEFAULT,
        help=N_(
            "How many may join by the cohort's link; the join page refuses more, in words "
            "(a leaked link fills no more than this). Change it later with `cohort limit`."
        ),
    ).tag(config=True)

    expect = Integer(
        0,
        help=N_(
            'How many you expect to open their pages together (a room told "open the '
            "link now\"): `serve` keeps that many of the cohort's first pages warm until they "
            "have come, so the room waits seconds, not minutes. Each warm page holds a kernel "
            "(about 40 MB forked, until its visitor comes). 0: no crowd announced. Change it "
            "later with `cohort expect`."
        ),
    ).tag(config=True)

    language = Unicode(
        "",
        help=FilledWords(
            N_(
                "The language the cohort's participants read the workbook in, one of: "
                "{languages}. Empty: the one each participant's page or browser asks for, "
                "else English."
            ),
            languages=LANGUAGE_CHOICES,
        ),
    ).tag(config=True)

    def run(self, store: WorkbookStore, *names: str) -> None:
        chosen = [e.strip() for e in self.exercises.split(",") if e.strip()]
        cohort, facilitator_key, join_key = store.create_cohort(
            names[0],
            chosen,
            self.min_group,
            self.max_participants,
            self.expect,
            language=self.language or None,
        )
        self.say(
            N_(
                "Cohort “{name}”: {exercises}; figures from {least} people up; at most {most} "
                "participants."
            ),
            name=cohort.name,
            exercises=", ".join(cohort.exercises),
            least=cohort.min_group,
            most=cohort.max_participants,
        )
        if cohort.language:
            self.say(
                N_("Its participants read it in {language}."),
                language=LANGUAGE_NAMES[cohort.language],
            )
        if cohort.expected:
            print(_expect_words(cohort, self.words))
        self.print_links(store, cohort, facilitator_key, join_key)


class LimitCohortApp(_CohortCommand):
    name = "jupyter-workbook-cohort-limit"
    description = N_(
        "Change how many may join a cohort by its link. Those already in stay, even above "
        "the new limit; the join page refuses newcomers once it is reached."
    )
    examples = 'jupyter workbook cohort limit "Leading change, spring" 40'
    takes_name = 2

    def name_hint(self) -> str:
        return N_('name the cohort and the most participants, e.g. "Leading change" 40.')

    def run(self, store: WorkbookStore, *names: str) -> None:
        cohort = store.find_cohort(names[0])
        wanted = self.whole_number(names[1], self.words.gettext("the most participants"))
        cohort = store.limit_cohort(cohort.id, wanted)
        joined = len(store.participants(cohort.id))
        self.say(
            N_("“{name}” takes at most {most} participants ({joined} joined so far)."),
            name=cohort.name,
            most=cohort.max_participants,
            joined=joined,
        )


def _expect_words(cohort: Cohort, words: Translator) -> str:
    first = EXERCISES[cohort.exercises[0]].content(words.language).title
    if not cohort.expected:
        return words.gettext(
            "“{name}”: no crowd announced; its pages start as they are opened.", name=cohort.name
        )
    return words.gettext(
        "“{name}”: {count} expected. A running `jupyter workbook serve` has that many "
        "“{exercise}” pages warm within a minute, until they have come.",
        name=cohort.name,
        count=cohort.expected,
        exercise=first,
    )


class ExpectCohortApp(_CohortCommand):
    name = "jupyter-workbook-cohort-expect"
    description = N_(
        "Say how many participants you expect to open their pages together, so `serve` "
        "has the cohort's first pages warm before they arrive (0: no crowd announced, and "
        "the warm pages are given back)."
    )
    examples = 'jupyter workbook cohort expect "Leading change, spring" 30'
    takes_name = 2

    def name_hint(self) -> str:
        return N_('name the cohort and how many you expect, e.g. "Leading change" 30.')

    def run(self, store: WorkbookStore, *names: str) -> None:
        cohort = store.find_cohort(names[0])
        wanted = self.whole_number(names[1], self.words.gettext("how many you expect"))
        print(_expect_words(store.expect_cohort(cohort.id, wanted), self.words))


class RemoveParticipantApp(_CohortCommand):
    name = "jupyter-workbook-cohort-remove"
    description = N_(
        "Take one participant out of a cohort by their alias: their private link stops at "
        "once (an open page says so) and their plans and answers are erased. Figures already "
        "shown stay as they were: new figures would give the removed person's answers away "
        "by the difference, so they are held back until the rules allow them again."
    )
    examples = 'jupyter workbook cohort remove "Leading change, spring" "Amber Heron"'
    takes_name = 2
    yes = Bool(False, help=N_("Remove without asking to confirm.")).tag(config=True)
    flags = {
        "yes": ({"RemoveParticipantApp": {"yes": True}}, N_("Remove without asking to confirm."))
    }

    def name_hint(self) -> str:
        return N_(
            'name the cohort and the participant\'s alias, e.g. "Leading change" "Amber Heron".'
        )

    def run(self, store: WorkbookStore, *names: str) -> None:
        cohort = store.find_cohort(names[0])
        participant = store.find_participant(cohort.id, names[1])
        if not self.yes:
            answer = input(
                self.words.gettext(
                    "Remove “{alias}” from “{name}” and erase their answers? Type their alias: ",
                    alias=participant.alias,
                    name=cohort.name,
                )
            )
            if not same_text(answer, participant.alias):
                self.fail(N_("nobody removed."))
        store.remove_participant(cohort.id, participant.id)
        self.say(
            N_("Removed “{alias}” from “{name}”: their link no longer works."),
            alias=participant.alias,
            name=cohort.name,
        )


class CohortLinksApp(_OneCohortCommand):
    name = "jupyter-workbook-cohort-links"
    description = N_(
        "Print a new join link and a new facilitator link for a cohort (if one was lost or "
        "shared too widely); the old ones stop working. Participants keep their own links."
    )
    for_hub_cohorts = False

    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        facilitator_key, join_key = store.renew_cohort_links(cohort.id)
        self.say(N_("New links for “{name}” (the old ones no longer work):"), name=cohort.name)
        self.print_links(store, cohort, facilitator_key, join_key)


class ListCohortsApp(_CohortCommand):
    name = "jupyter-workbook-cohort-list"
    description = N_("List your cohorts: open or closed, their exercises and participants.")
    takes_name = 0

    def run(self, store: WorkbookStore, *names: str) -> None:
        cohorts = store.cohorts()
        if not cohorts:
            self.say(N_('No cohorts yet. Create one with: jupyter workbook cohort create "Name"'))
            return
        width = max(len(c.name) for c in cohorts)
        words = self.words
        for cohort in cohorts:
            state = (
                words.gettext("on JupyterHub")
                if cohort.hub_group is not None
                else words.gettext("open")
                if cohort.open
                else words.gettext("closed {day}", day=(cohort.closed_at or "")[:10])
            )
            people = len(store.participants(cohort.id))
            joined = (
                words.ngettext("{count} participant", "{count} participants", people)
                if cohort.hub_group is not None
                else words.gettext(
                    "{count} of {most} participants", count=people, most=cohort.max_participants
                )
            )
            least = words.gettext("min group {count}", count=cohort.min_group)
            print(
                f"{cohort.name:<{width}}  {state:<17}  {joined}  {least}  "
                f"{','.join(cohort.exercises)}"
            )


class CloseCohortApp(_OneCohortCommand):
    name = "jupyter-workbook-cohort-close"
    description = N_(
        "Close a cohort to new participants: its join link stops working; everyone "
        "already in keeps their link and their work."
    )
    for_hub_cohorts = False

    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        store.close_cohort(cohort.id)
        self.say(N_("“{name}” is closed to new participants. Their work stays."), name=cohort.name)


class ReopenCohortApp(_OneCohortCommand):
    name = "jupyter-workbook-cohort-reopen"
    description = N_(
        "Open a closed cohort to new participants again: its join link and code work "
        "again, up to its limit."
    )
    for_hub_cohorts = False

    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        cohort = store.reopen_cohort(cohort.id)
        joined = len(store.participants(cohort.id))
        self.say(
            N_("“{name}” is open to new participants again ({joined} of at most {most} joined)."),
            name=cohort.name,
            joined=joined,
            most=cohort.max_participants,
        )


class ExportCohortApp(_OneCohortCommand):
    name = "jupyter-workbook-cohort-export"
    description = N_(
        "Write the figures released of the cohort, as its facilitator's dashboard shows "
        "them: each figure, and the answers behind it as plain values (one row each, with "
        "no id, so no row can be followed to one person). Only figures drawn over at least "
        "the cohort's minimum group; never free text."
    )
    examples = 'jupyter workbook cohort export "Leading change, spring" --format=csv,json'
    aliases = {
        **_CohortCommand.aliases,
        "format": "ExportCohortApp.formats",
        "output": "ExportCohortApp.output_dir",
    }
    formats = Unicode(
        ",".join(EXPORT_FORMATS),
        help=N_("Comma-separated formats: csv (values.csv and aggregates.csv), json (one file)."),
    ).tag(config=True)
    output_dir = Unicode(".", help=N_("Folder to write the files into (made if missing).")).tag(
        config=True
    )

    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        from ..cohorts import cohort_frames

        formats = [f.strip() for f in self.formats.split(",") if f.strip()]
        unknown = [f for f in formats if f not in EXPORT_FORMATS]
        if unknown or not formats:
            raise StoreError(
                N_("Formats are {formats} (got: {asked})."),
                formats=", ".join(EXPORT_FORMATS),
                asked=self.formats,
            )
        frames = cohort_frames(store, cohort)
        folder = Path(self.output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stem = file_slug(cohort.name, "cohort")
        if "csv" in formats:
            for name, frame in frames.items():
                path = folder / f"{stem}-{name}.csv"
                frame.to_csv(path, index=False)
                print(f"   csv  {path}")
        if "json" in formats:
            path = folder / f"{stem}.json"
            data: dict[str, Any] = {
                "cohort": {
                    "name": cohort.name,
                    "exercises": list(cohort.exercises),
                    "min_group": cohort.min_group,
                },
                **{name: frame.to_dict(orient="records") for name, frame in frames.items()},
            }
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
            print(f"  json  {path}")


class EraseCohortApp(_OneCohortCommand):
    name = "jupyter-workbook-cohort-erase"
    description = N_(
        "Delete a cohort with every participant, plan and answer in it and every figure "
        "shown of it, leaving no readable copy in the database. This cannot be undone."
    )
    yes = Bool(False, help=N_("Erase without asking to confirm.")).tag(config=True)
    flags = {"yes": ({"EraseCohortApp": {"yes": True}}, N_("Erase without asking to confirm."))}

    def act(self, store: WorkbookStore, cohort: Cohort) -> None:
        if not self.yes:
            answer = input(
                self.words.gettext(
                    "Erase “{name}” and all its participants' answers? Type its name: ",
                    name=cohort.name,
                )
            )
            if answer.strip().casefold() != cohort.name.casefold():
                self.fail(N_("nothing erased."))
        store.erase_cohort(cohort.id)
        self.say(N_("Erased “{name}” with all its participants' answers."), name=cohort.name)


class CohortApp(WorkbookCommand):
    name = "jupyter-workbook-cohort"
    description = N_(
        "Run course cohorts: a group works through the exercises, with anonymous figures."
    )
    subcommands: dict[str, Any] = {
        "create": ("buyin_workbook.apps.cohortapp.CreateCohortApp", CreateCohortApp.description),
        "list": ("buyin_workbook.apps.cohortapp.ListCohortsApp", ListCohortsApp.description),
        "links": ("buyin_workbook.apps.cohortapp.CohortLinksApp", CohortLinksApp.description),
        "close": ("buyin_workbook.apps.cohortapp.CloseCohortApp", CloseCohortApp.description),
        "reopen": ("buyin_workbook.apps.cohortapp.ReopenCohortApp", ReopenCohortApp.description),
        "limit": ("buyin_workbook.apps.cohortapp.LimitCohortApp", LimitCohortApp.description),
        "expect": ("buyin_workbook.apps.cohortapp.ExpectCohortApp", ExpectCohortApp.description),
        "remove": (
            "buyin_workbook.apps.cohortapp.RemoveParticipantApp",
            RemoveParticipantApp.description,
        ),
        "export": ("buyin_workbook.apps.cohortapp.ExportCohortApp", ExportCohortApp.description),
        "erase": ("buyin_workbook.apps.cohortapp.EraseCohortApp", EraseCohortApp.description),
    }
