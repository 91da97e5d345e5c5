"""The store's errors: each message is written for the person who will read it."""

from __future__ import annotations

from .._text import N_, Said


class StoreError(Said):
    """A problem with the workbook's database; the message is written for the user."""

    #: Whether trying again later can work (a busy or full disk can clear; a damaged file,
    #: a newer version or a withdrawn link cannot).
    retryable = True


#: What someone who does not run the server is told of a database problem: the detail
#: (where the database is, what its driver said) is for the operator and the log.
UNAVAILABLE = N_(
    "The workbook's server cannot read or save answers just now. Everything saved before "
    "is kept; please try again in a moment, and if it goes on, tell whoever sent you the link."
)


class DatabaseProblem(StoreError):
    """The database itself failed: unreachable, full, read-only, damaged, busy, newer. The
    message names where it is and why, for whoever runs it; :attr:`public` is for anyone."""

    def __init__(self, words: str, public: str = UNAVAILABLE, **values: object) -> None:
        super().__init__(words, **values)
        self.public = public


class StoreVersionError(DatabaseProblem):
    """The database was written by a newer Buy-in Workbook."""

    retryable = False


class StoreCorruptError(DatabaseProblem):
    """The file is damaged or is not a workbook database."""

    retryable = False


class PlanNotFound(StoreError):
    """No plan with that id (it may have been erased in another window)."""


class PlanFileError(StoreError):
    """A plan file to import is not one this version can read."""


class ClientNotFound(StoreError):
    """No client with that name or number."""


class StoreReadOnlyError(DatabaseProblem):
    """The database can be read but not written (a read-only file, folder or disk)."""

    retryable = False


class AccessEnded(StoreError):
    """The served link this store works through was withdrawn, replaced or erased."""

    retryable = False


def public_error(error: StoreError) -> Said:
    """What a visitor (not the server's operator) may be told of ``error``: a database's
    problem in plain words (its detail is the operator's), any other as it is."""
    return Said(error.public) if isinstance(error, DatabaseProblem) else error


#: What an open page says once its link stops working (revoked, renewed or erased).
ACCESS_ENDED = N_(
    "This link no longer works: it has been withdrawn or replaced. This page can "
    "no longer read or save answers, and what you type now is not kept. Ask for "
    "a new link."
)
