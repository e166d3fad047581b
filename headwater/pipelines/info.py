"""What ``headwater info`` reports: versions, the chosen device and why, the GPU."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from headwater.tensor.backend.cuda import cuda_status
from headwater.tensor.devices import device, device_choice_reason, get_backend

__all__ = ["collect_info", "headwater_version"]

_PACKAGES = ("numpy", "pyarrow", "pandas", "cupy-cuda12x", "cupy-cuda13x", "cupy", "pydantic", "torch")


def headwater_version() -> str:
    """The installed version of headwater (``0.0.0+unknown`` in a never-installed tree).

    Examples
    --------
    >>> from headwater.pipelines.info import headwater_version
    >>> isinstance(headwater_version(), str)
    True
    """
    return _package_version("headwater") or "0.0.0+unknown"


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def collect_info() -> dict[str, Any]:
    """Versions, the default device and the reason it was chosen, and the GPU if any.

    Examples
    --------
    >>> from headwater.pipelines.info import collect_info
    >>> sorted(collect_info())[:3]
    ['cuda', 'device', 'device_reason']
    """
    info: dict[str, Any] = {
        "headwater": headwater_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        info["device"] = str(device())
        info["device_reason"] = device_choice_reason()
    except Exception as exc:  # info must still print when the requested device is absent
        info["device"] = "unavailable"
        info["device_reason"] = str(exc)
    info["packages"] = {
        name: v for name in _PACKAGES if (v := _package_version(name)) is not None
    }
    ok, why = cuda_status()
    info["cuda"] = {"available": ok, "status": why}
    if ok:
        try:
            info["cuda"].update(get_backend("cuda").device_properties())  # type: ignore[attr-defined]
        except Exception as exc:
            info["cuda"]["error"] = str(exc)
    return info
