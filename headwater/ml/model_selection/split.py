"""Splitting rows: ``take_rows``, ``train_test_split``, ``KFold``, ``StratifiedKFold``.

Row indices are device arrays of the data's backend (NumPy on the CPU), drawn by
the device's generator; frames, Tensors, arrays and lists are all cut by them.
Stratification groups the rows by class on the device and reads back only the
per-class counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.ml.random import rng_for
from headwater.ml.validation import host_backend, on_device
from headwater.tensor.devices import array_device, backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["take_rows", "train_test_split", "KFold", "StratifiedKFold", "backend_for", "n_rows"]


def backend_for(X: Any) -> Any:
    """The backend of the data ``X`` (frames, Series, Tensors, device arrays); NumPy's for host data."""
    if isinstance(X, DataFrame):
        return X._backend()
    if isinstance(X, Series):
        return X._column.backend
    if isinstance(X, Tensor):
        return backend_of(X.array)
    if array_device(X) is not None and not isinstance(X, np.ndarray):
        return backend_of(X)  # a device array (CuPy's, or the strict mode's)
    return host_backend()


def n_rows(X: Any) -> int:
    """Number of rows of ``X``."""
    return int(X.shape[0]) if hasattr(X, "shape") else len(X)


def take_rows(X: Any, rows: Any) -> Any:
    """The rows ``rows`` (int indices) of ``X``, in the type of ``X``.

    Examples
    --------
    >>> import numpy as np, headwater as hw
    >>> from headwater.ml.model_selection.split import take_rows
    >>> take_rows(hw.DataFrame({"a": [1, 2, 3]}), np.array([2, 0]))["a"].tolist()
    [3, 1]
    """
    backend = backend_for(X)
    if not backend.owns(rows):
        rows = on_device(backend, rows if isinstance(rows, np.ndarray) else to_host(rows))
    if isinstance(X, DataFrame):
        return X._take_rows(rows)
    if isinstance(X, Series):
        return X.iloc[rows]
    if isinstance(X, Tensor):
        return Tensor(X.array[rows])
    if hasattr(X, "iloc"):  # pandas
        return X.iloc[to_host(rows)]
    if isinstance(X, np.ndarray) or array_device(X) is not None:
        return X[rows]
    return np.asarray(X)[to_host(rows)]


