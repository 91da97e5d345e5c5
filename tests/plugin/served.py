"""A kernel as ``serve`` starts it for one page request, in the test's own process."""

from __future__ import annotations

import pytest

from buyin_workbook import environment
from buyin_workbook.use_cases.visitor import current_access


def serve_page(
    monkeypatch: pytest.MonkeyPatch, key: str, *, query: str = "", accept_language: str = ""
) -> None:
    """A kernel started for one page request (not pre-heated: the query is in its env),
    with the rest of its link's query and its browser's Accept-Language, as Voila gives."""
    monkeypatch.setenv(environment.SERVED.name, "1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", f"key={key}{'&' + query if query else ''}")
    monkeypatch.setenv(environment.ACCEPT_LANGUAGE.name, accept_language)
    monkeypatch.setenv(environment.LINK_BASE.name, "https://coach.example.org/")
    current_access.cache_clear()
