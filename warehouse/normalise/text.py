"""Cleaning of free text, names and the half-width forms of coded cells."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_MIDDLE_DOTS_FROM = ("•", "・", "･", "‧", "∙")
_MIDDLE_DOTS = str.maketrans(dict.fromkeys(_MIDDLE_DOTS_FROM, "·"))
_ALL_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# A value quoted in a reason is cut to this many characters: a reason is one readable line, and
# the quoted part must stay short enough for the dbt macro ``reason_category`` to mask it (“…”, ≤ 200).
QUOTE_LIMIT = 40


def clean_cell(raw: object) -> str | None:
    """Cell text with surrounding white space (full-width too) removed; blank → ``None``."""
    if raw is None:
        return None
    text = str(raw).replace("\u3000", " ").replace("\ufeff", "").strip()
    return text or None


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation as their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def strip_all_spaces(text: str) -> str:
    """Remove every space inside the text, ordinary and full-width alike."""
    return _ALL_SPACE.sub("", text)


def clean_name(raw: object) -> str | None:
    """A person's name: spaces removed anywhere, the middle dot ``·`` kept in one form."""
    text = clean_cell(raw)
    if text is None:
        return None
    return strip_all_spaces(text).translate(_MIDDLE_DOTS) or None


def clean_code(raw: object) -> str | None:
    """A coded value: half-width, no spaces, an Excel number's ``.0`` dropped (``1.0`` → ``1``)."""
    text = clean_cell(raw)
    if text is None:
        return None
    text = strip_all_spaces(half_width(text))
    # NFKC can leave a space before a combining mark (``¸`` → `` ̧``); once that space is gone the
    # mark composes with its letter, so normalise again: the result is then stable.
    text = strip_all_spaces(half_width(text))
    if re.fullmatch(r"[0-9]+\.0+", text):
        text = text.split(".", 1)[0]
    return text or None


def quote(text: str) -> str:
    """A cell value for a reason: in “…”, at most ``QUOTE_LIMIT`` characters, one line.

    Reasons are grouped by masking their quoted values, so a value must not carry quotation
    marks or line breaks of its own, and a huge cell must not make a huge reason.
    """
    flat = re.sub(r"\s+", " ", text).replace("“", '"').replace("”", '"')
    if len(flat) > QUOTE_LIMIT:
        flat = f"{flat[:QUOTE_LIMIT]}…（共 {len(text)} 个字符）"
    return f"“{flat}”"


# ---- the same cleaning over whole columns (polars) -------------------------------------------
# Every character ``str.strip()`` removes (``str.isspace``: Unicode white space plus the four
# ASCII separators \x1c–\x1f that Rust's ``\s`` lacks); all of them lie below U+3001.
PY_SPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_ALL_SPACE_CLASS = f"[{PY_SPACE}\u200b\ufeff]+"  # = _ALL_SPACE, for the Rust regex engine


def _null_if_empty(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_chars() > 0).then(expr)


def clean_cell_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`clean_cell` over a column of text: the same result for every cell."""
    return _null_if_empty(expr.str.replace_all("\ufeff", "", literal=True)
                          .str.replace_all("\u3000", " ", literal=True).str.strip_chars(PY_SPACE))


def clean_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`clean_cell_expr` over every column of a frame of cell text, at less cost.

    Most columns hold neither U+3000 nor U+FEFF; one cheap look finds the columns that do,
    and only they pay for the two replacements (three passes over the text instead of one).
    """
    if not frame.width:
        return frame
    texts = [pl.col(name).cast(pl.String) for name in frame.columns]
    special = frame.select(text.str.contains_any(["\u3000", "\ufeff"]).any() for text in texts).row(0)
    return frame.select(clean_cell_expr(text) if has else _null_if_empty(text.str.strip_chars(PY_SPACE))
                        for text, has in zip(texts, special, strict=True))


def strip_all_spaces_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`strip_all_spaces` over a column of text."""
    return expr.str.replace_all(_ALL_SPACE_CLASS, "")


def clean_name_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`clean_name` over a column of text."""
    dots = list(_MIDDLE_DOTS_FROM)
    return _null_if_empty(strip_all_spaces_expr(clean_cell_expr(expr))
                          .str.replace_many(dots, ["·"] * len(dots)))
