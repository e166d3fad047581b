"""``.str`` padding, case changes and character-class tests, once per distinct value.

On the plain layout padding (``pad center ljust rjust zfill``) is a device kernel
(:mod:`.strings_plain`; on the CPU backend the pyarrow kernels, faster there, except
for ``center``); the rest runs over every row on the host. Each is one
``pyarrow.compute`` kernel over the column's dictionary (``casefold``, which
pyarrow lacks, is Python's ``str.casefold`` over the dictionary); the answers agree with
pandas' pyarrow-backed ``str`` dtype.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["StringFormsMixin"]



def _center(d: pa.Array, width: int, fillchar: str) -> pa.Array:
    # Python's str.center places an odd fill character by the parity of the width,
    # which no pyarrow option reproduces; pandas gives Python's answer
    return pa.array([None if v is None else v.center(width, fillchar) for v in d.to_pylist()], pa.string())


# a width below 0 pads nothing, as 0 does; pyarrow's kernels are given 0 (they write out
# of bounds on a negative width)
_SIDES = {"left": lambda d, w, f: pc.utf8_lpad(d, max(w, 0), f),
          "right": lambda d, w, f: pc.utf8_rpad(d, max(w, 0), f), "both": _center}


def _check_fill(fillchar: Any) -> None:
    if not isinstance(fillchar, str) or len(fillchar) != 1:
        raise TypeError(f"fillchar must be a single character, got {fillchar!r}")


class StringFormsMixin:
    """Needs ``_apply(func)``: run a pyarrow function on the dictionary; ``_col`` and
    ``_native`` for the plain layout's device kernels (padding)."""

    _apply: Any
    _col: Any
    _native: Any

    def pad(self, width: int, side: str = "left", fillchar: str = " ") -> Any:
        """Pad to ``width`` characters on the ``left``, ``right`` or ``both`` sides.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab", None]).str.pad(4, fillchar="*").to_list()
        ['**ab', None]
        """
        if side not in _SIDES:
            raise ValueError(f"side must be 'left', 'right' or 'both', got {side!r}")
        _check_fill(fillchar)
        if isinstance(width, bool) or not isinstance(width, int):
            raise TypeError(f"width must be an int, got {type(width).__name__}")
        if self._col.layout == "plain":
            from headwater.dataframe.accessors import strings_plain as plain

            return self._native(plain.pad(self._col, width, side, fillchar),
                                lambda d: _SIDES[side](d, width, fillchar))
        return self._apply(lambda d: _SIDES[side](d, width, fillchar))

    def center(self, width: int, fillchar: str = " ") -> Any:
        """Pad on both sides to ``width`` (an odd fill character placed as ``str.center`` does).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab"]).str.center(5, "*").to_list()
        ['**ab*']
        """
        return self.pad(width, "both", fillchar)

    def ljust(self, width: int, fillchar: str = " ") -> Any:
        """Pad on the right to ``width``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab"]).str.ljust(4, ".").to_list()
        ['ab..']
        """
        return self.pad(width, "right", fillchar)

    def rjust(self, width: int, fillchar: str = " ") -> Any:
        """Pad on the left to ``width``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab"]).str.rjust(4, ".").to_list()
        ['..ab']
        """
        return self.pad(width, "left", fillchar)

    def zfill(self, width: int) -> Any:
        """Pad with ``0`` on the left to ``width``, after a leading sign.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["7", "-3", "abc"]).str.zfill(3).to_list()
        ['007', '-03', 'abc']
        """
        if isinstance(width, bool) or not isinstance(width, int):
            raise TypeError(f"width must be an int, got {type(width).__name__}")
        if self._col.layout == "plain":
            from headwater.dataframe.accessors import strings_plain as plain

            return self._native(plain.zfill(self._col, width), lambda d: pc.utf8_zero_fill(d, max(width, 0)))
        # a width below 0 pads nothing, as 0 does (pyarrow's kernel writes out of bounds on one)
        return self._apply(lambda d: pc.utf8_zero_fill(d, max(width, 0)))

    def title(self) -> Any:
        """Every word capitalised.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["hello wORLD"]).str.title().to_list()
        ['Hello World']
        """
        return self._apply(pc.utf8_title)

    def capitalize(self) -> Any:
        """First character upper-case, the rest lower-case.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["hello wORLD"]).str.capitalize().to_list()
        ['Hello world']
        """
        return self._apply(pc.utf8_capitalize)

    def swapcase(self) -> Any:
        """Upper-case to lower-case and back.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["aBc"]).str.swapcase().to_list()
        ['AbC']
        """
        return self._apply(pc.utf8_swapcase)

    def casefold(self) -> Any:
        """Aggressive lower-casing for caseless matching (``"ß"`` becomes ``"ss"``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["Straße"]).str.casefold().to_list()
        ['strasse']
        """
        return self._apply(lambda d: pa.array([None if v is None else v.casefold() for v in d.to_pylist()],
                                              pa.string()))

    def _is(self, kernel: Any) -> Any:
        return self._apply(kernel)

    def isdigit(self) -> Any:
        """Whether every character is a digit (and there is at least one).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["12", "1a", ""]).str.isdigit().to_list()
        [True, False, False]
        """
        return self._is(pc.utf8_is_digit)

    def isalpha(self) -> Any:
        """Whether every character is a letter.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab", "a1"]).str.isalpha().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_alpha)

    def isalnum(self) -> Any:
        """Whether every character is a letter or a digit.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a1", "a-1"]).str.isalnum().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_alnum)

    def isnumeric(self) -> Any:
        """Whether every character is numeric (digits, fractions, numerals).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["½", "1.5"]).str.isnumeric().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_numeric)

    def isdecimal(self) -> Any:
        """Whether every character is a decimal digit.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["12", "²"]).str.isdecimal().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_decimal)

    def isspace(self) -> Any:
        """Whether every character is whitespace.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([" \\t", " a"]).str.isspace().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_space)

    def islower(self) -> Any:
        """Whether every cased character is lower-case (and there is one).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["ab1", "Ab"]).str.islower().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_lower)

    def isupper(self) -> Any:
        """Whether every cased character is upper-case (and there is one).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["AB", "Ab"]).str.isupper().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_upper)

    def istitle(self) -> Any:
        """Whether the string is title-cased.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["Hello World", "hello"]).str.istitle().to_list()
        [True, False]
        """
        return self._is(pc.utf8_is_title)
