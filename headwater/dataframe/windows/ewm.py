"""``ewm``: exponentially weighted means, sums, variances and deviations.

Each statistic is a first-order recurrence ``S[t] = a[t] * S[t-1] + b[t]`` over the
observed values of a group, solved on the device by a doubling scan of affine maps
(``log2(n)`` whole-array steps, every factor at most 1, so nothing overflows).
``adjust=True`` sums the weights ``(1 - alpha) ** age`` exactly; ``adjust=False`` is
pandas' recursive form. With ``ignore_na=False`` ages count rows, missing ones too;
with ``ignore_na=True`` only observations. Rows with a missing value repeat the last
result of their group, as pandas does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.windows.bounds import WindowOrder
from headwater.dataframe.windows.frames import WindowTarget
from headwater.dataframe.windows.rolling import numeric_values

__all__ = ["ExponentialMovingWindow", "affine_scan"]


def affine_scan(xp: Any, a: Any, b: Any) -> Any:
    """``S[t] = a[t] * S[t-1] + b[t]`` with ``S[-1] = 0``, by doubling.

    Examples
    --------
    >>> import numpy as np
    >>> affine_scan(np, np.array([0.0, 0.5, 0.5, 0.0]), np.array([1.0, 1.0, 1.0, 2.0])).tolist()
    [1.0, 1.5, 1.75, 2.0]
    """
    a, b = a.copy(), b.copy()
    n = len(a)
    k = 1
    while k < n:
        b[k:] = b[k:] + a[k:] * b[:-k]
        a[k:] = a[k:] * a[:-k]
        k *= 2
    return b


def _alpha(com: Any, span: Any, halflife: Any, alpha: Any) -> float:
    given = [(n, v) for n, v in (("com", com), ("span", span), ("halflife", halflife), ("alpha", alpha))
             if v is not None]
    if len(given) != 1:
        raise ValueError("ewm needs exactly one of com, span, halflife or alpha")
    name, value = given[0]
    value = float(value)
    if name == "com":
        if value < 0:
            raise ValueError("com must satisfy com >= 0")
        return 1.0 / (1.0 + value)
    if name == "span":
        if value < 1:
            raise ValueError("span must satisfy span >= 1")
        return 2.0 / (value + 1.0)
    if name == "halflife":
        if value <= 0:
            raise ValueError("halflife must satisfy halflife > 0")
        return 1.0 - math.exp(-math.log(2.0) / value)
    if not 0 < value <= 1:
        raise ValueError("alpha must satisfy 0 < alpha <= 1")
    return value


class ExponentialMovingWindow:
    """Exponentially weighted windows of a Series, a DataFrame or a groupby.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series([1.0, 2.0, 3.0]).ewm(alpha=0.5).mean().to_list()
    [1.0, 1.6666666666666667, 2.4285714285714284]
    """

    def __init__(self, obj: Any, com: Any = None, span: Any = None, halflife: Any = None,
                 alpha: Any = None, min_periods: int | None = 0, adjust: bool = True,
                 ignore_na: bool = False, axis: Any = 0, times: Any = None, method: str = "single",
                 groupby: Any = None) -> None:
        if times is not None:
            raise NotImplementedError("ewm(times=) is not supported; weights count rows")
        if axis not in (0, "index", "rows") or method != "single":
            raise NotImplementedError("ewm supports axis=0 and method='single' only")
        self._alpha = _alpha(com, span, halflife, alpha)
        self._min_periods = max(int(min_periods or 0), 1)
        self._adjust = bool(adjust)
        self._ignore_na = bool(ignore_na)
        self._target = WindowTarget(obj, groupby, None, "ewm")
        self._order = WindowOrder(self._target.backend, self._target.n_rows, self._target.groups)

    def _stat(self, how: str, bias: bool = False) -> Any:
        if not self._adjust and how != "mean":
            raise NotImplementedError(f"ewm(adjust=False).{how}() is not supported; use adjust=True")

        def one(name: Any, col: Column) -> Column:
            out, valid = self._compute(col, name, how, bias)
            return build_column(out, valid)

        return self._target.assemble(one, None)

    def _compute(self, col: Column, name: Any, how: str, bias: bool) -> tuple[Any, Any]:
        order = self._order
        xp = order.backend.xp
        values, ok = numeric_values(col, name, "ewm")
        values, ok = order.gather(values), order.gather(ok)
        n = order.n
        if n == 0:
            return xp.zeros(0), xp.zeros(0, dtype=bool)
        obs = xp.flatnonzero(ok)
        x = values[obs]
        group = order.group[obs]
        first = xp.ones(len(obs), dtype=bool)
        first[1:] = group[1:] != group[:-1]
        if self._ignore_na:
            gap = xp.ones(len(obs), dtype=xp.float64)
        else:
            gap = xp.zeros(len(obs), dtype=xp.float64)
            gap[1:] = (obs[1:] - obs[:-1]).astype(xp.float64)
        decay = xp.where(first, 0.0, (1.0 - self._alpha) ** gap)
        if not self._adjust:
            keep = xp.where(first, 0.0, decay / (decay + self._alpha))
            stat = affine_scan(xp, keep, xp.where(first, 1.0, 1.0 - keep) * x)
        else:
            den = affine_scan(xp, decay, xp.ones(len(obs)))
            num = affine_scan(xp, decay, x)
            if how == "sum":
                stat = num
            elif how == "mean":
                stat = num / den
            else:  # moments of the values less their group's first one, to keep digits
                starts = _running_max(xp, xp.where(first, xp.arange(len(obs)), -1))
                d = x - xp.take(x, xp.maximum(starts, 0))
                num = affine_scan(xp, decay, d)
                mean = num / den
                squares = affine_scan(xp, decay, d * d)
                biased = xp.maximum(squares / den - mean * mean, 0.0)
                if bias:
                    stat = biased
                else:
                    w2 = affine_scan(xp, decay * decay, xp.ones(len(obs)))
                    with np.errstate(all="ignore"):
                        stat = biased * den * den / (den * den - w2)
                if how == "std":
                    stat = xp.sqrt(stat)
        seen = affine_scan(xp, xp.where(first, 0.0, 1.0), xp.ones(len(obs)))  # observations so far
        # every row takes the result of the last observation of its group at or before it
        last = xp.full(n, -1, dtype=xp.int64)
        last[obs] = xp.arange(len(obs), dtype=xp.int64)
        last = _running_max(xp, last)
        same = last >= 0
        safe = xp.maximum(last, 0)
        if len(obs):
            same &= xp.take(group, safe) == order.group
            out = xp.take(stat, safe)
            count = xp.take(seen, safe)
            if how == "sum" and not self._ignore_na:  # a sum keeps decaying over missing rows
                age = order.positions() - xp.take(obs, safe)
                out = out * (1.0 - self._alpha) ** age.astype(xp.float64)
        else:
            out = xp.zeros(n)
            count = xp.zeros(n)
        valid = same & (count >= self._min_periods) & ~xp.isnan(out)
        if how in ("var", "std") and not bias:
            valid &= count >= 2
        return xp.where(valid, out, 0.0), valid

    def mean(self) -> Any:
        """Exponentially weighted mean.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None, 3.0]).ewm(span=3).mean().to_list()
        [1.0, 1.0, 2.6]
        """
        return self._stat("mean")

    def sum(self) -> Any:
        """Exponentially weighted sum (``adjust=True``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 1.0, 1.0]).ewm(alpha=0.5).sum().to_list()
        [1.0, 1.5, 1.75]
        """
        return self._stat("sum")

    def var(self, bias: bool = False) -> Any:
        """Exponentially weighted variance (unbiased unless ``bias=True``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 4.0]).ewm(alpha=0.5).var().to_list()
        [None, 0.5, 2.5]
        """
        return self._stat("var", bias)

    def std(self, bias: bool = False) -> Any:
        """Exponentially weighted standard deviation.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0]).ewm(alpha=0.5).std().to_list()
        [None, 1.4142135623730951]
        """
        return self._stat("std", bias)


def _running_max(xp: Any, values: Any) -> Any:
    return xp.maximum.accumulate(values)
