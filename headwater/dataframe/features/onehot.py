"""OneHot: one indicator column per category, as ``pd.get_dummies``."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.column import build_column
from headwater.dataframe.features import vocab as _vocab
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, with_columns
from headwater.tensor.dtypes import to_dtype

__all__ = ["OneHot", "get_dummies"]


class OneHot(FeatureOp):
    """Replace each column by indicator columns ``<column><prefix_sep><value>``.

    The categories are the values seen in ``fit``, in sorted order (categorical
    columns: all their categories, in category order), as ``pd.get_dummies``
    gives them. A null, or a value first seen in a later frame, gets all zeros.
    The indicators are appended after the other columns, as pandas does.

    Parameters
    ----------
    columns : list of str
    prefix_sep : str
    dtype : str
        Dtype of the indicators: ``"bool"`` (pandas' default) or a number type
        such as ``"float32"``.
    drop_first : bool
        Leave out the first category of each column.
    prefix : str, list or dict, optional
        Names before the separator instead of the column names (as pandas).
    dummy_na : bool
        Add ``<column><prefix_sep>nan``, True where the value is missing.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"c": ["b", "a", None]})
    >>> out = hw.features.OneHot(columns=["c"]).fit_transform(df)
    >>> list(out.columns), out["c_a"].tolist()
    (['c_a', 'c_b'], [False, True, False])
    """

    name = "onehot"
    _OPTIONS: ClassVar[dict[str, Any]] = {
        "prefix_sep": "_", "dtype": "bool", "drop_first": False, "prefix": None, "dummy_na": False,
    }

    def _check_options(self) -> None:
        try:
            to_dtype(self.options["dtype"])
        except Exception as exc:
            raise FeatureOpError(f"OneHot dtype {self.options['dtype']!r} is not valid: {exc}") from None
        prefix = self.options["prefix"]
        if isinstance(prefix, list):
            if len(prefix) != len(self.columns):
                raise FeatureOpError(
                    f"OneHot prefix has {len(prefix)} entries for {len(self.columns)} columns; "
                    f"give one per column, a dict, or one string"
                )
            self.options["prefix"] = dict(zip(self.columns, prefix))
        elif prefix is not None and not isinstance(prefix, (str, dict)):
            raise FeatureOpError(f"OneHot prefix must be a string, a list or a dict, got {prefix!r}")

    def _prefix(self, name: str) -> str:
        prefix = self.options["prefix"]
        if isinstance(prefix, dict):
            return str(prefix.get(name, name))
        return name if prefix is None else prefix

    def _fit(self, df: Any) -> dict[str, Any]:
        state = {}
        for name in self.columns:
            col = column(df, name)
            vocab = _vocab.fit_vocabulary(col, name, "OneHot", present_only=True)
            labels = _vocab.labels(vocab, col) + (["nan"] if self.options["dummy_na"] else [])
            names = [f"{self._prefix(name)}{self.options['prefix_sep']}{label}" for label in labels]
            state[name] = {"vocab": vocab, "names": names}
        return state

    def output_columns(self) -> list[str]:
        """The indicator columns ``transform`` appends (after ``fit``)."""
        if self._state is None:
            raise RuntimeError("OneHot.output_columns needs a fitted op; call .fit(df) first")
        skip = 1 if self.options["drop_first"] else 0
        return [n for name in self.columns for n in self._state[name]["names"][skip:]]

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        dtype = to_dtype(self.options["dtype"])
        skip = 1 if self.options["drop_first"] else 0
        new = {}
        for name in self.columns:
            col = column(df, name)
            ids = _vocab.lookup(col, state[name]["vocab"], name, "OneHot")
            n_values = _vocab.size(state[name]["vocab"])
            for k, out_name in enumerate(state[name]["names"]):
                if k < skip:
                    continue
                hit = ids == k if k < n_values else col.is_missing()  # the dummy_na column
                new[out_name] = build_column(hit if dtype.kind == "b" else hit.astype(dtype), None)
        kept = {n: c for n, c in new.items() if n not in self.columns}
        return with_columns(df, kept, drop=self.columns)


def get_dummies(
    df: Any,
    prefix: str | list[str] | dict[str, str] | None = None,
    prefix_sep: str = "_",
    dummy_na: bool = False,
    columns: list[str] | None = None,
    drop_first: bool = False,
    dtype: Any = "bool",
) -> Any:
    """One indicator column per category, as ``pandas.get_dummies``.

    The arguments are pandas' (``sparse`` aside). With ``columns=None`` every string
    and categorical column is encoded. This is
    ``OneHot(columns, ...).fit_transform(df)``; keep a fitted :class:`OneHot` to
    encode later frames with the same categories.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"n": [1, 2], "c": ["x", "y"]})
    >>> list(hw.get_dummies(df).columns)
    ['n', 'c_x', 'c_y']
    """
    if hasattr(df, "_column"):  # a Series: pandas names the indicators by the values alone
        return _series_dummies(df, prefix, prefix_sep, dummy_na, drop_first, dtype)
    if columns is None:
        columns = [n for n, c in df._columns.items() if _vocab.is_dictionary(c)]
        if not columns:
            return df
    op = OneHot(columns, prefix_sep=prefix_sep, drop_first=drop_first, dtype=str(to_dtype(dtype)),
                prefix=prefix, dummy_na=dummy_na)
    return op.fit_transform(df)


def _series_dummies(series: Any, prefix: Any, prefix_sep: str, dummy_na: bool, drop_first: bool,
                    dtype: Any) -> Any:
    """``get_dummies`` of one Series: every value encoded (numbers by their text), the
    columns named ``value`` (or ``prefix + prefix_sep + value``)."""
    name = "\x00values"
    values = series if _vocab.is_dictionary(series._column) else series.astype("str")
    frame = values.to_frame(name)
    out = get_dummies(frame, prefix=name if prefix is None else prefix, prefix_sep="\x00" if prefix is None else prefix_sep,
                      dummy_na=dummy_na, drop_first=drop_first, dtype=dtype)
    if prefix is None:
        out.columns = [c[len(name) + 1:] if c.startswith(name + "\x00") else c for c in out.columns]
    return out
