"""Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.tensor.tensor import Tensor

__all__ = ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"]


class Sequential(Module):
    """Modules applied in order (given as arguments or one OrderedDict).

    Examples
    --------
    >>> import headwater as hw
    >>> net = hw.nn.Sequential(hw.nn.Linear(2, 3), hw.nn.ReLU())
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
    )
    >>> net(hw.ones(1, 2)).shape, len(net), type(net[1]).__name__
    ((1, 3), 2, 'ReLU')
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(modules):
                self.add_module(str(i), m)

    def forward(self, input: Any) -> Any:
        for m in self._modules.values():
            input = m(input)
        return input

    def __getitem__(self, index: int | slice) -> Module:
        if isinstance(index, slice):
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return self._modules[_key_at(self, index)]

    def __setitem__(self, index: int, module: Module) -> None:
        self.add_module(_key_at(self, index), module)

    def __delitem__(self, index: int | slice) -> None:
        _delete_and_renumber(self, index)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise TypeError(f"can only add a Sequential to a Sequential, got {type(other).__name__}")
        return Sequential(*self, *other)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Sequential:
        """Add several modules at the end."""
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Put ``module`` before position ``index``."""
        _insert_and_renumber(self, index, module)
        return self

    def pop(self, index: int = -1) -> Module:
        """Remove and return the module at ``index``."""
        module = self[index]
        del self[index]
        return module


class ModuleList(Module):
    """A list of modules, registered so their parameters are found.

    Examples
    --------
    >>> import headwater as hw
    >>> layers = hw.nn.ModuleList([hw.nn.Linear(2, 2) for _ in range(3)])
    >>> len(layers), len(list(layers.parameters()))
    (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        for m in modules or ():
            self.append(m)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add several modules at the end."""
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[_key_at(self, index)]

    def __setitem__(self, index: int, module: Module) -> None:
        self.add_module(_key_at(self, index), module)

    def __delitem__(self, index: int | slice) -> None:
        _delete_and_renumber(self, index)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``.

        Examples
        --------
        >>> import headwater as hw
        >>> layers = hw.nn.ModuleList([hw.nn.ReLU(), hw.nn.Tanh()])
        >>> layers.insert(1, hw.nn.Identity()); [type(m).__name__ for m in layers]
        ['ReLU', 'Identity', 'Tanh']
        """
        _insert_and_renumber(self, index, module)

    def pop(self, index: int = -1) -> Module:
        """Remove and return the module at ``index``."""
        module = self[index]
        del self[index]
        return module


class ModuleDict(Module):
    """A dict of modules by name, registered so their parameters are found.

    Examples
    --------
    >>> import headwater as hw
    >>> heads = hw.nn.ModuleDict({"a": hw.nn.Linear(2, 1), "b": hw.nn.Identity()})
    >>> list(heads.keys()), "a" in heads
    (['a', 'b'], True)
    """

    def __init__(self, modules: dict[str, Module] | None = None) -> None:
        super().__init__()
        for name, m in (modules or {}).items():
            self[name] = m

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        """The names."""
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        """The modules."""
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        """(name, module) pairs."""
        return self._modules.items()

    def update(self, modules: Any) -> None:
        """Add or replace modules from a mapping or an iterable of (name, module) pairs."""
        pairs = modules.items() if hasattr(modules, "items") else modules
        for name, m in pairs:
            self[name] = m

    def pop(self, key: str) -> Module:
        """Remove and return the module named ``key``."""
        module = self._modules[key]
        del self[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()


def _key_at(container: Module, index: int) -> str:
    """The registration name of position ``index`` (negative counts from the end)."""
    keys = list(container._modules)
    if not isinstance(index, int):
        raise TypeError(f"{type(container).__name__} indices must be integers or slices, got {type(index).__name__}")
    if not -len(keys) <= index < len(keys):
        raise IndexError(f"index {index} is out of range for {type(container).__name__} of length {len(keys)}")
    return keys[index]


def _renumber(container: Module, modules: list) -> None:
    container._modules.clear()
    for i, m in enumerate(modules):
        container._modules[str(i)] = m


def _delete_and_renumber(container: Module, index: int | slice) -> None:
    items = list(container._modules.items())
    if isinstance(index, slice):
        del items[index]
    else:
        del items[list(container._modules).index(_key_at(container, index))]
    if all(k.isdigit() for k, _ in items):
        _renumber(container, [m for _, m in items])
    else:  # an OrderedDict-built Sequential keeps its names
        container._modules.clear()
        container._modules.update(items)


def _insert_and_renumber(container: Module, index: int, module: Module) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{type(container).__name__}.insert needs a Module, got {type(module).__name__}")
    modules = list(container._modules.values())
    modules.insert(index, module)
    _renumber(container, modules)


def _as_parameter(value: Any) -> Any:
    """A Tensor becomes a Parameter (as in PyTorch); other values stay as they are."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value.detach(), requires_grad=value.dtype.kind == "f")
    return value


class ParameterList(Module):
    """A list of parameters, registered so that ``parameters()`` and
    ``state_dict()`` find them (under the names ``"0"``, ``"1"``...).

    Examples
    --------
    >>> import headwater as hw
    >>> ps = hw.nn.ParameterList([hw.nn.Parameter(hw.zeros(2)) for _ in range(2)])
    >>> _ = ps.append(hw.ones(3)); len(ps), [tuple(p.shape) for p in ps]
    (3, [(2,), (2,), (3,)])
    >>> list(ps.state_dict())
    ['0', '1', '2']
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        object.__setattr__(self, "_size", 0)
        for v in values or ():
            self.append(v)

    def _set(self, i: int, value: Any) -> None:
        value = _as_parameter(value)
        if isinstance(value, Parameter) or value is None:
            self._parameters.pop(str(i), None)
            self.register_parameter(str(i), value)
            self.__dict__.pop(str(i), None)
        else:
            self._parameters.pop(str(i), None)
            object.__setattr__(self, str(i), value)

    def _get(self, i: int) -> Any:
        key = str(i)
        return self._parameters[key] if key in self._parameters else self.__dict__[key]

    def _index(self, index: int) -> int:
        if not -self._size <= index < self._size:
            raise IndexError(f"index {index} is out of range for ParameterList of length {self._size}")
        return index % self._size

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ParameterList([self._get(i) for i in range(self._size)[index]])
        return self._get(self._index(index))

    def __setitem__(self, index: int, value: Any) -> None:
        self._set(self._index(index), value)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self._get(i) for i in range(self._size))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` (a Tensor is made a Parameter) at the end."""
        self._set(self._size, value)
        object.__setattr__(self, "_size", self._size + 1)
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Add several values at the end."""
        for v in values:
            self.append(v)
        return self

    def extra_repr(self) -> str:
        return "\n".join(
            f"({i}): Parameter containing: [{p.dtype} of size {'x'.join(map(str, p.shape))}]"
            if isinstance(p, Tensor) else f"({i}): Object of type: {type(p).__name__}"
            for i, p in enumerate(self)
        )


class ParameterDict(Module):
    """A dict of parameters by name, registered so that ``parameters()`` and
    ``state_dict()`` find them.

    Examples
    --------
    >>> import headwater as hw
    >>> pd = hw.nn.ParameterDict({"scale": hw.nn.Parameter(hw.ones(1))})
    >>> pd["shift"] = hw.zeros(1)
    >>> list(pd.keys()), sorted(pd.state_dict())
    (['scale', 'shift'], ['scale', 'shift'])
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key in self._parameters:
            return self._parameters[key]
        if key in self._keys:
            return self.__dict__[key]
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict keys must be strings, got {type(key).__name__}")
        self._keys[key] = None
        value = _as_parameter(value)
        self._parameters.pop(key, None)
        self.__dict__.pop(key, None)
        if isinstance(value, Parameter) or value is None:
            self.register_parameter(key, value)
        else:
            object.__setattr__(self, key, value)

    def __delitem__(self, key: str) -> None:
        if key not in self._keys:
            raise KeyError(key)
        del self._keys[key]
        self._parameters.pop(key, None)
        self.__dict__.pop(key, None)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> list[str]:
        """The names, in insertion order."""
        return list(self._keys)

    def values(self) -> list[Any]:
        """The parameters."""
        return [self[k] for k in self._keys]

    def items(self) -> list[tuple[str, Any]]:
        """(name, parameter) pairs."""
        return [(k, self[k]) for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter named ``key``, or ``default``."""
        return self[key] if key in self._keys else default

    def pop(self, key: str) -> Any:
        """Remove and return the parameter named ``key``."""
        value = self[key]
        del self[key]
        return value

    def clear(self) -> None:
        """Remove every parameter."""
        for k in list(self._keys):
            del self[k]

    def update(self, parameters: Any) -> None:
        """Add or replace entries from a mapping or an iterable of (name, value) pairs."""
        pairs = parameters.items() if hasattr(parameters, "items") else parameters
        for key, value in pairs:
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(
            f"({k}): Parameter containing: [{v.dtype} of size {'x'.join(map(str, v.shape))}]"
            if isinstance(v, Tensor) else f"({k}): Object of type: {type(v).__name__}"
            for k, v in self.items()
        )
