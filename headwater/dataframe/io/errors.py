"""The error a malformed file raises: it names the file and, where known, the row."""

from __future__ import annotations

import os
import re

__all__ = ["ReadError", "read_error"]


class ReadError(ValueError):
    """A file could not be parsed; the message names the file and the row if known."""


def _line_of(path: object, text: str) -> int | None:
    """The 1-based line of a CSV file whose content pyarrow quoted in its message."""
    quoted = re.search(r"got \d+: (.*)$", text)
    if not quoted or not isinstance(path, (str, os.PathLike)) or not os.path.isfile(path):
        return None
    wanted = quoted.group(1).strip()
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.rstrip("\r\n") == wanted:
                return number
    return None


def read_error(path: object, exc: Exception) -> ReadError:
    """Wrap a pyarrow parse error with the file name, and the row or line where known."""
    text = str(exc)
    row = re.search(r"[Rr]ow #?(\d+)", text)
    line = None if row else _line_of(path, text)
    where = f" (row {row.group(1)})" if row else (f" (line {line})" if line else "")
    return ReadError(f"could not read {path}{where}: {text}")
