"""``hw.save`` / ``hw.load``: nested dicts of tensors and plain values, on disk.

The file is a ZIP archive holding ``headwater.json`` (the structure, with tensors
replaced by references) and one ``.npy`` file per tensor, written with
``allow_pickle=False``. Loading never unpickles, so a checkpoint cannot run code.
Writes are atomic: a temporary file in the same folder is renamed over the target.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

import numpy as np

from headwater.tensor.devices import Device, get_backend
from headwater.tensor.devices import device as default_device
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["save", "load", "SerializationError", "atomic_open"]

_FORMAT = "headwater.save"
_VERSION = 1
_META = "headwater.json"


class SerializationError(ValueError):
    """A value cannot be saved, or a file is not a Headwater checkpoint."""


def _encode(obj: Any, arrays: dict[str, np.ndarray], path: str) -> Any:
    if isinstance(obj, Tensor):
        name = f"t{len(arrays)}"
        arrays[name] = to_host(obj.array)
        return {"__tensor__": name, "requires_grad": obj.requires_grad,
                "parameter": type(obj).__name__ == "Parameter"}
    if isinstance(obj, np.ndarray):
        name = f"t{len(arrays)}"
        arrays[name] = obj
        return {"__ndarray__": name}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise SerializationError(
                    f"save: dict key {key!r} at {path} is a {type(key).__name__}; keys must be "
                    f"str, int, float, bool or None"
                )
            items.append([key, _encode(value, arrays, f"{path}[{key!r}]")])
        return {"__dict__": items}
    if isinstance(obj, tuple):
        return {"__tuple__": [_encode(v, arrays, f"{path}[{i}]") for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [_encode(v, arrays, f"{path}[{i}]") for i, v in enumerate(obj)]
    raise SerializationError(
        f"save: cannot store a {type(obj).__name__} at {path}; use tensors, arrays, dicts, "
        f"lists, tuples, numbers, strings and None (save a model's state_dict(), not the model)"
    )


def _decode(obj: Any, arrays: dict[str, np.ndarray], dev: Device) -> Any:
    if isinstance(obj, list):
        return [_decode(v, arrays, dev) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__tensor__" in obj:
        data = get_backend(dev).to_device(arrays[obj["__tensor__"]])
        if obj.get("parameter"):
            from headwater.autograd.nn.parameter import Parameter

            return Parameter(data, requires_grad=obj["requires_grad"])
        return Tensor(data, requires_grad=obj["requires_grad"])
    if "__ndarray__" in obj:
        return arrays[obj["__ndarray__"]]
    if "__tuple__" in obj:
        return tuple(_decode(v, arrays, dev) for v in obj["__tuple__"])
    if "__dict__" in obj:
        return {key: _decode(value, arrays, dev) for key, value in obj["__dict__"]}
    raise SerializationError(f"load: unexpected entry {obj!r:.80} in the checkpoint structure")



def _umask() -> int:
    """The process's umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it and put it back
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` whole.

    The data is flushed and ``fsync``-ed before the rename, so ``path`` always holds
    either the old file or the complete new one, never a torn write. The file gets
    the permissions an ordinary ``open`` would give it (``0o666`` less the umask),
    not the ``0o600`` of a temporary file. On an exception the temporary file is
    removed and ``path`` is untouched.

    Parameters
    ----------
    path : str or PathLike
        The final file. Its folder must exist.
    mode : {"wb", "w"}
        Binary or text.
    encoding : str, optional
        Text mode only (default utf-8).

    Examples
    --------
    >>> import os, tempfile
    >>> from headwater.autograd.serialization import atomic_open
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with atomic_open(path, "w") as fh:
    ...     _ = fh.write("complete or absent")
    >>> open(path).read()
    'complete or absent'
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes whole files: mode must be 'wb' or 'w', got {mode!r}")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        text = mode == "w"
        with os.fdopen(fd, mode, encoding=(encoding or "utf-8") if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable; some filesystems cannot open a folder
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def save(obj: Any, path: str | os.PathLike | IO[bytes]) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of tensors and plain values) to
    ``path`` atomically, or to a writable binary file object (``io.BytesIO``, an open
    file), as ``torch.save`` accepts.

    Tensors are copied to the host (counted transfers) and stored as ``.npy``. A
    ``path`` ending in ``.safetensors`` is written in that format instead (a flat
    dict of name -> tensor, such as a ``state_dict()``; see
    :mod:`headwater.autograd.safetensors_format`), which PyTorch and the
    ``safetensors`` package read.

    Raises
    ------
    SerializationError
        ``obj`` holds something other than tensors, arrays and plain values.

    Examples
    --------
    >>> import os, tempfile
    >>> import headwater as hw
    >>> model = hw.nn.Linear(2, 1)
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.hw")
    >>> hw.save({"model": model.state_dict(), "epoch": 3}, path)
    >>> ckpt = hw.load(path)
    >>> ckpt["epoch"], ckpt["model"]["weight"].shape
    (3, (1, 2))
    """
    if hasattr(path, "write"):  # a file object has no name to choose safetensors by: hw.save's ZIP
        _write_zip(obj, path)
        return
    if os.fspath(path).lower().endswith(".safetensors"):
        from headwater.autograd.safetensors_format import save_file

        save_file(obj, path)
        return
    with atomic_open(path) as raw:
        _write_zip(obj, raw)


def _write_zip(obj: Any, raw: IO[bytes]) -> None:
    """``obj`` as hw.save's ZIP of ``.npy`` files, written to the binary file ``raw``."""
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(obj, arrays, "obj")
    meta = {"format": _FORMAT, "version": _VERSION, "tree": tree}
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(_META, json.dumps(meta))
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(array, order="C"), allow_pickle=False)
            zf.writestr(f"{name}.npy", buf.getvalue())


def _target_device(map_location: Any, device: Any) -> tuple[Device, Any]:
    """The device tensors are read onto, and a callable to apply to each (torch's forms)."""
    if device is not None and map_location is not None:
        raise ValueError("load: pass map_location= or device=, not both (they mean the same here)")
    spec = device if map_location is None else map_location
    if spec is None:
        return default_device(), None
    if callable(spec) and not isinstance(spec, (str, Device)):
        return Device("cpu"), spec
    if isinstance(spec, dict):
        # files hold host bytes, so every tensor's saved location is "cpu", as in a CPU-saved torch file
        spec = spec.get("cpu", spec.get("cpu:0"))
        return (default_device() if spec is None else Device(str(spec))), None
    return Device(str(spec)), None


def _apply(fn: Any, obj: Any) -> Any:
    """``obj`` with ``fn(tensor, "cpu")`` applied to each tensor (a None result keeps the tensor)."""
    if isinstance(obj, Tensor):
        out = fn(obj, "cpu")
        return obj if out is None else out
    if isinstance(obj, dict):
        return {k: _apply(fn, v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_apply(fn, v) for v in obj)
    return obj


def load(path: str | os.PathLike | IO[bytes], map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, device: Any = None) -> Any:
    """Read what :func:`save` wrote, or a safetensors file, putting tensors on the
    device ``map_location`` names (default: ``hw.device()``). Never unpickles.

    ``path`` may be a readable, seekable binary file object (``io.BytesIO``, an open
    file), as ``torch.load`` accepts. The format is told by the file's content, never
    its name. A pickle-based file
    (``torch.save`` output: a ZIP holding ``data.pkl``, or a pickle stream) is refused
    with the steps to convert it to safetensors.

    Parameters
    ----------
    map_location : str, hw.device, dict or callable, optional
        As in ``torch.load``: a device; a dict mapping saved locations to devices
        (every tensor here was saved from host memory, so the ``"cpu"`` entry is
        used); or ``fn(tensor, "cpu")`` returning the tensor to use (or None to keep it).
    pickle_module
        Refused when given: Headwater never unpickles.
    weights_only : bool, optional
        Accepted as ``torch.load`` takes it. Both formats hold only tensors and plain
        values, so ``True`` and ``False`` load the same; ``False`` does not enable pickles.
    device : str or hw.device, optional
        Headwater's older name for a device ``map_location``.

    Raises
    ------
    PickleFileError
        (a SerializationError) The file is pickle-based.
    SerializationError
        The file is not a Headwater checkpoint or safetensors file (or is a newer format version).

    Examples
    --------
    >>> import os, tempfile
    >>> import headwater as hw
    >>> path = os.path.join(tempfile.mkdtemp(), "t.hw")
    >>> hw.save({"x": hw.arange(3), "meta": ("a", 1)}, path)
    >>> out = hw.load(path, map_location="cpu", weights_only=True)
    >>> out["x"].tolist(), out["meta"]
    ([0, 1, 2], ('a', 1))
    """
    from headwater.autograd.file_kind import file_kind

    if pickle_module is not None:
        raise TypeError("load: pickle_module= is not supported; Headwater never unpickles (use safetensors)")
    if weights_only not in (None, True, False):
        raise TypeError(f"load: weights_only must be True, False or None, got {weights_only!r}")
    dev, fn = _target_device(map_location, device)
    if not hasattr(path, "read"):
        path = os.fspath(path)
    kind = file_kind(path)
    if kind == "safetensors" and hasattr(path, "read"):
        from headwater.autograd.safetensors_format import load as load_bytes

        out: Any = load_bytes(path.read(), dev, where=getattr(path, "name", None) or "the file object")
    elif kind == "safetensors":
        from headwater.autograd.safetensors_format import load_file

        out = load_file(path, dev)
    else:
        out = _load_zip(path, dev)
    return out if fn is None else _apply(fn, out)


def _load_zip(source: str | IO[bytes], dev: Device) -> Any:
    path = source if isinstance(source, str) else getattr(source, "name", None) or "the file object"
    with zipfile.ZipFile(source, "r") as zf:
        if _META not in zf.namelist():
            raise SerializationError(f"load: {path} has no {_META}; it was not written by hw.save")
        meta = json.loads(zf.read(_META))
        if meta.get("format") != _FORMAT:
            raise SerializationError(f"load: {path} has format {meta.get('format')!r}, expected {_FORMAT!r}")
        if meta.get("version", 0) > _VERSION:
            raise SerializationError(
                f"load: {path} is format version {meta['version']}, this Headwater reads up to "
                f"{_VERSION}; upgrade Headwater"
            )
        arrays = {}
        for name in zf.namelist():
            if name.endswith(".npy"):
                with zf.open(name) as f:
                    arrays[name[:-4]] = np.lib.format.read_array(io.BytesIO(f.read()), allow_pickle=False)
    return _decode(meta["tree"], arrays, dev)
