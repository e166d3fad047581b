"""``Series.str``: one accessor over both string layouts.

On the dictionary layout a function runs once per distinct value with
pyarrow.compute: a column of ten million rows and a thousand distinct values does a
thousand string operations on the host and one gather of codes on the device. On
the plain layout (offsets + bytes) the methods with a device kernel
(:mod:`.strings_plain`: ``len``, ``lower``/``upper``, ``slice``/``get``/``str[i]``,
``strip``, ``contains``/``startswith``/``endswith`` of literals, literal ``replace``,
``cat``) run on the device; the others, and regular expressions, run the same
pyarrow kernel over every row on the host (zero copy on the CPU, counted crossings
on a GPU). Either way a string result keeps its input's layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.accessors import strings_plain as plain
from headwater.dataframe.accessors.string_forms import StringFormsMixin
from headwater.dataframe.accessors.string_regex import StringRegexMixin
from headwater.dataframe.accessors.string_split import StringSplitMixin
from headwater.dataframe.column.base import UnsupportedOperation

__all__ = ["StringAccessor"]

_FAR = 2**31 - 1  # a stop past the end of every string


class StringAccessor(StringFormsMixin, StringRegexMixin, StringSplitMixin):
    """String methods of a string (or categorical) Series.

    Padding, case and character-class methods live in ``string_forms``, pattern
    methods (``count find match fullmatch extract findall``) in ``string_regex``,
    ``split``/``rsplit`` in ``string_split``.
    """

    _LIST_METHODS = ("get", "slice", "len", "join", "__getitem__")

    def __init__(self, series: Any) -> None:
        col = series._column
        if col.kind not in ("string", "categorical", "list"):
            raise UnsupportedOperation(
                f".str needs a str column, got {col.dtype}; convert with .astype('str') first"
            )
        self._s = series
        self._col = col

    def __getattribute__(self, name: str) -> Any:
        # a list column (from split or findall) has only the element methods, as in pandas
        if not name.startswith("_") and object.__getattribute__(self, "_col").kind == "list" \
                and name not in StringAccessor._LIST_METHODS:
            raise UnsupportedOperation(f".str.{name} needs a str column; on lists use .str[i], "
                                       f".str.get, .str.slice, .str.len or .str.join")
        return object.__getattribute__(self, name)

    def _lists(self) -> bool:
        return self._col.kind == "list"

    def _apply(self, func: Any, na: Any = False) -> Any:
        return self._result(self._col.map_dictionary(func), na)

    def _result(self, col: Any, na: Any = False) -> Any:
        """A result as pandas' default ``str`` dtype gives it: a test is ``na`` (False
        unless given) where the value is missing, a number is float64 with NaN there."""
        if col.mask is not None and col.kind in ("bool", "int", "uint") and self._col.kind != "list":
            if col.kind == "bool":
                col = col.fillna(bool(na)) if na is not None and not (isinstance(na, float) and na != na) else col
            elif col.null_count:
                col = col.astype("float64")
        return self._s._from_column(col, self._s.name)

    @property
    def _plain(self) -> bool:
        return self._col.layout == "plain"

    def _values(self) -> pa.Array:
        """The strings a per-value function sees: the dictionary, or every row (plain)."""
        return self._col.valid_values() if self._plain else self._col.dictionary

    def _native(self, col: Any, host: Any, na: Any = False) -> Any:
        """The device kernel's column, or the host function's when the kernel declined."""
        if col is None:
            return self._apply(host, na)
        return self._result(col, na)

    def lower(self) -> Any:
        """Lower-case.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["A", None]).str.lower().to_list()
        ['a', None]
        """
        if self._plain:
            return self._native(plain.case(self._col, upper=False), pc.utf8_lower)
        return self._apply(pc.utf8_lower)

    def upper(self) -> Any:
        """Upper-case.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a"]).str.upper().to_list()
        ['A']
        """
        if self._plain:
            return self._native(plain.case(self._col, upper=True), pc.utf8_upper)
        return self._apply(pc.utf8_upper)

    def strip(self, to_strip: str | None = None) -> Any:
        """Remove leading and trailing whitespace (or the characters in ``to_strip``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([" a "]).str.strip().to_list()
        ['a']
        """
        host = pc.utf8_trim_whitespace if to_strip is None else (lambda d: pc.utf8_trim(d, characters=to_strip))
        if self._plain:
            return self._native(plain.strip(self._col, to_strip, True, True), host)
        return self._apply(host)

    def lstrip(self) -> Any:
        """Remove leading whitespace.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([" a "]).str.lstrip().to_list()
        ['a ']
        """
        if self._plain:
            return self._native(plain.strip(self._col, None, True, False), pc.utf8_ltrim_whitespace)
        return self._apply(pc.utf8_ltrim_whitespace)

    def rstrip(self) -> Any:
        """Remove trailing whitespace.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([" a "]).str.rstrip().to_list()
        [' a']
        """
        if self._plain:
            return self._native(plain.strip(self._col, None, False, True), pc.utf8_rtrim_whitespace)
        return self._apply(pc.utf8_rtrim_whitespace)

    def len(self) -> Any:
        """Number of characters.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab", "", None]).str.len().to_list()  # float64 where missing, as pandas
        [2.0, 0.0, None]
        """
        if self._lists():
            from headwater.dataframe.column import build_column

            _, lengths, _ = self._col.row_lists()
            return self._s._from_column(build_column(lengths, self._col.mask), self._s.name)
        if self._plain:
            return self._native(plain.length(self._col), None)
        return self._apply(lambda d: pc.utf8_length(d).cast(pa.int64()))

    def contains(self, pat: str, case: bool = True, regex: bool = True, na: Any = None) -> Any:
        """Whether ``pat`` occurs (a regular expression unless ``regex=False``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["apple", "b.b"]).str.contains(".", regex=False).to_list()
        [False, True]
        >>> hw.Series(["apple", "bob"]).str.contains("^a").to_list()
        [True, False]
        """
        if regex:
            func = lambda d: pc.match_substring_regex(d, pat, ignore_case=not case)  # noqa: E731
        else:
            func = lambda d: pc.match_substring(d, pat, ignore_case=not case)  # noqa: E731
        literal = plain.literal_of(pat, regex) if self._plain and isinstance(pat, str) else None
        na = False if na is None else na  # pandas' default str dtype: False where missing
        if literal is not None:
            return self._native(plain.contains(self._col, literal, case), func, na)
        return self._apply(func, na)

    def startswith(self, pat: str, na: Any = False) -> Any:
        """Whether the value starts with ``pat`` (``na`` where the value is missing).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab", "ba", None]).str.startswith("a").to_list()
        [True, False, False]
        """
        if self._plain:
            return self._native(plain.affix(self._col, pat, at_end=False), None, na)
        return self._apply(lambda d: _any_of(pc.starts_with, d, pat), na)

    def endswith(self, pat: str, na: Any = False) -> Any:
        """Whether the value ends with ``pat`` (``na`` where the value is missing).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab", "ba"]).str.endswith("a").to_list()
        [False, True]
        """
        if self._plain:
            return self._native(plain.affix(self._col, pat, at_end=True), None, na)
        return self._apply(lambda d: _any_of(pc.ends_with, d, pat), na)

    def replace(self, pat: str, repl: str, n: int = -1, regex: bool = False) -> Any:
        """Replace ``pat`` by ``repl`` (literal unless ``regex=True``, as pandas 2+).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a-b-c"]).str.replace("-", "+").to_list()
        ['a+b+c']
        >>> hw.Series(["a1b22"]).str.replace(r"\\d+", "#", regex=True).to_list()
        ['a#b#']
        """
        max_n = None if n is None or n < 0 else n
        if regex:  # RE2 (pyarrow) and Python share the \1 back-reference syntax
            return self._apply(lambda d: pc.replace_substring_regex(d, pat, repl, max_replacements=max_n))
        host = lambda d: pc.replace_substring(d, pat, repl, max_replacements=max_n)  # noqa: E731
        if self._plain:
            return self._native(plain.replace(self._col, pat, repl, max_n), host)
        return self._apply(host)

    def slice(self, start: int | None = None, stop: int | None = None, step: int | None = None) -> Any:
        """Characters ``start:stop:step``, with Python's slice rules (negative positions
        and steps included).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["hello"]).str.slice(1, 3).to_list()
        ['el']
        >>> hw.Series(["hello", None]).str.slice(step=-1).to_list()
        ['olleh', None]
        """
        step = 1 if step is None else int(step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if self._lists():
            import pyarrow.compute as lpc

            stop_at = None if stop is None else int(stop)
            if (start or 0) < 0 or (stop_at is not None and stop_at < 0) or step < 0:
                raise NotImplementedError("slicing lists takes non-negative start, stop and step")
            from headwater.dataframe.column import column_from_arrow

            sliced = lpc.list_slice(self._col.to_arrow(), int(start or 0), stop_at, step)
            return self._s._from_column(column_from_arrow(sliced, device=self._col.device), self._s.name)
        if self._plain and step == 1:
            return self._native(plain.char_slice(self._col, start, stop), None)
        if start is None:
            start = 0 if step > 0 else -1
        if stop is None:
            stop = _FAR if step > 0 else -_FAR - 1
        return self._apply(lambda d: pc.utf8_slice_codeunits(d, int(start), int(stop), step))

    def __getitem__(self, key: int | slice) -> Any:
        """``s.str[i]`` is :meth:`get` (one character, null out of range) and
        ``s.str[a:b:c]`` is :meth:`slice`.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["apple", "fig", None])
        >>> s.str[:2].to_list(), s.str[-1].to_list()
        (['ap', 'fi', None], ['e', 'g', None])
        """
        if isinstance(key, slice):
            return self.slice(key.start, key.stop, key.step)
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            return self.get(int(key))
        raise TypeError(
            f".str[...] takes an int position or a slice, got {type(key).__name__} {key!r}; "
            f"use .str.get(i) or .str.slice(start, stop)"
        )

    def get(self, i: int) -> Any:
        """The character at position ``i`` (null when out of range).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["abc", "a"]).str.get(1).to_list()
        ['b', None]
        """
        if self._lists():
            from headwater.dataframe.reshape.explode import list_elements

            return self._s._from_column(list_elements(self._col, int(i)), self._s.name)
        if self._plain:
            return self._native(plain.char_get(self._col, int(i)), None)

        def one(d: pa.Array) -> pa.Array:
            stop = i + 1 if i != -1 else _FAR
            out = pc.utf8_slice_codeunits(d, i, stop)
            length = pc.utf8_length(d)
            inside = pc.less(pa.scalar(i), length) if i >= 0 else pc.less_equal(pa.scalar(-i), length)
            return pc.if_else(inside, out, pa.scalar(None, pa.string()))

        return self._apply(one)

    def join(self, sep: str) -> Any:
        """Join the elements of each list (or the characters of each string) with ``sep``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a,b,c"]).str.split(",").str.join("-").to_list()
        ['a-b-c']
        >>> hw.Series(["ab"]).str.join(".").to_list()
        ['a.b']
        """
        from headwater.dataframe.column import column_from_arrow

        if self._lists():
            joined = pc.binary_join(self._col.to_arrow().cast(pa.list_(pa.string())), sep)
            return self._s._from_column(column_from_arrow(joined, device=self._col.device), self._s.name)
        return self._apply(lambda d: pa.array([None if v is None else sep.join(v) for v in d.to_pylist()],
                                              pa.string()))

    def get_dummies(self, sep: str = "|", dtype: Any = None) -> Any:
        """Indicator columns of the tokens split on ``sep`` (see
        :func:`headwater.dataframe.accessors.string_dummies.string_dummies`)."""
        from headwater.dataframe.accessors.string_dummies import string_dummies

        return string_dummies(self._s, sep, dtype)

    def cat(self, others: Any = None, sep: str = "") -> Any:
        """Join with other string Series row by row, or all values into one string.

        Examples
        --------
        >>> import headwater as hw
        >>> a = hw.Series(["a", "b"])
        >>> a.str.cat(hw.Series(["x", "y"]), sep="-").to_list()
        ['a-x', 'b-y']
        >>> a.str.cat(sep="+")
        'a+b'
        """
        if others is None:
            values = [v for v in self._s.to_list() if v is not None]
            return sep.join(values)
        from headwater.dataframe.series import Series

        others = others if isinstance(others, (list, tuple)) else [others]
        out = self._s
        for other in others:
            other = other if isinstance(other, Series) else Series(other)
            out = (out + sep + other) if sep else out + other
        return out


def _any_of(kernel: Any, d: pa.Array, pat: str | tuple[str, ...]) -> pa.Array:
    """``kernel(d, p)`` or-ed over ``pat`` (a string or a tuple of them, as pandas takes)."""
    pats = (pat,) if isinstance(pat, str) else tuple(pat)
    out = kernel(d, pats[0]) if pats else pc.is_null(d)
    for p in pats[1:]:
        out = pc.or_(out, kernel(d, p))
    return out


def _per_code(col: Any, per_value: pa.Array) -> Any:
    """A list column whose row holds ``per_value[code]`` (one list per distinct value), or
    one list per non-null row for the plain layout."""
    from headwater.dataframe.column import build_column, column_from_arrow
    from headwater.dataframe.dtypes import ListDtype

    if col.layout == "plain" and len(per_value):  # one list per non-null row
        return col.spread_valid(column_from_arrow(per_value, device=col.device))
    values = per_value if len(per_value) else pa.array([None], pa.list_(pa.string()))
    codes = col.data if len(per_value) else col.xp.zeros(len(col), dtype=np.int64)
    mask = col.mask if len(per_value) else col.xp.zeros(len(col), dtype=bool)
    return build_column(codes.astype(np.int64), mask, ListDtype(values.type.value_type), values=values)
