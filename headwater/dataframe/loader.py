"""The DataLoader: mini-batches gathered on the device, never through the host.

The loader turns its source into device tensors once (``DataFrame.to_tensor`` for
the features: one stacking copy on the device; the target column's own buffer).
Each epoch it draws a permutation on the device when shuffling and gathers each
batch with ``take``; without shuffling a batch is a slice, a view of the same
memory. Nothing in an epoch crosses to the host, which ``hw.transfer_stats()``
shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from headwater.dataframe.bridge import column_to_tensor, frame_to_tensor
from headwater.tensor.devices import backend_of
from headwater.tensor.dtypes import to_dtype
from headwater.tensor.tensor import Tensor

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over mini-batches of a DataFrame or of tensors, on the device.

    Parameters
    ----------
    source : DataFrame or tuple of Tensor
        A frame (name its columns with ``features=`` and ``target=``) or tensors
        with the same first dimension, batched together.
    batch_size : int
        Rows per batch.
    shuffle : bool
        Draw a new permutation of the rows every epoch.
    drop_last : bool
        Leave out the last batch when it is smaller than ``batch_size``.
    seed : int, optional
        Seed of the permutations: the same seed gives the same order, epoch by epoch.
    features : list of str, optional
        Frame columns stacked into the input tensor (default: every column except
        the target).
    target : str or list of str, optional
        Frame column(s) of the target; a single name gives a 1-d tensor.
    dtype : str
        Dtype of the feature tensor (``"float32"``).
    target_dtype : str, optional
        Cast the target to this dtype (default: keep the column's dtype).
    fill : scalar or dict, optional
        Value for nulls in the feature columns (see ``DataFrame.to_tensor``).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.5, 0.5, 0.5], "y": [0, 1, 0]})
    >>> loader = hw.data.DataLoader(df, batch_size=2, features=["a", "b"], target="y")
    >>> len(loader)
    2
    >>> [(tuple(x.shape), y.tolist()) for x, y in loader]
    [((2, 2), [0, 1]), ((1, 2), [0])]
    """

    def __init__(
        self,
        source: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        *,
        features: Sequence[str] | None = None,
        target: str | Sequence[str] | None = None,
        dtype: Any = "float32",
        target_dtype: Any = None,
        fill: Any = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.tensors = _source_tensors(source, features, target, dtype, target_dtype, fill)
        self._backend = backend_of(*(t.array for t in self.tensors))
        self._rng = self._backend.random_state(seed) if self.shuffle else None

    @property
    def num_rows(self) -> int:
        """Rows in one epoch (before ``drop_last``)."""
        return int(self.tensors[0].shape[0])

    def __len__(self) -> int:
        full, rest = divmod(self.num_rows, self.batch_size)
        return full if (self.drop_last or rest == 0) else full + 1

    def _permutation(self) -> Any:
        xp = self._backend.xp
        rng = self._rng
        if hasattr(rng, "permutation"):
            return rng.permutation(self.num_rows)
        return xp.argsort(rng.random(self.num_rows))  # CuPy's Generator has no permutation

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        order = self._permutation() if self.shuffle else None
        xp = self._backend.xp
        size = self.batch_size
        for b in range(len(self)):
            start, stop = b * size, min((b + 1) * size, self.num_rows)
            if order is None:
                yield tuple(Tensor(t.array[start:stop]) for t in self.tensors)
            else:
                rows = order[start:stop]
                yield tuple(Tensor(xp.take(t.array, rows, axis=0)) for t in self.tensors)

    def __repr__(self) -> str:
        shapes = ", ".join(str(tuple(t.shape)) for t in self.tensors)
        return (
            f"DataLoader(tensors=[{shapes}], batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, seed={self.seed}, batches={len(self)})"
        )


def _source_tensors(source: Any, features: Any, target: Any, dtype: Any, target_dtype: Any,
                    fill: Any) -> tuple[Tensor, ...]:
    columns = getattr(source, "_columns", None)
    if columns is not None:
        return _frame_tensors(columns, features, target, dtype, target_dtype, fill)
    if features is not None or target is not None:
        raise TypeError("features= and target= name DataFrame columns; with tensors pass a tuple")
    if isinstance(source, Tensor):
        source = (source,)
    if not isinstance(source, (tuple, list)) or not source:
        raise TypeError(
            f"DataLoader source must be a DataFrame or a tuple of Tensors, got {type(source).__name__}"
        )
    tensors = tuple(source)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"DataLoader source item {i} is a {type(t).__name__}, not a Tensor; "
                            f"wrap arrays with hw.as_tensor(...)")
        if t.ndim == 0 or t.shape[0] != tensors[0].shape[0]:
            raise ValueError(
                f"all tensors need the same first dimension; item 0 has shape "
                f"{tuple(tensors[0].shape)} and item {i} has {tuple(t.shape)}"
            )
    backend_of(*(t.array for t in tensors))  # one device for all of them
    return tensors


def _frame_tensors(columns: dict, features: Any, target: Any, dtype: Any, target_dtype: Any,
                   fill: Any) -> tuple[Tensor, ...]:
    targets = [] if target is None else ([target] if isinstance(target, str) else list(target))
    for name in targets:
        if name not in columns:
            raise KeyError(f"DataLoader target {name!r} is not a column; the frame has {list(columns)}")
    if features is None:
        features = [n for n in columns if n not in targets]
    elif isinstance(features, str):
        features = [features]
    overlap = sorted(set(features) & set(targets))
    if overlap:
        raise ValueError(f"column(s) {overlap} are both features and target; name each once")
    x = frame_to_tensor(columns, list(features), dtype=dtype, fill=fill)
    if not targets:
        return (x,)
    if isinstance(target, str):
        y = column_to_tensor(columns[target], target)
        if target_dtype is not None and y.dtype != to_dtype(target_dtype):
            y = Tensor(y.array.astype(to_dtype(target_dtype)))
    else:
        y = frame_to_tensor(columns, targets, dtype=target_dtype or dtype)
    return (x, y)
