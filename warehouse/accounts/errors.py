"""The one failure of account handling: a one-line Chinese reason for the steward."""

from __future__ import annotations


class AccountsError(Exception):
    """A bad account command or an unsafe accounts file; the message is shown as is."""
