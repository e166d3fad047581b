"""Errors the frame layer raises, with messages that name the problem and the fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["ColumnNotFoundError", "LengthMismatchError", "missing_column"]


class ColumnNotFoundError(KeyError):
    """A column name that the frame does not have; the message names the closest ones."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the sentence as written
        return str(self.args[0]) if self.args else ""


class LengthMismatchError(ValueError):
    """Columns or values of different lengths were put into one frame."""


def missing_column(name: object, available: Iterable[str]) -> ColumnNotFoundError:
    """The error for an unknown column, suggesting the closest existing names.

    Examples
    --------
    >>> from headwater.dataframe.errors import missing_column
    >>> print(missing_column("prise", ["price", "qty"]))
    column 'prise' not found; did you mean 'price'? Columns are: 'price', 'qty'
    """
    names = [str(n) for n in available]
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ";"
    listing = ", ".join(repr(n) for n in names[:20]) + (", ..." if len(names) > 20 else "")
    return ColumnNotFoundError(f"column {name!r} not found{hint} Columns are: {listing or '(none)'}")
