"""The modules a traced callable uses, and the names of their tensors.

A module passed in is named by its own paths (``"0.weight"``); a function's modules are
found where it reads them (its bound ``self``, closure cells, and the globals its
code names) and named under that variable (``"model.0.weight"``).
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn.module import Module

__all__ = ["modules_of", "tensor_names", "module_names"]


def modules_of(fn: Any) -> list[tuple[str, Module]]:
    """``(prefix, module)`` for every module ``fn`` is or reads directly."""
    if isinstance(fn, Module):
        return [("", fn)]
    found: list[tuple[str, Module]] = []
    seen: set[int] = set()

    def add(prefix: str, m: Any) -> None:
        if isinstance(m, Module) and id(m) not in seen:
            seen.add(id(m))
            found.append((prefix, m))

    owner = getattr(fn, "__self__", None)
    add("self", owner)
    code = getattr(fn, "__code__", None)
    if code is not None:
        for name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or ()):
            try:
                add(name, cell.cell_contents)
            except ValueError:  # an empty cell
                pass
        scope = getattr(fn, "__globals__", {})
        for name in code.co_names:
            if name in scope:
                add(name, scope[name])
    return found


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix and name else prefix or name


def tensor_names(modules: list[tuple[str, Module]]) -> dict[int, tuple[str, str]]:
    """id(tensor) -> (dotted name, "param" | "buffer") over the modules."""
    names: dict[int, tuple[str, str]] = {}
    for prefix, m in modules:
        for name, p in m.named_parameters():
            names.setdefault(id(p), (_join(prefix, name), "param"))
        for name, b in m.named_buffers():
            names.setdefault(id(b), (_join(prefix, name), "buffer"))
    return names


def module_names(modules: list[tuple[str, Module]]) -> dict[int, str]:
    """id(module) -> dotted path over the modules (the root is its prefix)."""
    names: dict[int, str] = {}
    for prefix, m in modules:
        for name, sub in m.named_modules():
            names.setdefault(id(sub), _join(prefix, name))
    return names
