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


def save(obj: Any, path: str | os.PathLike) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of tensors and plain values) to
    ``path`` atomically.

    Tensors are copied to the host (counted transfers) and stored as ``.npy``.

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
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(obj, arrays, "obj")
    meta = {"format": _FORMAT, "version": _VERSION, "tree": tree}
    with atomic_open(path) as raw:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(_META, json.dumps(meta))
            for name, array in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.asarray(array, order="C"), allow_pickle=False)
                zf.writestr(f"{name}.npy", buf.getvalue())


def load(path: str | os.PathLike, device: Any = None) -> Any:
    """Read what :func:`save` wrote, putting tensors on ``device`` (default:
    ``hw.device()``). Never unpickles.

    Raises
    ------
    SerializationError
        The file is not a Headwater checkpoint (or is a newer format version).

    Examples
    --------
    >>> import os, tempfile
    >>> import headwater as hw
    >>> path = os.path.join(tempfile.mkdtemp(), "t.hw")
    >>> hw.save({"x": hw.arange(3), "meta": ("a", 1)}, path)
    >>> out = hw.load(path, device="cpu")
    >>> out["x"].tolist(), out["meta"]
    ([0, 1, 2], ('a', 1))
    """
    dev = default_device() if device is None else Device(device)
    path = os.fspath(path)
    try:
        zf = zipfile.ZipFile(path, "r")
    except zipfile.BadZipFile:
        raise SerializationError(
            f"load: {path} is not a Headwater checkpoint (not a ZIP archive); files written "
            f"by hw.save can be loaded"
        ) from None
    with zf:
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
