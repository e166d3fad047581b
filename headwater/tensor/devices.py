"""Device choice: ``HEADWATER_DEVICE``, ``hw.set_device`` and ``device=`` arguments.

``auto`` (the default) means CUDA when CuPy can use a GPU, else the CPU. Asking for
``cuda`` where there is none raises :class:`DeviceUnavailableError`; Headwater never
falls back silently.
"""

from __future__ import annotations

import os
from typing import Any

from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.cpu import NumpyBackend
from headwater.tensor.backend.cuda import CupyBackend, cuda_status

__all__ = [
    "Device",
    "DeviceUnavailableError",
    "DeviceMismatchError",
    "device",
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
    """A compute device, ``cpu`` or ``cuda``, compared equal to its name.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.device("cpu")
    device(type='cpu')
    >>> hw.device("cpu") == "cpu"
    True
    """

    __slots__ = ("type",)

    def __init__(self, spec: str | Device) -> None:
        if isinstance(spec, Device):
            self.type = spec.type
            return
        if not isinstance(spec, str):
            raise TypeError(f"device must be 'cpu' or 'cuda', got {type(spec).__name__} {spec!r}")
        kind = spec.strip().lower()
        if kind in ("cuda:0", "gpu"):
            kind = "cuda"
        if kind not in _KINDS:
            raise ValueError(
                f"unknown device {spec!r}; use 'cpu' or 'cuda' "
                f"(or 'auto' in HEADWATER_DEVICE / hw.set_device)"
            )
        self.type = kind

    @property
    def backend(self) -> Backend:
        """The array backend of this device (raises when CUDA is unavailable)."""
        return get_backend(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Device):
            return self.type == other.type
        if isinstance(other, str):
            try:
                return self.type == Device(other).type
            except ValueError:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        return f"device(type='{self.type}')"

    def __str__(self) -> str:
        return self.type


_backends: dict[str, Backend] = {}
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
        _backends["cuda"] = CupyBackend()
    return _backends["cuda"]


def _resolve(spec: str) -> tuple[Device, str]:
    kind = spec.strip().lower()
    if kind == "auto":
        ok, why = cuda_status()
        if ok:
            return Device("cuda"), f"auto: {why}"
        return Device("cpu"), f"auto: no GPU ({why})"
    dev = Device(kind)
    if dev.type == "cuda":
        _cuda_backend()
    return dev, "requested"


def device(spec: str | Device | None = None) -> Device:
    """The current default device, or the :class:`Device` named by ``spec``.

    With no argument this returns the default device, chosen from
    ``HEADWATER_DEVICE`` (``auto`` | ``cpu`` | ``cuda``) on first use or by
    :func:`set_device`. With an argument it parses a device name, as ``torch.device``
    does, without changing the default.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_device("cpu")
    >>> hw.device()
    device(type='cpu')
    """
    global _default, _reason
    if spec is not None:
        if isinstance(spec, str) and spec.strip().lower() == "auto":
            return _resolve("auto")[0]
        return Device(spec)
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
    name = spec.type if isinstance(spec, Device) else str(spec)
    _default, why = _resolve(name)
    _reason = f"hw.set_device({name!r}) ({why})"


def device_choice_reason() -> str:
    """Why the default device is what it is (for ``headwater info``)."""
    device()
    return _reason


def get_backend(spec: str | Device | None = None) -> Backend:
    """The backend for ``spec``, or for the default device when ``spec`` is None.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_backend("cpu").name
    'cpu'
    """
    dev = device() if spec is None else device(spec)
    if dev.type == "cuda":
        return _cuda_backend()
    if "cpu" not in _backends:
        _backends["cpu"] = NumpyBackend()
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


def device_of(array: Any) -> Device:
    """The device that holds ``array``."""
    return Device(backend_of(array).name)
