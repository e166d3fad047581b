"""The error a malformed file raises: it names the file and, where known, the row."""

from __future__ import annotations

import re

__all__ = ["ReadError", "read_error"]


class ReadError(ValueError):
    """A file could not be parsed; the message names the file and the row if known."""


def read_error(path: object, exc: Exception) -> ReadError:
    """Wrap a pyarrow parse error with the file name (and row, when pyarrow gives one)."""
    text = str(exc)
    row = re.search(r"[Rr]ow #?(\d+)", text)
    where = f" (row {row.group(1)})" if row else ""
    return ReadError(f"could not read {path}{where}: {text}")
