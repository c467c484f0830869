"""The two kinds of failure a steward can meet (contract §9)."""

from __future__ import annotations


class FileError(Exception):
    """A bad file: the refresh stops, nothing is published, the message names the file."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class RefreshError(Exception):
    """A refresh that could not publish (a failed dbt test, a lock held); one-line reason."""
