"""The cohort service as a participant's workbook reaches it: from their own kernel on the
hub, with the user's own hub token (``$JUPYTERHUB_API_TOKEN``), never a database password.

Outside a hub (no ``$JUPYTERHUB_API_URL``) there is no service and nothing is sent.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .. import environment as env
from .._text import N_, Said
from ..config import WorkbookConfig, load_workbook_config

#: Seconds to wait for the service: a page must not hang on it.
TIMEOUT = 5.0
UNREACHABLE = N_(
    "Your course's cohort service cannot be reached just now. Your answers are safe in your "
    "own workbook; your figures are sent the next time this page looks (in a few seconds)."
)
_REFUSED = N_("The cohort service refused this ({code}).")
_PLAIN_BLANK = re.compile(r"\{(\w+)\}")


class CohortServiceError(Said):
    """The service could not be reached or refused a request; the message is for the user,
    in their language."""


def _refusal(reply: object, code: int) -> CohortServiceError:
    """What the service said in refusing (its words and plain blanks, said in the page's
    language), else its English, else the refusal's code."""
    if isinstance(reply, dict):
        words, values = reply.get("words"), reply.get("values")
        if (
            isinstance(words, str)
            and isinstance(values, dict)
            # Plain blanks only ("{count}"), each given: nothing for format() to look into.
            and set(values) == set(_PLAIN_BLANK.findall(words))
            and words.count("{") == len(_PLAIN_BLANK.findall(words))
            and all(isinstance(v, str | int) and not isinstance(v, bool) for v in values.values())
        ):
            return CohortServiceError(words, **values)
        if isinstance(reply.get("error"), str):
            return CohortServiceError("{error}", error=reply["error"])
    return CohortServiceError(_REFUSED, code=code)


@dataclass(frozen=True)
class HubCohort:
    """A cohort the hub says the user is in."""

    group: str
    exercises: tuple[str, ...]
    min_group: int
    revealed: frozenset[str]


class CohortService:
    """Calls to the cohort service's API with the user's own hub token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self._token = token

    @classmethod
    def find(cls, config: WorkbookConfig | None = None) -> CohortService | None:
        """The service of the hub this server runs on; ``None`` off a hub. Its address is
        ``c.WorkbookConfig.cohort_service_url``, or the hub's record of the service named
        ``c.WorkbookConfig.cohort_service_name``."""
        hub_api = env.JUPYTERHUB_API_URL.get()
        token = env.JUPYTERHUB_API_TOKEN.get()
        if not hub_api or not token:
            return None
        config = config or load_workbook_config()
        if config.cohort_service_url:
            return cls(config.cohort_service_url, token)
        name = quote(config.cohort_service_name, safe="")
        model = _request(f"{hub_api.rstrip('/')}/services/{name}", token)
        # The service's own address when the hub shares it; otherwise through the proxy.
        url = model.get("url") or ""
        if url:
            return cls(url.rstrip("/") + model.get("prefix", "/"), token)
        public = env.JUPYTERHUB_PUBLIC_URL.get() or hub_api.split("/hub/api")[0]
        return cls(public.rstrip("/") + model.get("prefix", f"/services/{name}/"), token)

    def cohorts(self) -> list[HubCohort]:
        me = self._call("GET", "api/me")
        return [
            HubCohort(
                c["group"], tuple(c["exercises"]), int(c["min_group"]), frozenset(c["revealed"])
            )
            for c in me.get("cohorts", [])
        ]

    def send(self, group: str, exercise: str, measures: dict[str, Any]) -> None:
        self._call("PUT", f"api/cohorts/{_part(group)}/measures/{_part(exercise)}", measures)

    def withdraw(self, group: str) -> None:
        """Take back everything this user's workbook sent to the cohort."""
        self._call("DELETE", f"api/cohorts/{_part(group)}/measures")

    def results(self, group: str, exercise: str) -> dict[str, Any]:
        return self._call("GET", f"api/cohorts/{_part(group)}/results/{_part(exercise)}")

    def _call(self, method: str, path: str, measures: dict[str, Any] | None = None) -> Any:
        body = None if measures is None else json.dumps({"measures": measures}).encode()
        return _request(self.url + path, self._token, method, body)


def _part(text: str) -> str:
    return quote(text, safe="")


def _request(url: str, token: str, method: str = "GET", body: bytes | None = None) -> Any:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"token {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read()
    except urllib.error.HTTPError as error:
        try:
            reply = json.loads(error.read() or b"{}")
        except ValueError:
            reply = None
        raise _refusal(reply, error.code) from error
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        raise CohortServiceError(UNREACHABLE) from error
    return json.loads(data) if data else None


def cohort_for(
    exercise_id: str, config: WorkbookConfig | None = None
) -> tuple[CohortService, HubCohort] | None:
    """The hub cohort this user works through ``exercise_id`` in, with its service; ``None``
    off a hub, outside any cohort, or while the service cannot be reached (then nothing is
    sent, as the page says)."""
    try:
        service = CohortService.find(config)
        if service is None:
            return None
        cohorts = service.cohorts()
    except CohortServiceError:
        return None
    for cohort in cohorts:
        if exercise_id in cohort.exercises:
            return service, cohort
    return None
