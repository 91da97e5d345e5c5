"""The secure page every server of the workbook sends (``serve``, the hub's cohort service,
the Lab API's report): one content-security policy, one set of headers, one template folder.

No page of the workbook runs a script of its own or loads anything from elsewhere, is ever
framed, kept in a cache or sniffed as another type, and keys that travel in links are never
passed on as a referrer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import jinja2

from ._version import __version__

#: No script, no outside request, no frame; forms post nowhere.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
    "frame-ancestors 'none'"
)
#: Pages with a form post back to their own server, and only to it.
FORM_CSP = PAGE_CSP.replace("form-action 'none'", "form-action 'self'")
#: A document a visitor saves (the report): no script, whatever its text holds.
DOCUMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

#: The pages' shared base template and styles.
TEMPLATES = Path(__file__).parent / "serve" / "templates"


class _Handler(Protocol):
    def set_header(self, name: str, value: Any) -> None: ...


def templates(*folders: Path, strict: bool = True) -> jinja2.Environment:
    """Templates from ``folders`` first, then the shared ones, everything escaped; with
    ``strict``, a value a template names but is not given is an error, not an empty string."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )


def secure_headers(handler: _Handler, *, referrer: str = "no-referrer") -> None:
    """The headers of every page: never kept, never sniffed, never framed, and keys in links
    never passed on (``same-origin`` where a form must post back: Chromium sends
    "Origin: null" with no referrer at all, which Jupyter's origin check refuses)."""
    handler.set_header("Referrer-Policy", referrer)
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("X-Frame-Options", "DENY")


def html_page(
    handler: _Handler, env: jinja2.Environment, template: str, *, csp: str, **values: Any
) -> str:
    """Set the page's policy and type, and render it (the caller finishes the response)."""
    handler.set_header("Content-Security-Policy", csp)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    return env.get_template(template).render(version=__version__, **values)
