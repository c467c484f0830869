"""Pure normalisers for the cells of raw exports.

Each normaliser takes the text of one cell (``None`` for an empty cell) and returns either the
normalised value or an :class:`Invalid` carrying the reason in plain Chinese. They never raise
on any input: a bad cell is a rejected row (contract §9), never a crash and never a guess.
"""

from warehouse.normalise.result import Invalid, is_invalid

__all__ = ["Invalid", "is_invalid"]
