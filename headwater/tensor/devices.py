"""Device choice: ``HEADWATER_DEVICE``, ``hw.set_device`` and ``device=`` arguments.

``auto`` (the default) means CUDA when CuPy can use a GPU, else the CPU. Asking for
``cuda`` where there is none raises :class:`DeviceUnavailableError`; Headwater never
falls back silently.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.cpu import NumpyBackend
from headwater.tensor.backend.strict import StrictArray, StrictBackend
from headwater.tensor.backend.cuda import CupyBackend, cuda_status

__all__ = [
    "Device",
    "DeviceUnavailableError",
    "DeviceMismatchError",
    "device",
    "default_device",
    "set_device",
    "get_backend",
    "backend_of",
    "device_of",
    "device_choice_reason",
]

_ENV = "HEADWATER_DEVICE"
_KINDS = ("cpu", "cuda")


class DeviceUnavailableError(RuntimeError):
    """A device was asked for that this machine cannot provide."""


class DeviceMismatchError(RuntimeError):
    """Arrays on different devices were mixed in one operation."""


class Device:
    """A compute device, ``cpu`` or ``cuda`` (optionally ``cuda:N``), as ``torch.device``.

    ``hw.device`` is this class: ``hw.device("cuda:0")`` names a device,
    ``isinstance(d, hw.device)`` holds for every device, and ``hw.device()`` with no
    argument returns the current default device (see :func:`set_device`). A device
    compares equal to its name. ``cuda`` without an index equals every ``cuda:N``
    (torch tells them apart; Headwater drives one GPU per process, so the index is
    informative only).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.device("cpu")
    device(type='cpu')
    >>> hw.device("cpu") == "cpu", isinstance(hw.device("cpu"), hw.device)
    (True, True)
    >>> hw.device("cuda:0").index, str(hw.device("cuda", 0))
    (0, 'cuda:0')
    """

    __slots__ = ("type", "index")

    def __new__(cls, spec: str | Device | None = None, index: int | None = None) -> Device:
        if spec is None:
            if index is not None:
                raise TypeError("device(index=...) needs a device type, e.g. hw.device('cuda', 0)")
            return default_device()
        if isinstance(spec, Device) and index is None:
            return spec
        if isinstance(spec, str) and spec.strip().lower() == "auto" and index is None:
            return _resolve("auto")[0]  # the device HEADWATER_DEVICE=auto would pick
        self = object.__new__(cls)
        kind, parsed = _parse(spec)
        if index is not None:
            if parsed is not None:
                raise ValueError(f"device {spec!r} already names an index; drop index={index}")
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                raise ValueError(f"device index must be a non-negative int, got {index!r}")
            parsed = index
        if kind == "cpu" and parsed not in (None, 0):
            raise ValueError(f"the cpu device has no index {parsed}; use 'cpu'")
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "index", None if kind == "cpu" else parsed)
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a device is immutable; build another with hw.device(...)")

    # immutable: copies and pickles rebuild from the name (never through __new__()'s
    # no-argument form, which means "the current device")
    def __reduce__(self) -> tuple:
        return (Device, (str(self),))

    def __copy__(self) -> Device:
        return self

    def __deepcopy__(self, memo: dict) -> Device:
        return self

    @property
    def backend(self) -> Backend:
        """The array backend of this device (raises when CUDA is unavailable)."""
        return get_backend(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = Device(other)
            except ValueError:
                return False
        if isinstance(other, Device):
            if self.type != other.type:
                return False
            return self.index is None or other.index is None or self.index == other.index
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


def _parse(spec: Any) -> tuple[str, int | None]:
    if isinstance(spec, Device):
        return spec.type, spec.index
    if isinstance(spec, int) and not isinstance(spec, bool):
        if spec < 0:
            raise ValueError(f"device index must be non-negative, got {spec}")
        return "cuda", spec  # torch.device(0) is cuda:0
    if not isinstance(spec, str):
        raise TypeError(f"device must be 'cpu' or 'cuda', got {type(spec).__name__} {spec!r}")
    text = spec.strip().lower()
    if text == "gpu":
        text = "cuda"
    kind, _, number = text.partition(":")
    if kind not in _KINDS or (_ and not number.isdigit()):
        raise ValueError(
            f"unknown device {spec!r}; use 'cpu' or 'cuda' (or 'cuda:N'), "
            f"or 'auto' in HEADWATER_DEVICE / hw.set_device"
        )
    return kind, (int(number) if _ else None)


device = Device  # hw.device: the class, called as torch.device is

_backends: dict[str, Backend] = {}
STRICT = "cpu-strict"  # HEADWATER_DEVICE value: see headwater/tensor/backend/strict.py
_strict = False
_default: Device | None = None
_reason = ""


def _cuda_backend() -> Backend:
    if "cuda" not in _backends:
        ok, why = cuda_status()
        if not ok:
            raise DeviceUnavailableError(
                f"device 'cuda' was requested but is unavailable: {why}. "
                f"Use device='cpu' or set {_ENV}=cpu (or auto) to run on the CPU."
            )
        backend = CupyBackend()
        from headwater.tensor import cuda  # the peak-memory counter of hw.cuda

        cuda.track_peak(backend.xp)
        _backends["cuda"] = backend
    return _backends["cuda"]


def _resolve(spec: str) -> tuple[Device, str]:
    global _strict
    kind = spec.strip().lower()
    if kind == STRICT:
        if "cpu" in _backends and not _strict:
            raise ValueError(f"{STRICT!r} must be chosen before the first array is made "
                             f"(set {_ENV}={STRICT} in the environment)")
        _strict = True
        return Device("cpu"), f"{STRICT}: NumPy memory under CuPy's rules (headwater.tensor.backend.strict)"
    if kind == "auto":
        ok, why = cuda_status()
        if ok:
            return Device("cuda"), f"auto: {why}"
        return Device("cpu"), f"auto: no GPU ({why})"
    dev = Device(kind)
    if dev.type == "cuda":
        _cuda_backend()
    return dev, "requested"


def default_device() -> Device:
    """The current default device (what ``hw.device()`` returns).

    It is chosen from ``HEADWATER_DEVICE`` (``auto`` | ``cpu`` | ``cuda``) on first
    use, or by :func:`set_device`.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_device("cpu")
    >>> hw.device()
    device(type='cpu')
    """
    global _default, _reason
    if _default is None:
        env = os.environ.get(_ENV, "auto") or "auto"
        try:
            _default, why = _resolve(env)
        except ValueError as exc:
            raise ValueError(f"{_ENV}={env!r} is not valid: {exc}") from None
        _reason = f"{_ENV}={env} ({why})" if _ENV in os.environ else why
    return _default


def set_device(spec: str | Device) -> None:
    """Make ``spec`` (``"cpu"``, ``"cuda"`` or ``"auto"``) the default device.

    Raises
    ------
    DeviceUnavailableError
        ``"cuda"`` was asked for and CuPy or a GPU is missing.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_device("cpu")
    >>> str(hw.device())
    'cpu'
    """
    global _default, _reason
    name = str(spec)
    _default, why = _resolve(name)
    _reason = f"hw.set_device({name!r}) ({why})"


def device_choice_reason() -> str:
    """Why the default device is what it is (for ``headwater info``)."""
    default_device()
    return _reason


def get_backend(spec: str | Device | None = None) -> Backend:
    """The backend for ``spec``, or for the default device when ``spec`` is None.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_backend("cpu").name
    'cpu'
    """
    dev = default_device() if spec is None else device(spec)
    if dev.type == "cuda":
        return _cuda_backend()
    if "cpu" not in _backends:
        _backends["cpu"] = StrictBackend() if _strict else NumpyBackend()
    return _backends["cpu"]


def backend_of(*arrays: Any) -> Backend:
    """The one backend that owns all of ``arrays`` (non-arrays are ignored).

    Raises
    ------
    DeviceMismatchError
        Arrays live on different devices; move one with ``.to(device)`` first.
    """
    found: Backend | None = None
    for array in arrays:
        if array is None or isinstance(array, (int, float, bool, complex)):
            continue
        backend = _owner(array)
        if backend is None:
            continue
        if found is not None and backend is not found:
            raise DeviceMismatchError(
                f"expected all arrays on one device, found {found.name} and {backend.name}; "
                f"move one with .to('{found.name}') first"
            )
        found = backend
    return found if found is not None else get_backend()


def _owner(array: Any) -> Backend | None:
    cpu = get_backend("cpu")
    if cpu.owns(array):
        return cpu
    if type(array).__module__.startswith("cupy"):
        return _cuda_backend()
    return None


def array_device(array: Any) -> str | None:
    """``"cpu"`` or ``"cuda"`` for an array of a backend (NumPy, the strict mode's
    arrays, CuPy); None for anything else (lists, scalars, pandas objects)."""
    if isinstance(array, np.ndarray) or type(array) is StrictArray:
        return "cpu"
    if type(array).__module__.startswith("cupy"):
        return "cuda"
    return None


def device_of(array: Any) -> Device:
    """The device that holds ``array``."""
    return Device(backend_of(array).name)
