"""The optional dependency: Dask (and, for clusters, dask.distributed)."""

from __future__ import annotations

from typing import Any

__all__ = ["require_dask"]

_HINT = 'headwater.dask needs Dask: pip install "headwater[distributed]" (or pip install dask distributed)'


def require_dask() -> Any:
    """Import and return ``dask``, or raise ImportError naming the extra to install.

    Examples
    --------
    >>> from headwater.dask.deps import require_dask
    >>> require_dask().__name__
    'dask'
    """
    try:
        import dask
        import dask.highlevelgraph  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without dask
        raise ImportError(_HINT) from exc
    return dask
