"""``.str`` pattern methods: count, find, match, fullmatch, extract, findall, extractall.

Regular expressions are RE2 through ``pyarrow.compute`` on the host, once per distinct
value (the dictionary), and the codes carry the answers to every row on the device.
``findall`` and ``extractall``, which pyarrow has no kernel for, use Python's ``re``
over the distinct values. ``find``/``rfind`` are literal and use ``str.find`` over the
distinct values, so positions count characters, as pandas'.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["StringRegexMixin", "capture_groups"]

_INLINE = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s"}


def with_flags(pat: str, flags: int, case: bool = True) -> str:
    """``pat`` with ``re`` flags written inline (RE2 takes ``(?ims)``)."""
    if not isinstance(pat, str):
        raise TypeError(f"the pattern must be a str, got {type(pat).__name__}")
    rest = flags & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE)
    if rest:
        raise NotImplementedError(
            f"regular-expression flags {re.RegexFlag(rest)!r} are not supported by RE2; "
            f"use re.IGNORECASE, re.MULTILINE or re.DOTALL (or inline (?ims) in the pattern)"
        )
    letters = "".join(ch for flag, ch in _INLINE.items() if flags & flag)
    if not case and "i" not in letters:
        letters += "i"
    return f"(?{letters}){pat}" if letters else pat


def capture_groups(pat: str) -> tuple[list[str], str]:
    """(column names, pattern with every group named) for ``extract``.

    Named groups keep their names; an unnamed group is named by its position among
    all groups (``"0"``, ``"1"``...), as pandas names the columns.

    Examples
    --------
    >>> capture_groups(r"(?P<y>\\d+)-(\\d+)[(]x(?:z)")
    (['y', '1'], '(?P<y>\\\\d+)-(?P<_g1>\\\\d+)[(]x(?:z)')
    """
    names: list[str] = []
    out: list[str] = []
    i, n = 0, len(pat)
    while i < n:
        ch = pat[i]
        if ch == "\\":
            out.append(pat[i:i + 2])
            i += 2
            continue
        if ch == "[":  # a character class: parentheses inside are literal
            j = i + 1
            if j < n and pat[j] == "^":
                j += 1
            if j < n and pat[j] == "]":
                j += 1
            while j < n and pat[j] != "]":
                j += 2 if pat[j] == "\\" else 1
            out.append(pat[i:j + 1])
            i = j + 1
            continue
        if ch == "(":
            named = re.match(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", pat[i:])
            if named:
                names.append(named.group(1))
                out.append(f"(?P<{named.group(1)}>")
                i += named.end()
                continue
            if pat.startswith("(?", i):
                out.append(ch)
                i += 1
                continue
            out.append(f"(?P<_g{len(names)}>")
            names.append(str(len(names)))
            i += 1
            continue
        out.append(ch)
        i += 1
    return names, "".join(out)


class StringRegexMixin:
    """Needs ``_apply(func)``, ``_values()`` (the strings a per-value function sees),
    ``_s`` (the Series) and ``_col`` (its column)."""

    _apply: Any
    _native: Any
    _values: Any
    _s: Any
    _col: Any

    def count(self, pat: str, flags: int = 0) -> Any:
        """Number of non-overlapping matches of the regular expression ``pat``.

        On the plain layout a pattern without special characters is counted on the
        device; other regular expressions run on the host through ``pyarrow.compute``
        (zero copy on the CPU, counted crossings on a GPU).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["banana", None]).str.count("an").to_list()  # float64 where missing, as pandas
        [2.0, None]
        """
        pattern = with_flags(pat, flags)
        host = lambda d: pc.count_substring_regex(d, pattern).cast(pa.int64())  # noqa: E731
        if self._col.layout == "plain":
            from headwater.dataframe.accessors import strings_plain as plain

            literal = plain.literal_of(pat, True, flags)
            if literal is not None:
                return self._native(plain.count(self._col, literal), host)
        return self._apply(host)

    def _python_find(self, method: str, sub: str, start: int, end: int | None) -> Any:
        if not isinstance(sub, str):
            raise TypeError(f"find needs a str to look for, got {type(sub).__name__}")
        if self._col.layout == "plain" and start == 0 and end is None:
            from headwater.dataframe.accessors import strings_plain as plain

            out = plain.find(self._col, sub, last=method == "rfind")
            if out is not None:
                return self._result(out)  # float64 where missing, as pandas
        return self._apply(lambda d: pa.array(
            [None if v is None else getattr(v, method)(sub, start, end) for v in d.to_pylist()],
            pa.int64()))

    def find(self, sub: str, start: int = 0, end: int | None = None) -> Any:
        """Lowest position of the literal ``sub`` in ``[start, end)``, or -1.

        On the plain layout, without ``start``/``end``, the first match is found on the
        device; otherwise Python's ``str.find`` runs per value on the host.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["hello", "xyz"]).str.find("l").to_list()
        [2, -1]
        """
        return self._python_find("find", sub, start, end)

    def rfind(self, sub: str, start: int = 0, end: int | None = None) -> Any:
        """Highest position of the literal ``sub`` in ``[start, end)``, or -1.

        Found on the device as :meth:`find` is, with the same host path.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["hello"]).str.rfind("l").to_list()
        [3]
        """
        return self._python_find("rfind", sub, start, end)

    def match(self, pat: str, case: bool = True, flags: int = 0, na: Any = None) -> Any:
        """Whether the regular expression matches at the start of the value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["apple", "pineapple"]).str.match("app").to_list()
        [True, False]
        """
        pattern = with_flags(rf"\A(?:{pat})", flags, case)
        return self._apply(lambda d: pc.match_substring_regex(d, pattern), False if na is None else na)

    def fullmatch(self, pat: str, case: bool = True, flags: int = 0, na: Any = None) -> Any:
        """Whether the regular expression matches the whole value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["abc", "abcd"]).str.fullmatch("a.c").to_list()
        [True, False]
        """
        pattern = with_flags(rf"\A(?:{pat})\z", flags, case)
        return self._apply(lambda d: pc.match_substring_regex(d, pattern), False if na is None else na)

    def extract(self, pat: str, flags: int = 0, expand: bool = True) -> Any:
        """The capture groups of the first match, one column per group.

        Columns are named by the group names, or ``"0"``, ``"1"``... for unnamed
        groups; a value that does not match (or a group that did not take part) is
        null. ``expand=False`` with a single group gives a Series.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["a1", "b22", "c", None])
        >>> s.str.extract(r"([a-z])(\\d+)").to_dict()
        {'0': ['a', 'b', None, None], '1': ['1', '22', None, None]}
        >>> s.str.extract(r"(?P<digits>\\d+)", expand=False).to_list()
        ['1', '22', None, None]
        """
        names, pattern = capture_groups(pat)
        if not names:
            raise ValueError(f"pattern {pat!r} contains no capture groups; wrap the part to extract in (...)")
        pattern = with_flags(pattern, flags)
        dictionary = self._values()
        values = pc.extract_regex(dictionary, pattern)
        spans = pc.extract_regex_span(dictionary, pattern)
        matched = pc.is_valid(spans)
        columns = {}
        for k, name in enumerate(names):
            took_part = pc.and_(matched, pc.is_valid(spans.field(k)))
            taken = pc.if_else(took_part, values.field(k), pa.scalar(None, pa.string()))
            columns[name] = self._col.map_dictionary(lambda d, taken=taken: taken)
        if not expand and len(names) == 1:
            label = None if names[0] == "0" else names[0]
            return self._s._from_column(columns[names[0]], label)
        from headwater.dataframe.frame import DataFrame

        return DataFrame._from_columns(columns)

    def extractall(self, pat: str, flags: int = 0) -> Any:
        """The capture groups of every match, one row per match, as pandas' ``extractall``.

        The result is keyed by the source row (the Series' keys, else its position, an
        unnamed key) and ``match``, the match number within the value (pandas'
        MultiIndex); values without a match, and nulls, give no row. Columns are named
        as :meth:`extract`'s. See :mod:`headwater.dataframe.accessors.string_extractall`.

        Examples
        --------
        >>> import headwater as hw
        >>> out = hw.Series(["a1b2", None, "c3"]).str.extractall(r"([a-z])(\\d)")
        >>> out.index.tolist(), out.reset_index().to_dict()["1"]
        ([(0, 0), (0, 1), (2, 0)], ['1', '2', '3'])
        """
        from headwater.dataframe.accessors.string_extractall import extractall

        return extractall(self._s, self._values(), pat, flags)

    def findall(self, pat: str, flags: int = 0) -> Any:
        """Every match of ``pat`` in each value, as a list column; with groups, the groups
        of each match (as ``re.findall``; a single group gives its text).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a1b2", "c", None]).str.findall(r"\\d").to_list()
        [['1', '2'], [], None]
        """
        from headwater.dataframe.accessors.strings import _per_code

        regex = re.compile(pat, flags)
        found = [regex.findall(v) for v in self._values().to_pylist()]
        if regex.groups > 1:
            raise NotImplementedError("findall with several groups gives tuples, which columns do not "
                                      "hold; use str.extractall or one group")
        return self._s._from_column(_per_code(self._col, pa.array(found, pa.list_(pa.string()))), self._s.name)
