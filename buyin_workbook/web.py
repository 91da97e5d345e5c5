"""The secure page every server of the workbook sends (``serve``, the hub's cohort service,
the Lab API's report): one content-security policy, one set of headers, one template folder.

No page of the workbook loads anything from elsewhere (the facilitator's live dashboards run
one script of their own, which asks their own server for the page again), is ever
framed, kept in a cache or sniffed as another type, and keys that travel in links are never
passed on as a referrer. A store's problem is answered the same way by all three: in the
reader's words, never as a 500 with a traceback (:func:`store_errors`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import parse_qsl, urlencode

import jinja2
from markupsafe import Markup, escape
from tornado import web
from tornado.log import app_log

from ._store.errors import PlanNotFound, StoreError, public_error
from ._text import Said, TextError
from ._version import __version__
from .languages import LANGUAGE_NAMES, N_, Translator, choose_language, translator

#: No script, no outside request, no frame; forms post nowhere.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
    "frame-ancestors 'none'"
)
#: Pages with a form post back to their own server, and only to it.
FORM_CSP = PAGE_CSP.replace("form-action 'none'", "form-action 'self'")


def live_csp(nonce: str) -> str:
    """A form page that runs one script of its own, the one given ``nonce`` (a live
    dashboard's: it asks its own server for the page again, and nothing else)."""
    script = f"script-src 'nonce-{nonce}'; connect-src 'self';"
    return FORM_CSP.replace("default-src 'none';", f"default-src 'none'; {script}")


#: A document a visitor saves (the report): no script, whatever its text holds.
DOCUMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

#: The pages' shared base template and styles.
TEMPLATES = Path(__file__).parent / "serve" / "templates"


class _Handler(Protocol):
    def set_header(self, name: str, value: Any) -> None: ...


def templates(*folders: Path, strict: bool = True) -> jinja2.Environment:
    """Templates from ``folders`` first, then the shared ones, everything escaped; with
    ``strict``, a value a template names but is not given is an error, not an empty string.

    Their words go through ``_("...", blank=value)`` and ``ngettext(one, other, count)``,
    in the language of the page's own ``translator`` (see :func:`html_page`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
    return env


def _page_translator(context: jinja2.runtime.Context) -> Translator:
    found = context.get("translator")
    return found if isinstance(found, Translator) else translator()


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str, **values: Any) -> Markup:
    """A template's words in its page's language; the blanks' values are escaped."""
    text = _page_translator(context).gettext(message)
    return Markup(escape(text)).format(**values)


@jinja2.pass_context
def _ngettext(
    context: jinja2.runtime.Context, singular: str, plural: str, count: int, **values: Any
) -> Markup:
    page = _page_translator(context)
    text = page.plural_form(singular, plural, count)
    return Markup(escape(text)).format(count=page.number(count), **values)


def secure_headers(handler: _Handler, *, referrer: str = "no-referrer") -> None:
    """The headers of every page: never kept, never sniffed, never framed, and keys in links
    never passed on (``same-origin`` where a form must post back: Chromium sends
    "Origin: null" with no referrer at all, which Jupyter's origin check refuses)."""
    handler.set_header("Referrer-Policy", referrer)
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("X-Frame-Options", "DENY")


class PageLanguage:
    """The language a page speaks to its visitor (mixed into a Tornado handler: ``serve``'s
    pages and the hub's cohort service)."""

    request: Any
    #: The language the visitor's coach or facilitator set for them, once the handler knows
    #: who they are (``None``: none set).
    set_language: str | None = None

    def page_translator(self) -> Translator:
        """The visitor's language: the page's ``?lang=``, then the one set for them, then
        their browser's, else English (:func:`~buyin_workbook.languages.choose_language`)."""
        asked = self.get_argument("lang", None)  # type: ignore[attr-defined]
        accepted = self.request.headers.get("Accept-Language")
        return translator(choose_language(asked, self.set_language, accepted))

    def asked_language(self) -> dict[str, str]:
        """``{"lang": code}`` when the page's address chose its language, for the links and
        forms the page makes (the language set for the visitor, or their browser's, needs
        no carrying); ``{}`` otherwise."""
        if self.get_argument("lang", None) is None:  # type: ignore[attr-defined]
            return {}
        return {"lang": self.page_translator().language}

    def language_query(self, separator: str = "?") -> str:
        """``?lang=code`` (or ``&lang=code``) for a link or redirect the page makes, when its
        address chose its language; "" otherwise."""
        asked = self.asked_language()
        return f"{separator}{urlencode(asked)}" if asked else ""

    def language_links(self, current: str, *, keep_key: bool = True) -> list[dict[str, Any]]:
        """This page in each language: its own address with ``lang`` set (its key kept,
        unless the page refuses the key)."""
        left_out = {"lang", "since"} if keep_key else {"lang", "since", "key"}
        query = [(k, v) for k, v in parse_qsl(self.request.query) if k not in left_out]
        return [
            {
                "code": code,
                "name": name,
                "href": f"{self.request.path}?{urlencode([*query, ('lang', code)])}",
                "current": code == current,
            }
            for code, name in LANGUAGE_NAMES.items()
        ]


_PAGES = N_("Workbook pages")
_SKIP = N_("Skip to the exercise")
_TABLE = N_("Table (scrolls sideways on a narrow screen)")
_LANGUAGE = N_("Language")


def exercise_page_words(words: Translator) -> dict[str, str]:
    """The words the exercise pages' own Voila template (``share/jupyter/voila/templates/
    buyin``) asks its server for, in the visitor's language: the skip link's, the pages bar's
    and its language switch's names, and a wide table's (``serve``'s bar and the Lab API)."""
    return {
        "label": words.gettext(_PAGES),
        "skip": words.gettext(_SKIP),
        "table": words.gettext(_TABLE),
        "languages_label": words.gettext(_LANGUAGE),
    }


def html_page(
    handler: _Handler, env: jinja2.Environment, template: str, *, csp: str, **values: Any
) -> str:
    """Set the page's policy and type, and render it (the caller finishes the response)."""
    handler.set_header("Content-Security-Policy", csp)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    values.setdefault("translator", translator())
    values.setdefault("languages", ())
    page: Translator = values["translator"]
    handler.set_header("Content-Language", page.language)
    return env.get_template(template).render(
        version=__version__, lang=page.language, language_names=LANGUAGE_NAMES, **values
    )


class Told(web.HTTPError):
    """An error answered with words written for its reader (any detail went to the log):
    words with ``{blanks}`` and their values, said in each reader's language
    (:meth:`said_in`); ``message`` is the English."""

    def __init__(self, status: int, words: str, **values: object) -> None:
        self.said = Said(words, **values)
        self.message = str(self.said)
        # The message as log_message too: Jupyter's API handlers answer with it.
        super().__init__(status, self.message)

    @classmethod
    def about(cls, status: int, error: Said) -> Self:
        """Answer ``status`` with an error's own words and blanks."""
        return cls(status, error.words, **error.values)

    def said_in(self, words: Translator) -> str:
        return words.said(self.said)


class StoreUnavailable(Told):
    """The store could not do what a request asked (unreachable, damaged, busy, newer...)."""


def store_problem(
    error: StoreError | TextError, request: Any, *, operator: bool = False
) -> web.HTTPError:
    """What a request that met ``error`` answers: a missing plan 404, bad text 400, any
    other store problem 503. Only a reader who runs the server (``operator``: the Lab
    API's leader) is told where the database is and what its driver said; anyone else
    reads plain words, and the detail goes to the operator's log (without the query, which
    may hold a key)."""
    if isinstance(error, TextError):
        return Told.about(400, error)
    if isinstance(error, PlanNotFound):
        return Told.about(404, error)
    if operator:
        return StoreUnavailable.about(503, error)
    app_log.warning("%s %s: %s", request.method, request.path, error)
    return StoreUnavailable.about(503, public_error(error))


_Method = TypeVar("_Method", bound=Callable[..., Any])


def store_errors(method: _Method | None = None, *, operator: bool = False) -> Any:
    """A handler method (plain or async) whose store problems answer as
    :func:`store_problem` says; ``@store_errors`` or ``@store_errors(operator=True)``."""

    def decorate(method: _Method) -> _Method:
        @functools.wraps(method)
        async def wrapper(handler: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                result = method(handler, *args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
                return result
            except (StoreError, TextError) as error:
                raise store_problem(error, handler.request, operator=operator) from None

        return wrapper  # type: ignore[return-value]

    return decorate if method is None else decorate(method)
