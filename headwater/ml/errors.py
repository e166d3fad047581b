"""The errors ``hw.ml`` raises: each names the estimator, the argument and the fix."""

from __future__ import annotations

__all__ = ["NotFittedError", "InputError"]


class NotFittedError(ValueError, AttributeError):
    """A fitted-only method (``predict``, ``transform``, ...) was called before ``fit``.

    It is a ValueError and an AttributeError, as scikit-learn's ``NotFittedError``,
    so code written against scikit-learn catches it the same way.

    Examples
    --------
    >>> import headwater as hw
    >>> try:
    ...     hw.ml.LinearRegression().predict([[1.0]])
    ... except hw.ml.NotFittedError as exc:
    ...     print(str(exc).split(";")[0])
    This LinearRegression instance is not fitted yet
    """


class InputError(ValueError):
    """``X`` or ``y`` cannot be used by an estimator (non-numeric, NaN, wrong length or kind).

    Examples
    --------
    >>> import headwater as hw
    >>> try:
    ...     hw.ml.Ridge().fit([[1.0], [float("nan")]], [1.0, 2.0])
    ... except hw.ml.InputError as exc:
    ...     print(str(exc).split(";")[0])
    Ridge.fit: X contains NaN or infinity (1 value(s))
    """
