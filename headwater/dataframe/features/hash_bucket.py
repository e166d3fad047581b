"""HashBucket: values into a fixed number of buckets by a stable hash, no vocabulary."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from headwater.dataframe.column import build_column
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, with_columns
from headwater.dataframe.features.vocab import is_dictionary

__all__ = ["HashBucket", "splitmix64"]

_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def splitmix64(xp: Any, bits: Any, seed: int = 0) -> Any:
    """The SplitMix64 finaliser of uint64 ``bits`` (with ``seed`` mixed in), on any device.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.features.hash_bucket import splitmix64
    >>> int(splitmix64(np, np.array([0], dtype=np.uint64))[0])
    16294208416658607535
    """
    z = bits.astype(xp.uint64, copy=False) + np.uint64(_GOLDEN * (seed + 1) % (1 << 64))
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def _hash_key(seed: int) -> str:
    return f"{seed % 10**16:016d}"  # pandas' hash_array takes a 16-character key


class HashBucket(FeatureOp):
    """Replace columns by ``hash(value) % num_buckets`` (int32), the hashing trick.

    Needs no fit and no vocabulary, so values never seen before still get a
    bucket. Text is hashed once per distinct value on the host dictionary with
    pandas' stable SipHash (``pd.util.hash_array``); numbers, bools and datetimes
    are hashed on the device with SplitMix64 over their bits (integers and floats
    of equal value hash alike). The same value always gives the same bucket for
    the same ``seed``. Nulls stay null.

    Parameters
    ----------
    columns : list of str
    num_buckets : int
    seed : int
        Changes the hash function.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"c": ["a", "b", "a"]})
    >>> out = hw.features.HashBucket(columns=["c"], num_buckets=8).transform(df)["c"].tolist()
    >>> out[0] == out[2] and all(0 <= b < 8 for b in out)
    True
    """

    name = "hash_bucket"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {"num_buckets": None, "seed": 0}

    def _check_options(self) -> None:
        n = self.options["num_buckets"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise FeatureOpError(f"HashBucket needs num_buckets=<positive int>, got {n!r}")
        seed = self.options["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise FeatureOpError(f"HashBucket seed must be an int >= 0, got {seed!r}")

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        n = np.uint64(self.options["num_buckets"])
        seed = self.options["seed"]
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            if is_dictionary(col):
                col = col.as_dictionary()
                words = np.asarray(col.dictionary.to_numpy(zero_copy_only=False), dtype=object)
                per_value = pd.util.hash_array(words, hash_key=_hash_key(seed)) % n
                table = col.backend.to_device(per_value.astype(np.int32))
                buckets = xp.take(table, col.data) if len(words) else xp.zeros(len(col), dtype=xp.int32)
                mask = col.mask
            else:
                buckets = (splitmix64(xp, _bits(col, name), seed) % n).astype(xp.int32)
                mask = col.missing_mask()
            new[name] = build_column(buckets, mask)
        return with_columns(df, new)


def _bits(col: Any, name: str) -> Any:
    """uint64 bits that are equal exactly when the values are (1 and 1.0 alike)."""
    xp = col.xp
    data = col.data
    if col.kind == "float":
        small = xp.isfinite(data) & (xp.abs(data) < 2.0**62)
        as_int = xp.where(small, data, 0).astype(xp.int64)
        whole = small & (as_int.astype(data.dtype) == data)
        f64 = data.astype(xp.float64) + 0.0  # -0.0 becomes 0.0
        return xp.where(whole, as_int.view(xp.uint64), f64.view(xp.uint64))
    if col.kind in ("int", "uint", "bool", "datetime", "timedelta"):
        return data.astype(xp.int64).view(xp.uint64)
    raise FeatureOpError(f"HashBucket cannot hash column {name!r} of dtype {col.dtype}")
