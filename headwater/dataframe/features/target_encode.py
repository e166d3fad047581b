"""TargetEncode: each category replaced by a smoothed mean of the target, out of fold."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.features import vocab as _vocab
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import (
    column,
    float_column,
    numeric_values,
    require_columns,
    with_columns,
)
from headwater.dataframe.features.state import on_device

__all__ = ["TargetEncode"]


class TargetEncode(FeatureOp):
    """Encode categories by the mean target of their rows, shrunk toward the overall mean.

    The encoding of a category with ``n`` rows and target sum ``s`` is
    ``(s + smoothing * prior) / (n + smoothing)``, where ``prior`` is the mean
    target; a category not seen in fitting gets ``prior``. Null is a category of
    its own, as in scikit-learn's TargetEncoder.

    ``fit`` learns the encodings from all rows and ``transform`` applies them.
    ``fit_transform`` on the training frame instead encodes each row with
    statistics from the *other* folds (cross fitting), so that a row's own target
    never leaks into its feature; with ``shuffle=False`` the folds are contiguous
    blocks, exactly as scikit-learn's ``KFold(shuffle=False)``.

    Parameters
    ----------
    columns : list of str
        Categorical columns (any type), each encoded on its own.
    target : str
        The numeric (or bool) target column; rows with a null target are ignored.
    smoothing : float
        Weight of the prior, in rows.
    folds : int
        Number of folds of ``fit_transform`` (at least 2).
    shuffle : bool
        Assign rows to folds at random (seeded by ``seed``) instead of in blocks.
    seed : int, optional
    suffix : str, optional
        Write the encoding to ``<column><suffix>`` and keep the column; by default
        the column is replaced.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"c": ["a", "a", "b", "b"], "y": [1.0, 3.0, 10.0, 10.0]})
    >>> op = hw.features.TargetEncode(columns=["c"], target="y", smoothing=0.0).fit(df)
    >>> op.transform(hw.DataFrame({"c": ["a", "b", "z"]}))["c"].tolist()
    [2.0, 10.0, 6.0]
    """

    name = "target_encode"
    _OPTIONS: ClassVar[dict[str, Any]] = {
        "target": None,
        "smoothing": 1.0,
        "folds": 5,
        "shuffle": False,
        "seed": None,
        "suffix": None,
    }

    def _check_options(self) -> None:
        if not isinstance(self.options["target"], str):
            raise FeatureOpError("TargetEncode needs target='<column name>'")
        if self.options["target"] in self.columns:
            raise FeatureOpError(f"TargetEncode target {self.options['target']!r} is also in columns")
        if float(self.options["smoothing"]) < 0:
            raise FeatureOpError(f"smoothing must be >= 0, got {self.options['smoothing']!r}")
        folds = self.options["folds"]
        if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
            raise FeatureOpError(f"folds must be an int >= 2, got {folds!r}")

    # -- statistics -----------------------------------------------------------------------
    def _target(self, df: Any) -> tuple[Any, Any]:
        name = self.options["target"]
        require_columns(df, [name], "TargetEncode")
        return numeric_values(column(df, name), name, "TargetEncode")

    def _ids(self, df: Any, name: str, vocab: dict[str, Any]) -> tuple[Any, int]:
        """Ids with nulls as category ``k`` (the last) and unseen values -1."""
        col = column(df, name)
        ids = _vocab.lookup(col, vocab, name, "TargetEncode")
        k = _vocab.size(vocab)
        if col.mask is not None or col.kind == "float":
            missing = col.is_missing()
            ids = col.xp.where(missing, k, ids)
        return ids, k + 1

    def _encode(self, xp: Any, sums: Any, counts: Any, prior: Any) -> Any:
        m = float(self.options["smoothing"])
        denom = counts + m
        safe = xp.where(denom > 0, denom, 1.0)
        return xp.where(denom > 0, (sums + m * prior) / safe, prior)

    def _fit(self, df: Any) -> dict[str, Any]:
        y, y_valid = self._target(df)
        state: dict[str, Any] = {}
        for name in self.columns:
            col = column(df, name)
            backend, xp = col.backend, col.xp
            vocab = _vocab.fit_vocabulary(col, name, "TargetEncode")
            ids, n = self._ids(df, name, vocab)
            sums = backend.segment_sum(y, ids, n, y_valid)
            counts = backend.segment_count(y, ids, n, y_valid).astype(xp.float64)
            prior = sums.sum() / xp.maximum(counts.sum(), 1.0)
            state[name] = {
                "vocab": vocab,
                "encoding": self._encode(xp, sums, counts, prior),
                "prior": prior,
            }
        return state

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            ids, _ = self._ids(df, name, state[name]["vocab"])
            encoding = on_device(state[name], "encoding", col.backend)
            prior = on_device(state[name], "prior", col.backend)
            table = xp.concatenate([encoding, prior.reshape(1)])  # id -1 (unseen) -> prior
            new[self._out(name)] = float_column(xp.take(table, ids), None)
        return with_columns(df, new)

    def _out(self, name: str) -> str:
        suffix = self.options["suffix"]
        return name if not suffix else f"{name}{suffix}"

    def fold_ids(self, n_rows: int, backend: Any) -> Any:
        """The fold (0..folds-1) of each row in ``fit_transform``, on the device."""
        xp = backend.xp
        folds = self.options["folds"]
        if n_rows < folds:
            raise FeatureOpError(f"TargetEncode with folds={folds} needs at least {folds} rows, got {n_rows}")
        # KFold's sizes: the first n % folds folds get one row more.
        size, extra = divmod(n_rows, folds)
        stops = [(f + 1) * size + min(f + 1, extra) for f in range(folds)]
        position = xp.arange(n_rows, dtype=xp.int64)
        if self.options["shuffle"]:
            rng = backend.random_state(self.options["seed"])
            position = xp.argsort(rng.random(n_rows))
        bounds = backend.to_device(stops[:-1], dtype="int64")
        return xp.searchsorted(bounds, position, side="right")

    def fit_transform(self, df: Any) -> Any:
        """Fit on ``df`` and encode its rows out of fold (see the class docstring).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"c": ["a", "a", "a", "a"], "y": [0.0, 0.0, 4.0, 4.0]})
        >>> op = hw.features.TargetEncode(columns=["c"], target="y", smoothing=0.0, folds=2)
        >>> op.fit_transform(df)["c"].tolist()
        [4.0, 4.0, 0.0, 0.0]
        """
        self.fit(df)
        y, y_valid = self._target(df)
        new = {}
        for name in self.columns:
            col = column(df, name)
            backend, xp = col.backend, col.xp
            folds = self.options["folds"]
            ids, n = self._ids(df, name, self._state[name]["vocab"])
            fold = self.fold_ids(len(col), backend)
            pair = xp.where(ids >= 0, fold * n + ids, -1)
            per_fold_sums = backend.segment_sum(y, pair, folds * n, y_valid).reshape(folds, n)
            per_fold_counts = backend.segment_count(y, pair, folds * n, y_valid).reshape(folds, n)
            out_sums = per_fold_sums.sum(axis=0) - per_fold_sums
            out_counts = (per_fold_counts.sum(axis=0) - per_fold_counts).astype(xp.float64)
            prior = out_sums.sum(axis=1) / xp.maximum(out_counts.sum(axis=1), 1.0)
            encoding = self._encode(xp, out_sums, out_counts, prior[:, None])
            row_fold_prior = xp.take(prior, fold)
            value = encoding.reshape(-1)[xp.where(pair >= 0, pair, 0)]
            new[self._out(name)] = float_column(xp.where(pair >= 0, value, row_fold_prior), None)
        return with_columns(df, new)
