"""The value a normaliser returns for a cell it cannot accept."""

from __future__ import annotations

from typing import Any, NamedTuple, TypeGuard


class Invalid(NamedTuple):
    """A rejected cell; ``reason`` is shown to data stewards, so it is plain Chinese."""

    reason: str


def is_invalid(value: Any) -> TypeGuard[Invalid]:
    """True for the result of a normaliser that rejected its cell."""
    return isinstance(value, Invalid)
