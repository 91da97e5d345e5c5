"""`jupyter workbook clients`: the coach's client links (add, list, revoke, renew, erase)."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from traitlets import Bool, Unicode

from .._text import N_, FilledWords
from ..languages import LANGUAGE_NAMES
from ..store import Client, WorkbookStore
from .base import LANGUAGE_CHOICES, LinksCommand, WorkbookCommand


class _ClientsCommand(LinksCommand):
    """What every `clients` subcommand shares: the store and the links it prints."""

    def name_hint(self) -> str:
        return N_('name one client, e.g. "Dana" (see --help).')


class AddClientApp(_ClientsCommand):
    name = "jupyter-workbook-clients-add"
    description = N_(
        "Add a client and print their link. Send it to them privately: anyone "
        "holding it can open and change that client's answers."
    )
    examples = N_(
        'jupyter workbook clients add "Dana Lee"\n'
        'jupyter workbook clients add "Jonas Weber" --language=de'
    )
    aliases = {**_ClientsCommand.aliases, "language": "AddClientApp.language"}
    language = Unicode(
        "",
        help=FilledWords(
            N_(
                "The language the client reads the workbook in, one of: {languages}. Empty: "
                "the one their page or browser asks for, else English."
            ),
            languages=LANGUAGE_CHOICES,
        ),
    ).tag(config=True)

    def run(self, store: WorkbookStore, *names: str) -> None:
        client, key = store.add_client(names[0], self.language or None)
        self.say(
            N_("Link for {name} (shown once; `clients renew` makes a new one):"), name=client.name
        )
        print(self.link("", key))
        if client.language:
            self.say(
                N_("They read the workbook in {language}."),
                language=LANGUAGE_NAMES[client.language],
            )


class ListClientsApp(_ClientsCommand):
    name = "jupyter-workbook-clients-list"
    description = N_("List your clients, whether their link works, and their plans.")
    takes_name = 0

    def run(self, store: WorkbookStore, *names: str) -> None:
        clients = store.clients()
        if not clients:
            self.say(N_('No clients yet. Add one with: jupyter workbook clients add "Dana"'))
            return
        width = max(len(c.name) for c in clients)
        counts = store.plan_counts()
        words = self.words
        for client in clients:
            plans = words.ngettext("{count} plan", "{count} plans", counts.get(client.id, 0))
            state = (
                words.gettext("link works")
                if client.active
                else words.gettext("link withdrawn {day}", day=(client.revoked_at or "")[:10])
            )
            added = words.gettext("added {day}", day=client.created_at[:10])
            print(f"{client.name:<{width}}  {state:<26}  {plans:<9}  {added}")


class _OneClientCommand(_ClientsCommand):
    def run(self, store: WorkbookStore, *names: str) -> None:
        self.act(store, store.find_client(names[0]))

    @abstractmethod
    def act(self, store: WorkbookStore, client: Client) -> None:
        """Do the command's work for the client named."""


class RevokeClientApp(_OneClientCommand):
    name = "jupyter-workbook-clients-revoke"
    description = N_(
        "Stop a client's link (and the member links they made) from working. "
        "Their answers are kept; `clients renew` gives them a new link."
    )

    def act(self, store: WorkbookStore, client: Client) -> None:
        store.revoke_client(client.id)
        self.say(N_("{name}'s link no longer works. Their answers are kept."), name=client.name)


class RenewClientApp(_OneClientCommand):
    name = "jupyter-workbook-clients-renew"
    description = N_("Give a client a new link; their old link stops working.")

    def act(self, store: WorkbookStore, client: Client) -> None:
        key = store.renew_client_key(client.id)
        self.say(N_("New link for {name} (the old one no longer works):"), name=client.name)
        print(self.link("", key))


class EraseClientApp(_OneClientCommand):
    name = "jupyter-workbook-clients-erase"
    description = N_(
        "Delete a client with every plan and answer of theirs, leaving no "
        "readable copy in the database. This cannot be undone."
    )
    yes = Bool(False, help=N_("Erase without asking to confirm.")).tag(config=True)
    flags = {"yes": ({"EraseClientApp": {"yes": True}}, N_("Erase without asking to confirm."))}

    def act(self, store: WorkbookStore, client: Client) -> None:
        if not self.yes:
            asked = self.words.gettext(
                "Erase {name} and all their answers? Type their name: ", name=client.name
            )
            if input(asked).strip().casefold() != client.name.casefold():
                self.fail(N_("nothing erased."))
        store.erase_client(client.id)
        self.say(N_("Erased {name} and all their answers."), name=client.name)


class CoachLinkApp(_ClientsCommand):
    name = "jupyter-workbook-clients-coach-link"
    description = N_(
        "Print a new link to your coach dashboard (every client's progress and "
        "summaries); the previous dashboard link stops working."
    )
    takes_name = 0

    def run(self, store: WorkbookStore, *names: str) -> None:
        self.say(N_("Your coach dashboard (keep this link to yourself):"))
        print(self.link("coach", store.new_coach_key()))


class ClientsApp(WorkbookCommand):
    name = "jupyter-workbook-clients"
    description = N_("Manage the links your clients use to open the served workbook.")
    subcommands: dict[str, Any] = {
        "add": ("buyin_workbook.apps.clientsapp.AddClientApp", AddClientApp.description),
        "list": ("buyin_workbook.apps.clientsapp.ListClientsApp", ListClientsApp.description),
        "revoke": ("buyin_workbook.apps.clientsapp.RevokeClientApp", RevokeClientApp.description),
        "renew": ("buyin_workbook.apps.clientsapp.RenewClientApp", RenewClientApp.description),
        "erase": ("buyin_workbook.apps.clientsapp.EraseClientApp", EraseClientApp.description),
        "coach-link": ("buyin_workbook.apps.clientsapp.CoachLinkApp", CoachLinkApp.description),
    }
