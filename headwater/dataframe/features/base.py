"""The protocol every feature-engineering op follows.

An op is built as ``Op(columns=[...], **options)``, learns what it needs with
``fit(df)`` and applies it with ``transform(df)``; ``fit_transform(df)`` does both.
What ``fit`` learns (means, vocabularies, bin edges, group statistics) is the op's
fitted state. It stays on the device while the op is used, and ``to_dict()`` turns
it into plain JSON values (one counted host copy), so that a pipeline can save it
and ``FeatureOp.from_dict(d)`` can rebuild the op and apply exactly the same
transform later. Transforming a second frame applies the state learned on the
first; it never refits.

Ops register themselves under a short name (``"normalize"``, ``"onehot"``), which
is the ``"op"`` key of their dict and the name pipelines refer to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from headwater.dataframe.features import state as _state

__all__ = ["FeatureOp", "NotFittedError", "FeatureOpError", "registry", "op_from_dict"]

registry: dict[str, type[FeatureOp]] = {}


class NotFittedError(RuntimeError):
    """``transform`` (or ``to_dict`` of the state) was asked of an op before ``fit``."""


class FeatureOpError(ValueError):
    """A feature op was configured wrongly or met data it cannot handle."""


class FeatureOp:
    """Base of the feature-engineering ops in ``hw.features``.

    Subclasses declare ``name`` (the registry key) and ``_OPTIONS`` (each option
    and its default), and implement ``_fit(df)`` (returning the fitted state, a
    dict whose values may be device arrays) and ``_transform(df, state)``. A
    subclass with ``stateless = True`` may transform without being fitted.

    Parameters
    ----------
    columns : str or list of str
        The columns the op reads.
    **options
        Op-specific options; each op lists its own. Unknown names are an error.

    Examples
    --------
    >>> import headwater as hw
    >>> op = hw.features.Normalize(columns=["x"], method="minmax")
    >>> op.to_dict()["options"]["method"]
    'minmax'
    >>> hw.features.FeatureOp.from_dict(op.to_dict()).options == op.options
    True
    """

    name: ClassVar[str] = ""
    stateless: ClassVar[bool] = False
    _OPTIONS: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            registry[cls.name] = cls

    def __init__(self, columns: str | Iterable[str], **options: Any) -> None:
        if isinstance(columns, str):
            columns = [columns]
        self.columns = [str(c) for c in columns]
        if not self.columns:
            raise FeatureOpError(f"{type(self).__name__} needs at least one column; pass columns=[...]")
        unknown = sorted(set(options) - set(self._OPTIONS))
        if unknown:
            raise FeatureOpError(
                f"{type(self).__name__} got unknown option(s) {unknown}; "
                f"valid options are {sorted(self._OPTIONS)}"
            )
        # tuples become lists, so that options equal their JSON round trip
        self.options = {k: _plain(v) for k, v in {**self._OPTIONS, **options}.items()}
        self._check_options()
        self._state: dict[str, Any] | None = None

    def _check_options(self) -> None:
        """Validate ``self.options`` (subclasses raise FeatureOpError)."""

    # -- the protocol -------------------------------------------------------------------
    @property
    def fitted(self) -> bool:
        """True once ``fit`` ran (or the op was rebuilt from a fitted dict)."""
        return self._state is not None

    def fit(self, df: Any) -> FeatureOp:
        """Learn the op's state from ``df`` and return the op.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"x": [1.0, 2.0, 3.0]})
        >>> op = hw.features.Normalize(columns=["x"]).fit(df)
        >>> op.fitted
        True
        """
        from headwater.dataframe.features.frame import require_columns

        require_columns(df, self.columns, type(self).__name__)
        self._state = self._fit(df)
        return self

    def transform(self, df: Any) -> Any:
        """Apply the fitted state to ``df`` and return a new DataFrame.

        Raises
        ------
        NotFittedError
            The op learns from data and was not fitted.

        Examples
        --------
        >>> import headwater as hw
        >>> op = hw.features.Log1p(columns=["x"])
        >>> op.transform(hw.DataFrame({"x": [0.0]}))["x"].tolist()
        [0.0]
        """
        from headwater.dataframe.features.frame import require_columns

        if self._state is None:
            if not self.stateless:
                raise NotFittedError(
                    f"{type(self).__name__} is not fitted; call .fit(train_df) first, "
                    f"or .fit_transform(df)"
                )
            self._state = {}
        require_columns(df, self._transform_inputs(), type(self).__name__)
        return self._transform(df, self._state)

    def fit_transform(self, df: Any) -> Any:
        """``fit(df)`` then ``transform(df)`` (ops such as TargetEncode do better).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"x": [1.0, 3.0]})
        >>> hw.features.Normalize(columns=["x"], method="minmax").fit_transform(df)["x"].tolist()
        [0.0, 1.0]
        """
        return self.fit(df).transform(df)

    def _fit(self, df: Any) -> dict[str, Any]:
        return {}

    def _transform_inputs(self) -> list[str]:
        """The columns ``transform`` reads (GroupStats needs only its keys)."""
        return self.columns

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._transform")

    # -- serialisation ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The op as JSON-serialisable values: name, columns, options, fitted state.

        Device arrays in the state come back to the host here (one counted copy
        each); ``state`` is None for an op that was never fitted.

        Examples
        --------
        >>> import json, headwater as hw
        >>> op = hw.features.Clip(columns=["x"], lower=0.0)
        >>> json.loads(json.dumps(op.to_dict()))["op"]
        'clip'
        """
        state = None if self._state is None else _state.encode(self._state)
        return {
            "op": self.name,
            "columns": list(self.columns),
            "options": _state.encode(self.options),
            "state": state,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureOp:
        """Rebuild an op from :meth:`to_dict`'s output (on any class of the family).

        ``FeatureOp.from_dict`` picks the class from ``d["op"]``; a subclass checks
        that the dict is one of its own.

        Examples
        --------
        >>> import headwater as hw
        >>> d = hw.features.Log1p(columns=["x"]).to_dict()
        >>> type(hw.features.FeatureOp.from_dict(d)).__name__
        'Log1p'
        """
        return op_from_dict(d, expect=None if cls is FeatureOp else cls)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.options.items() if not _same(v, self._OPTIONS.get(k))}
        opts = "".join(f", {k}={v!r}" for k, v in changed.items())
        state = "fitted" if self.fitted else "not fitted"
        return f"{type(self).__name__}(columns={self.columns!r}{opts}) <{state}>"


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return a is b


def op_from_dict(d: dict[str, Any], expect: type[FeatureOp] | None = None) -> FeatureOp:
    """Rebuild any registered op from its dict; see :meth:`FeatureOp.from_dict`."""
    if not isinstance(d, dict) or "op" not in d or "columns" not in d:
        raise FeatureOpError(
            "a feature op dict needs the keys 'op', 'columns', 'options' and 'state' "
            f"(as written by op.to_dict()), got {type(d).__name__} {d!r:.200}"
        )
    name = d["op"]
    cls = registry.get(name)
    if cls is None:
        raise FeatureOpError(f"unknown feature op {name!r}; registered ops are {sorted(registry)}")
    if expect is not None and not issubclass(cls, expect):
        raise FeatureOpError(f"{expect.__name__}.from_dict got a dict for op {name!r}; use {cls.__name__}.from_dict")
    op = cls(d["columns"], **_state.decode(d.get("options") or {}))
    raw = d.get("state")
    op._state = None if raw is None else _state.decode(raw)
    return op

