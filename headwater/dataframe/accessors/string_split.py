"""``.str.split`` and ``.str.rsplit``: lists of parts, or (``expand=True``) a frame of them.

On the plain layout the parts are found on the device (:mod:`..column.string_split`):
a literal separator, ``""`` (every character, as a regular expression matching the
empty string splits) and whitespace (``pat=None``) on ASCII text. The result is a list
column whose elements stay on the device (list offsets over a plain string column of
the parts), which ``explode``, ``.str[i]`` and ``expand=True`` read without leaving the
device (on the CPU backend a literal separator runs pyarrow's split, twice as fast
there). Literal separators whose matches overlap (``"aa"`` in ``"aaa"``) run
``pyarrow.compute``'s split on the host over every row (zero copy on the CPU, counted
crossings on a GPU); separators that are regular expressions and whitespace split of
non-ASCII text (Unicode whitespace) run Python's ``re.split`` / ``str.split`` on the
host per value, as pandas does. On the dictionary layout each distinct value is
split once on the host and the rows share its list.

Which ``pat`` is a regular expression follows pandas: with ``regex=None`` a single
character is a literal and anything longer a regular expression (so ``split("")``
splits between characters); ``rsplit`` takes literals only.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column import string_kernels as sk
from headwater.dataframe.column import string_split as ss
from headwater.dataframe.column.listing import list_from_elements

__all__ = ["StringSplitMixin"]

_REGEX_SPECIAL = frozenset(".^$*+?{}[]\\|()")


def _limit(n: Any) -> int | None:
    if n is None:
        return None
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an int (the most splits; -1 or 0 for all), got {type(n).__name__} {n!r}")
    return None if n <= 0 else int(n)


def _device_parts(col: Any, pat: str | None, regex: bool, limit: int | None,
                  from_end: bool) -> tuple[Any, Any, Any] | None:
    """(list offsets, part starts, part lengths) of a plain column, or None for the host."""
    args = (col.backend, col.offsets, col.chars, col.mask)
    if pat is None:
        return ss.split_whitespace(*args, limit, from_end) if col.is_ascii() else None
    if pat == "":
        return ss.split_chars(*args, limit) if regex and not from_end else None
    if regex and any(ch in _REGEX_SPECIAL for ch in pat):
        return None
    return ss.split_literal(*args, pat.encode("utf-8"), limit, from_end)


def _host_split(values: pa.Array, pat: str | None, regex: bool, limit: int | None, from_end: bool) -> pa.Array:
    """The host split: ``pyarrow.compute`` for a literal, Python's ``str.split`` /
    ``re.split`` per value for whitespace and regular expressions (pandas' answers:
    pyarrow's whitespace split keeps empty parts at the ends, and its regular-expression
    split does not stop on a pattern that matches the empty string)."""
    if pat is not None and not regex:
        return pc.split_pattern(values, pat, max_splits=limit, reverse=from_end)
    if pat is None:
        method = "rsplit" if from_end else "split"
        split = lambda v: getattr(v, method)(None, -1 if limit is None else limit)  # noqa: E731
    else:
        split = lambda v, rx=re.compile(pat): rx.split(v, maxsplit=limit or 0)  # noqa: E731
    return pa.array([None if v is None else split(v) for v in values.to_pylist()], pa.list_(pa.string()))


class StringSplitMixin:
    """Needs ``_col`` (the column), ``_s`` (the Series) and ``_values()``."""

    _col: Any
    _s: Any
    _values: Any

    def split(self, pat: str | re.Pattern | None = None, n: int = -1, expand: bool = False,
              regex: bool | None = None) -> Any:
        """Split on ``pat`` (whitespace when None); ``expand=True`` gives a frame with one
        column per part.

        Without ``expand`` the parts come back as a list column (``.str[i]``, ``.str.len()``,
        ``.str.join`` and ``explode`` work on it). ``regex=None`` reads a single character
        as a literal and a longer ``pat`` as a regular expression, as pandas does;
        regular expressions run on the host through ``pyarrow.compute``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a,b", "c"]).str.split(",", expand=True).to_dict()
        {'0': ['a', 'c'], '1': ['b', None]}
        >>> hw.Series(["a,b", None]).str.split(",").str[-1].to_list()
        ['b', None]
        >>> hw.Series(["ab"]).astype("string").str.split("").to_list()
        [['', 'a', 'b', '']]
        """
        if isinstance(pat, re.Pattern):
            pat, regex = pat.pattern, True
        elif pat is not None and not isinstance(pat, str):
            raise TypeError(f"pat must be a str, a compiled pattern or None, got {type(pat).__name__}")
        if pat is not None:
            if regex is None:
                regex = len(pat) != 1
            elif pat == "" and not regex:
                raise ValueError("empty separator: split('') with regex=False has nothing to split on; "
                                 "use regex=True (or the default) to split between characters")
        return self._split(pat, bool(regex), _limit(n), expand, from_end=False)

    def rsplit(self, pat: str | None = None, n: int = -1, expand: bool = False) -> Any:
        """Split on the literal ``pat`` (whitespace when None) from the right: with ``n``,
        the ``n`` last separators split and the rest of the row stays whole.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a.b.c", None]).str.rsplit(".", n=1).to_list()
        [['a.b', 'c'], None]
        >>> hw.Series(["a b c"]).str.rsplit(n=1, expand=True).to_dict()
        {'0': ['a b'], '1': ['c']}
        """
        if pat is not None and not isinstance(pat, str):
            raise TypeError(f"rsplit takes a literal str separator (or None), got {type(pat).__name__}; "
                            f"use split(pat, regex=True) for a regular expression")
        if pat == "":
            raise ValueError("empty separator: rsplit('') has nothing to split on; use split('') to split "
                             "between characters")
        return self._split(pat, False, _limit(n), expand, from_end=True)

    def _split(self, pat: str | None, regex: bool, limit: int | None, expand: bool, from_end: bool) -> Any:
        col = self._col
        lists = None
        # a literal separator on the CPU backend: pyarrow's split (a memcpy per part) is
        # twice as fast there as the device kernel's byte positions
        host_literal = col.backend.host_fast_paths and pat and not regex
        if col.layout == "plain" and not host_literal:
            parts = _device_parts(col, pat, regex, limit, from_end)
            if parts is not None:
                list_offsets, starts, lengths = parts
                elements = col._rows(*sk.gather_ranges(col.backend, col.chars, starts, lengths, ordered=True),
                                     None)
                lists = list_from_elements(list_offsets, elements, col.mask)
        if lists is None:
            from headwater.dataframe.accessors.strings import _per_code

            lists = _per_code(col, _host_split(self._values(), pat, regex, limit, from_end))
        if not expand:
            return self._s._from_column(lists, self._s.name)
        return _expand(lists, col.layout == "dictionary")


def _expand(lists: Any, as_dictionary: bool) -> Any:
    """A frame with column ``str(k)`` holding part ``k`` of each row (null past its end)."""
    from headwater.dataframe.frame import DataFrame
    from headwater.tensor.transfer import to_host

    xp = lists.xp
    starts, lengths, elements = lists.row_lists()
    if as_dictionary and elements.kind == "string" and elements.layout == "plain":
        elements = elements.as_dictionary()
    width = int(to_host(xp.max(lengths))) if lengths.shape[0] else 0
    out = {}
    for k in range(max(width, 1)):
        index = xp.where(lengths > k, starts + k, -1)
        out[str(k)] = elements.take(index, allow_missing=True, checked=True)
    return DataFrame._from_columns(out)