def _sizes(n: int, test_size: Any, train_size: Any) -> tuple[int, int]:
    def count(value: Any, name: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            if not 0 < value < 1:
                raise ValueError(f"{name}={value} should be a float in the (0, 1) range or an int")
            return int(np.ceil(value * n)) if name == "test_size" else int(np.floor(value * n))
        if not 0 < int(value) < n:
            raise ValueError(f"{name}={value} should be a positive int smaller than the number of samples {n}")
        return int(value)

    n_test, n_train = count(test_size, "test_size"), count(train_size, "train_size")
    if n_test is None and n_train is None:
        n_test = int(np.ceil(0.25 * n))
    if n_test is None:
        n_test = n - n_train
    if n_train is None:
        n_train = n - n_test
    if n_train + n_test > n or n_train <= 0:
        raise ValueError(f"train_size={train_size} and test_size={test_size} leave no rows to train on, or ask "
                         f"for more than the {n} rows; lower one of them")
    return n_train, n_test


def _grouped_order(xp: Any, backend: Any, ids: Any, rng: Any, shuffle: bool) -> tuple[Any, Any]:
    """Rows grouped by class id (random order within a class when ``shuffle``) and their rank in the class."""
    n = len(ids)
    key = rng.random(n) if shuffle else xp.arange(n, dtype=xp.float64)
    order = xp.lexsort(xp.stack([key, ids.astype(xp.float64)]))
    sorted_ids = ids[order]
    starts = xp.concatenate([xp.ones(1, dtype=bool), sorted_ids[1:] != sorted_ids[:-1]])
    first = xp.maximum.accumulate(xp.where(starts, xp.arange(n), 0))
    return order, xp.arange(n) - first


def _class_ids(backend: Any, y: Any) -> tuple[Any, int]:
    from headwater.ml.targets import encode_classes

    class Stratify:  # holds classes_ for encode_classes; names the caller in its errors
        pass

    holder = Stratify()
    ids = encode_classes(holder, y, backend, "split", min_classes=1)
    return ids, len(holder.classes_)


def train_test_split(*arrays: Any, test_size: Any = None, train_size: Any = None, random_state: Any = None,
                     shuffle: bool = True, stratify: Any = None) -> list[Any]:
    """Split each of ``arrays`` into random train and test rows (the same rows for all).

    Returns ``[a_train, a_test, b_train, b_test, ...]``, each in the type it came in.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": list(range(8)), "y": [0, 1] * 4})
    >>> train, test = hw.ml.train_test_split(df, test_size=0.25, random_state=0)
    >>> len(train), len(test)
    (6, 2)
    """
    if not arrays:
        raise ValueError("train_test_split: At least one array required as input")
    n = n_rows(arrays[0])
    for a in arrays[1:]:
        if n_rows(a) != n:
            raise ValueError(f"train_test_split: Found input variables with inconsistent numbers of samples: "
                             f"{[n_rows(a) for a in arrays]}; pass arrays of the same rows")
    n_train, n_test = _sizes(n, test_size, train_size)
    backend = backend_for(arrays[0])
    xp = backend.xp
    rng = rng_for(backend, random_state)
    if stratify is not None:
        if not shuffle:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        ids, k = _class_ids(backend, stratify)
        order, rank = _grouped_order(xp, backend, ids, rng, True)
        counts = to_host(xp.bincount(ids, minlength=k)).astype(np.float64)
        quota = counts * n_test / n
        base = np.floor(quota).astype(np.int64)
        extra = n_test - int(base.sum())
        base[np.argsort(-(quota - base), kind="stable")[:extra]] += 1
        cut = on_device(backend, base)
        is_test = rank < cut[ids[order]]
        test, train = order[is_test], order[~is_test][:n_train]
        test = test[xp.argsort(rng.random(len(test)))]
        train = train[xp.argsort(rng.random(len(train)))]
    elif shuffle:
        perm = xp.argsort(rng.random(n))
        test, train = perm[:n_test], perm[n_test:n_test + n_train]
    else:
        train, test = xp.arange(n_train), xp.arange(n_train, n_train + n_test)
    out = []
    for a in arrays:
        out += [take_rows(a, train), take_rows(a, test)]
    return out


class KFold:
    """K consecutive folds (shuffled first with ``shuffle=True``), as ``sklearn.model_selection.KFold``.

    Examples
    --------
    >>> import headwater as hw
    >>> [test.tolist() for _, test in hw.ml.KFold(n_splits=3).split(list(range(6)))]
    [[0, 1], [2, 3], [4, 5]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None) -> None:
        if int(n_splits) < 2:
            raise ValueError(f"k-fold cross-validation requires at least one train/test split by setting "
                             f"n_splits=2 or more, got n_splits={n_splits}")
        if not shuffle and random_state is not None:
            raise ValueError("Setting a random_state has no effect since shuffle is False. You should leave "
                             "random_state to its default (None), or set shuffle=True.")
        self.n_splits, self.shuffle, self.random_state = int(n_splits), shuffle, random_state

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_splits={self.n_splits}, random_state={self.random_state}, shuffle={self.shuffle})"

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of folds."""
        return self.n_splits

    def _folds(self, X: Any, y: Any) -> tuple[Any, Any]:
        backend = backend_for(X)
        xp = backend.xp
        n = n_rows(X)
        if self.n_splits > n:
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater than the number of "
                             f"samples: n_samples={n}")
        order = xp.argsort(rng_for(backend, self.random_state).random(n)) if self.shuffle else xp.arange(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        fold = xp.searchsorted(backend.to_device(bounds[1:]), xp.arange(n), side="right")
        folds = xp.empty(n, dtype=xp.int64)
        folds[order] = fold
        return xp, folds

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield ``(train_rows, test_rows)`` index arrays, one pair per fold."""
        xp, folds = self._folds(X, y)
        for k in range(self.n_splits):
            yield xp.flatnonzero(folds != k), xp.flatnonzero(folds == k)


class StratifiedKFold(KFold):
    """Folds that keep each class's share: the rows of a class are dealt to the folds in turn.

    Within a class the rows go to folds ``0, 1, ..., k-1, 0, ...`` in row order (in
    random order with ``shuffle=True``); the folds are balanced in every class,
    though not always the same rows as scikit-learn picks.

    Examples
    --------
    >>> import headwater as hw
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> [test.tolist() for _, test in hw.ml.StratifiedKFold(n_splits=3).split([[0]] * 6, y)]
    [[0, 3], [1, 4], [2, 5]]
    """

    def _folds(self, X: Any, y: Any) -> tuple[Any, Any]:
        if y is None:
            raise ValueError("StratifiedKFold.split needs y (the class of each row); pass split(X, y)")
        backend = backend_for(X)
        xp = backend.xp
        ids, k = _class_ids(backend, y)
        counts = to_host(xp.bincount(ids, minlength=k))
        if self.n_splits > counts.max():
            raise ValueError(f"n_splits={self.n_splits} cannot be greater than the number of members in each class "
                             f"(largest class has {int(counts.max())}); use fewer splits")
        if self.n_splits > counts.min():
            import warnings

            warnings.warn(f"The least populated class in y has only {int(counts.min())} members, which is less "
                          f"than n_splits={self.n_splits}.", UserWarning, stacklevel=3)
        order, rank = _grouped_order(xp, backend, ids, rng_for(backend, self.random_state), self.shuffle)
        folds = xp.empty(len(ids), dtype=xp.int64)
        folds[order] = rank % self.n_splits
        return xp, folds
