"""``Module``: the base of every layer, registering parameters by assignment.

As in PyTorch, assigning a :class:`Parameter` or a Module to an attribute registers
it; one walk over the tree (``_named_members``, with a memo for shared parameters)
serves ``parameters()``, ``buffers()``, ``state_dict()`` and ``zero_grad()``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from headwater.autograd import function
from headwater.autograd.nn import structure_version
from headwater.autograd.nn.module_hooks import HookMixin, call_with_hooks
from headwater.autograd.nn.module_state import IncompatibleKeys, StateDictError, StateDictMixin
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.nn.structure_version import VersionedDict
from headwater.autograd.ops.conversion import _parse_to, move
from headwater.tensor.devices import Device
from headwater.tensor.dtypes import is_floating
from headwater.tensor.tensor import Tensor

__all__ = ["Module", "IncompatibleKeys", "StateDictError"]

class Module(HookMixin, StateDictMixin):
    """Base class for neural-network layers and models.

    Subclasses call ``super().__init__()``, assign Parameters and sub-Modules as
    attributes, and define ``forward``; calling the module runs ``forward``.

    Examples
    --------
    >>> import headwater as hw
    >>> class Net(hw.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = hw.nn.Linear(2, 1)
    ...     def forward(self, x):
    ...         return self.fc(x)
    >>> net = Net()
    >>> [name for name, _ in net.named_parameters()]
    ['fc.weight', 'fc.bias']
    >>> net(hw.ones(3, 2)).shape
    (3, 1)
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", VersionedDict())
        object.__setattr__(self, "_buffers", VersionedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", VersionedDict())
        self._init_hooks()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no forward(); define one in the subclass")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or self._backward_pre_hooks:
            return call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    # -- registration ---------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() has run; call "
                f"super().__init__() first in {type(self).__name__}.__init__"
            )
        params, modules, buffers = self._parameters, self._modules, self._buffers
        if isinstance(value, Parameter):
            self.__dict__.pop(name, None)
            modules.pop(name, None)
            buffers.pop(name, None)
            params[name] = value
        elif name in params:
            if value is not None and not isinstance(value, Parameter):
                if isinstance(value, Tensor) and value.grad_fn is not None:
                    raise TypeError(
                        f"cannot assign a non-leaf Tensor to parameter {name!r}: model "
                        f"parameters must be created explicitly. To express it as a function "
                        f"of another Tensor, compute the value in forward()"
                    )
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter {name!r} "
                    f"(hw.nn.Parameter or None expected)"
                )
            params[name] = value
        elif isinstance(value, Module):
            self.__dict__.pop(name, None)
            params.pop(name, None)
            buffers.pop(name, None)
            modules[name] = value
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module {name!r} (Module or None expected)")
            modules[name] = value
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign {type(value).__name__} as buffer {name!r} (Tensor or None expected)")
            buffers[name] = value
        else:
            if name == "training":  # hw.compile's signature reads the training flags
                structure_version.bump()
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or a None placeholder) under ``name``."""
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"register_parameter: the name must be a non-empty string without '.', got {name!r}")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got {type(param).__name__}")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a non-learnable tensor (saved in ``state_dict`` when persistent).

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Module(); m.register_buffer("steps", hw.zeros(1))
        >>> list(m.state_dict())
        ['steps']
        """
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: {name!r} must be a Tensor or None, got {type(tensor).__name__}")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child under ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module, got {type(module).__name__}")
        self._modules[name] = module

    register_module = add_module

    # -- traversal ------------------------------------------------------------------
    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and every descendant, once each (every time it is reached
        with ``remove_duplicate=False``), with dotted names.

        Examples
        --------
        >>> import headwater as hw
        >>> net = hw.nn.Sequential(hw.nn.Linear(2, 2), hw.nn.ReLU())
        >>> [name for name, _ in net.named_modules()]
        ['', '0', '1']
        """
        memo = set() if memo is None else memo
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every descendant."""
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct sub-modules with their names.

        Examples
        --------
        >>> import headwater as hw
        >>> [n for n, _ in hw.nn.Sequential(hw.nn.ReLU(), hw.nn.Tanh()).named_children()]
        ['0', '1']
        """
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self) -> Iterator[Module]:
        """Direct sub-modules."""
        for _, child in self.named_children():
            yield child

    def _named_members(self, store: Callable[[Module], dict], prefix: str = "", recurse: bool = True,
                       remove_duplicate: bool = True):
        memo: set = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for mod_prefix, mod in mods:
            for name, value in store(mod).items():
                if value is None or (remove_duplicate and id(value) in memo):
                    continue
                memo.add(id(value))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Parameters with dotted names; a shared parameter appears once (unless
        ``remove_duplicate=False``).

        Examples
        --------
        >>> import headwater as hw
        >>> [(n, p.shape) for n, p in hw.nn.Linear(3, 2).named_parameters()]
        [('weight', (2, 3)), ('bias', (2,))]
        """
        yield from self._named_members(lambda m: m._parameters, prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """All parameters (each once), for an optimizer.

        Examples
        --------
        >>> import headwater as hw
        >>> sum(p.numel() for p in hw.nn.Linear(3, 2).parameters())
        8
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Buffers with dotted names."""
        yield from self._named_members(lambda m: m._buffers, prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """All buffers."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target: str) -> Module:
        """The descendant at the dotted path ``target`` (``""`` is this module).

        Examples
        --------
        >>> import headwater as hw
        >>> net = hw.nn.Sequential(hw.nn.Sequential(hw.nn.Linear(2, 2)))
        >>> type(net.get_submodule("0.0")).__name__
        'Linear'
        """
        mod: Module = self
        if target == "":
            return mod
        walked = []
        for part in target.split("."):
            child = mod._modules.get(part) if isinstance(mod, Module) else None
            if child is None:
                where = ".".join(walked) or type(self).__name__
                raise AttributeError(f"{where} has no submodule {part!r} (looking up {target!r})")
            walked.append(part)
            mod = child
        return mod

    def _get_member(self, target: str, store: str, what: str) -> Any:
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        members = getattr(mod, store)
        if name not in members:
            raise AttributeError(f"{type(mod).__name__} has no {what} {name!r} (looking up {target!r})")
        return members[name]

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``"0.weight"``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.nn.Sequential(hw.nn.Linear(2, 3)).get_parameter("0.bias").shape
        (3,)
        """
        return self._get_member(target, "_parameters", "parameter")

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target``."""
        return self._get_member(target, "_buffers", "buffer")

    # -- modes ----------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active, batch norm uses batch statistics).

        Examples
        --------
        >>> import headwater as hw
        >>> net = hw.nn.Sequential(hw.nn.Dropout()).eval()
        >>> net.train().training, net[0].training
        (True, True)
        """
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode must be a bool, got {type(mode).__name__}")
        structure_version.bump()
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode; same as ``train(False)``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.nn.Dropout().eval().training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch gradient recording for every parameter."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient (to None by default).

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Linear(2, 1); m(hw.ones(1, 2)).sum().backward()
        >>> m.zero_grad(); m.weight.grad is None
        True
        """
        if function._recorder is not None:
            function._recorder.zero_grad(list(self.parameters()), set_to_none, self)
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad.array[...] = 0

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every descendant, then on this module.

        Examples
        --------
        >>> import headwater as hw
        >>> def init(m):
        ...     if isinstance(m, hw.nn.Linear):
        ...         hw.nn.init.zeros_(m.weight)
        >>> net = hw.nn.Sequential(hw.nn.Linear(2, 2)).apply(init)
        >>> net[0].weight.tolist()
        [[0.0, 0.0], [0.0, 0.0]]
        """
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # -- moving ---------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Move parameters and buffers to a device and/or float dtype, in place
        (the Parameter objects stay the same, so optimizers keep working).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.nn.Linear(2, 2).to(hw.float64).weight.dtype
        dtype('float64')
        """
        device, dtype = _parse_to(args, dict(kwargs))
        if dtype is not None and not is_floating(dtype):
            raise TypeError(f"Module.to only accepts float dtypes, got {dtype}")
        for t in [*self.parameters(), *self.buffers()]:
            data = t.array
            if device is not None:
                data = move(data, device)
            if dtype is not None and is_floating(data.dtype):
                data = data.astype(dtype, copy=False)
            t.array = data
            if t.grad is not None:
                g = t.grad.array
                if device is not None:
                    g = move(g, device)
                if dtype is not None:
                    g = g.astype(dtype, copy=False)
                t.grad.array = g
        return self

    def float(self) -> Module:
        """Parameters and buffers as float32."""
        return self.to("float32")

    def double(self) -> Module:
        """Parameters and buffers as float64."""
        return self.to("float64")

    def half(self) -> Module:
        """Parameters and buffers as float16."""
        return self.to("float16")

    def cpu(self) -> Module:
        """Move to the CPU."""
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Module:
        """Move to the GPU (``device`` may be an index or a name, as in torch)."""
        return self.to("cuda" if device is None else Device(device))

    # -- repr -----------------------------------------------------------------------
    def extra_repr(self) -> str:
        """Extra text inside this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        lines = []
        extra = self.extra_repr()
        if extra:
            lines.extend(extra.split("\n"))
        for name, child in self._modules.items():
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"({name}): {text}")
        body = type(self).__name__ + "("
        if not lines:
            return body + ")"
        if len(lines) == 1 and not self._modules:
            return body + lines[0] + ")"
        return body + "\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._modules) | set(self._buffers))
