"""The error for a name a public module lacks: an AttributeError that says so and
names the closest names the module does have.

PyTorch and pandas scripts reach for names Headwater may not provide; they get this
error, never a different function's result. A package opts in with one line::

    __getattr__ = missing_names(__name__)
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["missing_names", "missing_attribute"]

# the public spelling of modules that live deeper than users import them
_PUBLIC = {"headwater.autograd.nn": "headwater.nn", "headwater.autograd.optim": "headwater.optim"}
_TORCH = {"headwater": "torch"}


def _public(module_name: str) -> str:
    for inner, outer in _PUBLIC.items():
        if module_name == inner or module_name.startswith(inner + "."):
            return outer + module_name[len(inner):]
    return module_name


def _closest(name: str, candidates: list[str]) -> list[str]:
    lowered: dict[str, str] = {}
    for c in candidates:
        lowered.setdefault(c.lower(), c)
    found = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[f] for f in found]


def missing_attribute(module_name: str, namespace: dict[str, Any], name: str) -> AttributeError:
    """The AttributeError for ``module_name.name``, naming its closest public names.

    Examples
    --------
    >>> import headwater as hw
    >>> err = missing_attribute("headwater.autograd.nn", vars(hw.nn), "Relu")
    >>> "torch.nn.Relu" in str(err), "headwater.nn.ReLU" in str(err)
    (True, True)
    >>> "pandas.wide_to_long" in str(missing_attribute("headwater", vars(hw), "wide_to_long"))
    True
    """
    public = _public(module_name)
    torch_name = "torch" + public[len("headwater"):] if public.startswith("headwater") else public
    exported = namespace.get("__all__")
    if exported is not None:  # the module's public names
        candidates = [n for n in exported if isinstance(n, str)]
    else:
        candidates = [n for n, v in namespace.items()
                      if not n.startswith("_") and not isinstance(v, ModuleType)]
    close = _closest(name, candidates)
    # the top level stands in for both torch and pandas (``import headwater as pd``)
    what = f"torch.{name} or pandas.{name}" if public == "headwater" else f"{torch_name}.{name}"
    peers = "PyTorch and pandas" if public == "headwater" else "PyTorch"
    head = f"module {public!r} has no attribute {name!r}: Headwater does not provide {what} (or it is misspelt)"
    if close:
        names = ", ".join(f"{public}.{c}" for c in close)
        return AttributeError(f"{head}; the closest Headwater names: {names}")
    return AttributeError(f"{head}; nothing in {public} is close (see the README's "
                          f"differences from {peers})")


def missing_names(module_name: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` raising :func:`missing_attribute` for unknown names."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        raise missing_attribute(module_name, vars(sys.modules[module_name]), name)

    __getattr__.__qualname__ = "__getattr__"
    return __getattr__
