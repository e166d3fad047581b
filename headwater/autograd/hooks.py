"""``RemovableHandle``: what every ``register_*_hook`` returns, as
``torch.utils.hooks.RemovableHandle``.

Hooks live in ordered dicts keyed by the handle's id; the handle holds weak
references to those dicts, so a handle kept after its module or tensor is gone
does not keep either alive.
"""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from typing import Any

__all__ = ["IdSet", "RemovableHandle", "add_hook"]

_ids = itertools.count()


class RemovableHandle:
    """Removes the hook it was returned for, by ``remove()`` or at the end of a
    ``with`` block.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.nn.Linear(2, 1)
    >>> seen = []
    >>> with m.register_forward_hook(lambda mod, args, out: seen.append(out.shape)):
    ...     _ = m(hw.ones(3, 2))
    >>> _ = m(hw.ones(4, 2)); seen
    [(3, 1)]
    """

    def __init__(self, hooks: OrderedDict, *extra: Any) -> None:
        self.id = next(_ids)
        self._refs = [weakref.ref(hooks), *(weakref.ref(e) for e in extra)]

    def remove(self) -> None:
        """Unregister the hook (again is harmless)."""
        for ref in self._refs:
            store = ref()
            if store is None:
                continue
            if isinstance(store, dict):
                store.pop(self.id, None)
            else:
                store.discard(self.id)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


class IdSet(set):
    """A set of handle ids that weak references can point at."""


def add_hook(hooks: OrderedDict, fn: Any, prepend: bool = False, flags: tuple = (),
             flag_stores: tuple = ()) -> RemovableHandle:
    """Store ``fn`` in ``hooks`` (first when ``prepend``) and mark its id in each of
    ``flags``; removing the handle also clears the id from every ``flag_stores``."""
    if not callable(fn):
        raise TypeError(f"a hook must be callable, got {type(fn).__name__}")
    handle = RemovableHandle(hooks, *flag_stores)
    hooks[handle.id] = fn
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    for f in flags:
        f.add(handle.id)
    return handle

