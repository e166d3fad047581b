"""DataFrame conversions: pandas, Arrow, NumPy, dicts, devices, cuDF, Parquet and CSV.

Each conversion to the host is one counted crossing per buffer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from headwater.tensor.devices import Device

__all__ = ["FrameConversionMixin", "keys_to_pandas"]


def keys_to_pandas(keys: dict[str, Any]) -> Any:
    """Key columns as a pandas Index (one key) or MultiIndex (several)."""
    import pandas as pd

    arrays = [pd.Series(col.to_pandas(), copy=False) for col in keys.values()]
    if len(arrays) == 1:
        return pd.Index(arrays[0], name=next(iter(keys)))
    return pd.MultiIndex.from_arrays(arrays, names=list(keys))


class FrameConversionMixin:
    """``to_pandas``, ``to_arrow``, ``to_numpy``, ``to_dict``, ``to``, ``to_cudf``,
    ``to_parquet`` and ``to_csv``."""

    def to_pandas(self) -> Any:
        """A pandas DataFrame (one counted host copy per buffer).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": hw.Series([1, None], dtype="int64")}).to_pandas().dtypes["a"]
        Int64Dtype()
        """
        import pandas as pd

        data = {name: pd.Series(col.to_pandas(), name=name, copy=False) for name, col in self._columns.items()}
        out = pd.DataFrame(data, copy=False) if data else pd.DataFrame(index=range(len(self)))
        if self._keys:
            out.index = keys_to_pandas(self._keys)
        return out

    def to_arrow(self) -> pa.Table:
        """A pyarrow Table with exact types, nulls and dictionaries.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": hw.Series([1, None], dtype="int64")}).to_arrow().schema
        a: int64
        """
        return pa.table({name: col.to_arrow() for name, col in self._columns.items()})

    def to_numpy(self, dtype: Any = None, copy: bool = False, na_value: Any = None) -> np.ndarray:
        """A 2-D host array (one column per column; NaN/None for nulls), one counted
        crossing per column. Keys are not included (they are the labels, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [0.5, 1.5]}).to_numpy()
        array([[1. , 0.5],
               [2. , 1.5]])
        """
        cols = [col.to_numpy(na_value) for col in self._columns.values()]
        if not cols:
            return np.empty((len(self), 0))
        return np.column_stack(cols).astype(dtype) if dtype is not None else np.column_stack(cols)

    def to_tensor(self, columns: list[str] | None = None, dtype: Any = "float32", fill: Any = None) -> Any:
        """The columns stacked into an ``(n_rows, n_columns)`` Tensor: one device copy.

        Strings and categoricals give their codes. A column with nulls is an error
        naming it unless ``fill`` (a scalar, or a dict by column) is given. See
        ``headwater/dataframe/bridge.py``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [0.5, None]}).to_tensor(fill=0.0).tolist()
        [[1.0, 0.5], [2.0, 0.0]]
        """
        from headwater.dataframe.bridge import frame_to_tensor

        return frame_to_tensor(self._columns, columns, dtype, fill)

    @property
    def values(self) -> np.ndarray:
        """Same as :meth:`to_numpy` (a host NumPy array, counted).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2]}).values.tolist()
        [[1], [2]]
        """
        return self.to_numpy()

    def to_cupy(self) -> Any:
        """A 2-D array on the frame's device (CuPy on the GPU, NumPy on the CPU), one
        device copy; nulls become NaN (floats) and are refused for other dtypes.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}).to_cupy().shape
        (2, 2)
        """
        from headwater.dataframe.bridge import frame_to_tensor

        if not self._columns:
            return self._backend().xp.empty((len(self), 0))
        dtypes = {str(c.dtype) for c in self._columns.values()}
        dtype = dtypes.pop() if len(dtypes) == 1 else "float64"
        return frame_to_tensor(self._columns, None, dtype, None).array

    def to_dict(self, orient: str | None = None) -> Any:
        """``{name: [values]}`` (``orient="records"``: a list of row dicts); on a keyed
        frame ``{name: {key: value}}`` as pandas (``orient="dict"``; also ``"index"``,
        ``"series"``, ``"split"``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": hw.Series([1, None], dtype="int64")}).to_dict("records")
        [{'a': 1}, {'a': None}]
        >>> hw.DataFrame({"k": ["x", "y"], "v": [1, 2]}).set_index("k").to_dict()
        {'v': {'x': 1, 'y': 2}}
        """
        if orient is None:
            orient = "dict" if self._keys else "list"
        if orient in ("dict", "index", "series", "split"):
            return self._keyed_to_dict(orient)
        table = self.to_arrow()
        if orient == "list":
            return table.to_pydict()
        if orient == "records":
            return table.to_pylist()
        raise ValueError(f"orient must be 'list' or 'records', got {orient!r}")

    def to(self, device: str | Device) -> Any:
        """The frame on ``device`` (no copy when it is already there).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).to("cpu").device
        device(type='cpu')
        """
        return self._map(lambda c: c.to(device))

    def to_cudf(self) -> Any:
        """A cudf DataFrame (needs cudf)."""
        from headwater.dataframe.interop import frame_to_cudf

        return frame_to_cudf(self)

    def to_parquet(self, path: Any, **kw: Any) -> None:
        """Write a Parquet file through pyarrow.

        Examples
        --------
        >>> import headwater as hw, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "a.parquet")
        >>> hw.DataFrame({"a": [1, 2]}).to_parquet(path)
        >>> hw.read_parquet(path)["a"].to_list()
        [1, 2]
        """
        from headwater.dataframe.io.parquet import write_parquet

        write_parquet(self, path, **kw)

    def to_string(self, buf: Any = None, index: bool = True, **kw: Any) -> str | None:
        """The frame as pandas' plain-text table (all of ``pandas.DataFrame.to_string``'s
        options, through a counted host copy); ``index=True`` prints the row labels,
        which a filtered or sorted frame without keys does not have (it raises and
        names ``index=False``).

        Examples
        --------
        >>> import headwater as hw
        >>> print(hw.DataFrame({"a": [1, 22], "s": ["x", "yz"]}).to_string(index=False))
         a  s
         1  x
        22 yz
        """
        from headwater.dataframe.keys import require_labels

        if index:
            require_labels(self, "to_string(index=True) prints pandas' row labels", "to_string(index=False)")
        return self.to_pandas().to_string(buf, index=index, **kw)

    def to_csv(self, path: Any = None, index: bool = True, **kw: Any) -> str | None:
        """Write CSV as pandas does (all of ``pandas.DataFrame.to_csv``'s options; a
        string when ``path`` is None); ``index=True`` writes the row labels first.

        Examples
        --------
        >>> import headwater as hw
        >>> print(hw.DataFrame({"a": hw.Series([1, None], dtype="int64"), "s": ["x", "y"]}).to_csv(index=False))
        a,s
        1,x
        ,y
        <BLANKLINE>
        """
        from headwater.dataframe.io.csv import write_csv

        return write_csv(self, path, index=index, **kw)
