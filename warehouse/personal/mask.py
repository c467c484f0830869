"""How an ID number may be shown: the first 6 and last 4 characters, never the whole number."""

from __future__ import annotations

import re

# 15 or 18 characters, or any long run of digits (a mistyped ID is still someone's ID).
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})[0-9]{4,}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_id(id_number: str | None) -> str | None:
    """``511102********012X``: region prefix and last four, the rest starred."""
    if id_number is None:
        return None
    text = str(id_number)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_id_like(text: str | None) -> str | None:
    """Every ID-shaped run of digits in ``text`` masked as :func:`mask_id` does."""
    if text is None:
        return None
    return _ID_LIKE.sub(lambda match: mask_id(match.group(0)) or "", text)
