"""``hw.Grouper(key=, freq=)``: group by a column, or by a datetime column's time buckets."""

from __future__ import annotations

from typing import Any

__all__ = ["Grouper", "resolve_groupers", "time_bins"]


class Grouper:
    """A groupby key: ``Grouper(key="ts", freq="D")`` groups rows by the day of ``ts``
    (each bucket labelled by its start, as pandas); ``Grouper(key="k")`` is ``"k"``.

    Alone, it bins the rows as ``resample(freq, on=key)`` (pandas' bins: calendar
    rules such as ``"MS"`` too, every bin in the range, empty ones included). Beside
    other keys, fixed frequencies (``"s" "min" "h" "D"`` and multiples) bucket on the
    device by flooring, and only the (key, bucket) pairs that occur are listed, as
    pandas lists them.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"ts": hw.to_datetime(["2024-01-01 05:00", "2024-01-01 09:00", "2024-01-02 00:00"]),
    ...                    "v": [1, 2, 3]})
    >>> df.groupby(hw.Grouper(key="ts", freq="D"))["v"].sum().to_list()
    [3, 3]
    """

    def __init__(self, key: str | None = None, level: Any = None, freq: Any = None, sort: bool = False,
                 closed: str | None = None, label: str | None = None, dropna: bool = True,
                 origin: Any = "start_day", offset: Any = None, axis: Any = None) -> None:
        if closed not in (None, "left") or label not in (None, "left") or origin != "start_day" or offset is not None:
            raise NotImplementedError("Grouper(closed=, label=, origin=, offset=) are not supported; buckets are "
                                      "left-closed and labelled by their start")
        if key is None and level is None:
            raise TypeError("Grouper needs key= (a column name) or level= (a key name)")
        self.key, self.level, self.freq, self.sort, self.dropna = key if key is not None else level, level, freq, sort, dropna

    def __repr__(self) -> str:
        return f"Grouper(key={self.key!r}, freq={self.freq!r})"


def time_bins(frame: Any, by: Any, as_index: bool) -> Any:
    """A ``Resampler`` when ``by`` is one ``Grouper(key=, freq=)``: pandas bins those rows
    as ``resample`` does (every bin from the first to the last, empty ones included),
    which flooring alone would not list; None otherwise."""
    single = by[0] if isinstance(by, list) and len(by) == 1 else by
    if not isinstance(single, Grouper) or single.freq is None or not as_index:
        return None
    if single.key not in frame._columns or frame._columns[single.key].kind != "datetime":
        return None  # resolve_groupers names the problem
    from headwater.dataframe.windows.resample import Resampler

    return Resampler(frame, single.freq, on=single.key)


def resolve_groupers(frame: Any, by: Any) -> tuple[Any, list[str]]:
    """``frame`` with each Grouper's bucket column in place of its key, and the key names."""
    names = by if isinstance(by, list) else [by]
    if not any(isinstance(b, Grouper) for b in names):
        return frame, by
    columns = dict(frame._columns)
    out: list[str] = []
    for b in names:
        if not isinstance(b, Grouper):
            out.append(b)
            continue
        source = frame[b.key]
        if b.freq is not None:
            if source._column.kind != "datetime":
                raise TypeError(f"Grouper(freq=) needs a datetime column; {b.key!r} is {source.dtype}")
            try:
                source = source.dt.floor(b.freq)
            except (ValueError, TypeError, NotImplementedError) as exc:
                raise NotImplementedError(
                    f"Grouper(freq={b.freq!r}): only fixed frequencies bucket here ({exc}); for calendar "
                    f"periods group by df[col].dt.to_period(...) or dt.year/dt.month columns"
                ) from None
        columns[b.key] = source._column
        out.append(b.key)
    return frame._from_columns({**frame._keys, **columns} if any(k in frame._keys for k in out) else columns), out
