"""The store's errors: each message is written for the person who will read it."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the workbook's database; the message is written for the user."""

    #: Whether trying again later can work (a busy or full disk can clear; a damaged file,
    #: a newer version or a withdrawn link cannot).
    retryable = True


class StoreVersionError(StoreError):
    """The database was written by a newer Buy-in Workbook."""

    retryable = False


class StoreCorruptError(StoreError):
    """The file is damaged or is not a workbook database."""

    retryable = False


class PlanNotFound(StoreError):
    """No plan with that id (it may have been erased in another window)."""


class PlanFileError(StoreError):
    """A plan file to import is not one this version can read."""


class ClientNotFound(StoreError):
    """No client with that name or number."""


class StoreReadOnlyError(StoreError):
    """The database can be read but not written (a read-only file, folder or disk)."""

    retryable = False


class AccessEnded(StoreError):
    """The served link this store works through was withdrawn, replaced or erased."""

    retryable = False


#: What an open page says once its link stops working (revoked, renewed or erased).
ACCESS_ENDED = (
    "This link no longer works: it has been withdrawn or replaced. This page can "
    "no longer read or save answers, and what you type now is not kept. Ask for "
    "a new link."
)
