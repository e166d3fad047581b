"""The safetensors file format, read and written here without the ``safetensors`` package.

A file is an 8-byte little-endian header length ``N``, then ``N`` bytes of UTF-8 JSON,
then the tensor bytes. The header maps each tensor name to ``{"dtype": "F32",
"shape": [...], "data_offsets": [begin, end]}`` (offsets into the bytes after the
header) and may hold ``"__metadata__"``, a string-to-string map. Data is raw
little-endian and C-ordered, with no gaps or overlaps. Nothing in the format can run
code, which is why the hub uses it for weights and why PyTorch state dicts come in
through it (``safetensors.torch.save_file(model.state_dict(), path)``).

Headwater tensors hold bool, uint8, int8..int64 and float16..float64. A ``BF16``
tensor is read as float32, which is exact (bfloat16 is the upper half of a float32);
other dtypes (``U16``..``U64``, ``F8_*``, complex) are refused by name.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from headwater.autograd.serialization import SerializationError, atomic_open
from headwater.tensor.devices import Device, get_backend
from headwater.tensor.devices import device as default_device
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["save", "save_file", "load", "load_file", "read_metadata", "DTYPES"]

# safetensors dtype name -> little-endian NumPy dtype, for every dtype Headwater tensors hold
DTYPES: dict[str, np.dtype] = {
    "BOOL": np.dtype("bool"), "U8": np.dtype("uint8"), "I8": np.dtype("int8"),
    "I16": np.dtype("<i2"), "I32": np.dtype("<i4"), "I64": np.dtype("<i8"),
    "F16": np.dtype("<f2"), "F32": np.dtype("<f4"), "F64": np.dtype("<f8"),
}
_NAMES = {dt.newbyteorder("="): name for name, dt in DTYPES.items()}
_ITEMSIZE = {"U16": 2, "U32": 4, "U64": 8, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1, "C64": 8, "C128": 16,
             **{name: dt.itemsize for name, dt in DTYPES.items()}}
_MAX_HEADER = 100_000_000  # the reference implementation's limit: refuse absurd headers early


def _host_array(key: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        array = to_host(value.array)
    elif isinstance(value, np.ndarray):
        array = value
    else:
        raise SerializationError(
            f"safetensors: {key!r} holds a {type(value).__name__}; the format stores only tensors "
            f"(put other values in metadata=, a dict of strings, or use hw.save with another suffix)"
        )
    if array.dtype.newbyteorder("=") not in _NAMES:
        raise SerializationError(f"safetensors: {key!r} has dtype {array.dtype}, which Headwater does not store; "
                                 f"convert it to one of {', '.join(str(d) for d in _NAMES)}")
    array = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return array if array.flags.c_contiguous else np.array(array, order="C")  # ascontiguousarray makes 0-d 1-d


def save(tensors: dict[str, Any], metadata: dict[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name -> Tensor or ndarray).

    Tensors are laid out largest item size first, then by name (the order the
    reference writer uses, which keeps every tensor aligned), and the header is padded
    with spaces to a multiple of 8 bytes.

    Parameters
    ----------
    tensors : dict
        str -> Tensor or ``numpy.ndarray``; a model's ``state_dict()``.
    metadata : dict of str to str, optional
        Stored as the header's ``__metadata__``.

    Raises
    ------
    SerializationError
        A key is not a string, a value is not a tensor, or a dtype has no safetensors name.
    TypeError
        ``metadata`` is not a dict of strings.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd import safetensors_format as st
    >>> data = st.save({"w": hw.ones(2, 3)}, metadata={"note": "demo"})
    >>> out = st.load(data)
    >>> out["w"].shape, st.read_metadata(data)
    ((2, 3), {'note': 'demo'})
    """
    if not isinstance(tensors, dict):
        raise SerializationError(
            f"safetensors stores a flat dict of name -> tensor, got a {type(tensors).__name__}; "
            f"save model.state_dict(), or use hw.save with a .hwt name for nested checkpoints"
        )
    if metadata is not None and not (isinstance(metadata, dict)
                                     and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError("safetensors metadata must be a dict of str -> str (json.dumps other values first)")
    for key in tensors:
        if not isinstance(key, str) or key == "__metadata__":
            raise SerializationError(f"safetensors: key {key!r} is not allowed; keys are strings other than '__metadata__'")
    arrays = {key: _host_array(key, value) for key, value in tensors.items()}
    order = sorted(arrays, key=lambda k: (-arrays[k].dtype.itemsize, k))
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = dict(metadata)
    offset = 0
    for key in order:
        array = arrays[key]
        header[key] = {"dtype": _NAMES[array.dtype.newbyteorder("=")], "shape": list(array.shape),
                       "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    return b"".join([len(text).to_bytes(8, "little"), text, *(arrays[k].tobytes() for k in order)])


def save_file(tensors: dict[str, Any], filename: str | os.PathLike, metadata: dict[str, str] | None = None) -> None:
    """Write ``tensors`` to ``filename`` as safetensors, atomically (as ``safetensors``' ``save_file``).

    ``hw.save(state, "x.safetensors")`` calls this.

    Examples
    --------
    >>> import os, tempfile
    >>> import headwater as hw
    >>> from headwater.autograd import safetensors_format as st
    >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
    >>> st.save_file(hw.nn.Linear(2, 1).state_dict(), path)
    >>> sorted(st.load_file(path))
    ['bias', 'weight']
    """
    data = save(tensors, metadata)
    with atomic_open(filename) as fh:
        fh.write(data)


def _header(data: bytes | memoryview, where: str) -> tuple[dict[str, Any], int]:
    """The parsed header and the offset where tensor bytes start; checks the whole layout."""
    if len(data) < 8:
        raise SerializationError(f"{where}: too short to be a safetensors file ({len(data)} bytes)")
    n = int.from_bytes(bytes(data[:8]), "little")
    if n > _MAX_HEADER or 8 + n > len(data):
        raise SerializationError(f"{where}: the safetensors header claims {n} bytes but the file has "
                                 f"{len(data) - 8} after the length; the file is truncated or not safetensors")
    try:
        header = json.loads(bytes(data[8:8 + n]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SerializationError(f"{where}: the safetensors header is not valid JSON ({exc})") from None
    if not isinstance(header, dict):
        raise SerializationError(f"{where}: the safetensors header is not a JSON object")
    meta = header.get("__metadata__")
    if meta is not None and not (isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())):
        raise SerializationError(f"{where}: __metadata__ must map strings to strings")
    start, size = 8 + n, len(data) - 8 - n
    spans = []
    for key, info in header.items():
        if key == "__metadata__":
            continue
        dtype, shape, offsets = (info.get(k) if isinstance(info, dict) else None
                                 for k in ("dtype", "shape", "data_offsets"))
        if dtype not in _ITEMSIZE or not isinstance(shape, list) or not isinstance(offsets, list) or len(offsets) != 2 \
                or not all(isinstance(d, int) and d >= 0 for d in [*shape, *offsets]):
            raise SerializationError(f"{where}: tensor {key!r} has a malformed header entry {info!r:.200}")
        begin, end = offsets
        if end - begin != int(np.prod(shape, dtype=np.int64)) * _ITEMSIZE[dtype] or end > size:
            raise SerializationError(f"{where}: tensor {key!r} ({dtype} {shape}) has data_offsets {offsets} that do "
                                     f"not match its size or lie past the end of the data ({size} bytes)")
        spans.append((begin, end, key))
    position = 0
    for begin, end, key in sorted(spans):
        if begin != position:
            raise SerializationError(f"{where}: tensor {key!r} starts at byte {begin}, expected {position}; "
                                     f"the data has gaps or overlapping tensors")
        position = end
    if position != size:
        raise SerializationError(f"{where}: the tensors cover {position} of {size} data bytes; the file is corrupt")
    return header, start


def _array(key: str, info: dict[str, Any], data: bytes | memoryview, start: int, where: str) -> np.ndarray:
    begin, end = info["data_offsets"]
    raw = np.frombuffer(data, dtype=np.uint8, count=end - begin, offset=start + begin)
    dtype = info["dtype"]
    if dtype == "BF16":  # exact widening: a bfloat16 is the upper 16 bits of a float32
        bits = raw.view("<u2").astype(np.uint32) << 16
        return bits.view(np.float32).reshape(info["shape"])
    if dtype not in DTYPES:
        raise SerializationError(
            f"{where}: tensor {key!r} is {dtype}, which Headwater tensors cannot hold; convert it where it was "
            f"made (for example tensor.to(torch.int64) or .float()) and save again"
        )
    return raw.view(DTYPES[dtype]).reshape(info["shape"]).astype(DTYPES[dtype].newbyteorder("="))


def load(data: bytes, device: Any = None, where: str = "safetensors") -> dict[str, Tensor]:
    """The tensors in the bytes of a safetensors file, on ``device`` (default ``hw.device()``).

    Raises
    ------
    SerializationError
        The bytes are not a well-formed safetensors file, or hold a dtype Headwater
        tensors cannot (``BF16`` is widened to float32 instead).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd import safetensors_format as st
    >>> st.load(st.save({"x": hw.arange(3)}))["x"].tolist()
    [0, 1, 2]
    """
    header, start = _header(data, where)
    backend = get_backend(default_device() if device is None else Device(device))
    return {key: Tensor(backend.to_device(_array(key, info, data, start, where)))
            for key, info in header.items() if key != "__metadata__"}


def _read(filename: str | os.PathLike) -> bytes:
    with open(filename, "rb") as fh:
        return fh.read()


def load_file(filename: str | os.PathLike, device: Any = None) -> dict[str, Tensor]:
    """The tensors of a safetensors file (as ``safetensors``' ``load_file``), on ``device``.

    ``hw.load`` calls this for any file whose content is safetensors, whatever its name.

    Examples
    --------
    >>> import os, tempfile
    >>> import headwater as hw
    >>> from headwater.autograd import safetensors_format as st
    >>> path = os.path.join(tempfile.mkdtemp(), "x.safetensors")
    >>> st.save_file({"x": hw.zeros(2, dtype=hw.int8)}, path)
    >>> st.load_file(path)["x"].dtype
    dtype('int8')
    """
    return load(_read(filename), device, where=os.fspath(filename))


def read_metadata(source: bytes | str | os.PathLike) -> dict[str, str]:
    """The ``__metadata__`` of a safetensors file or its bytes (``{}`` when it has none).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd import safetensors_format as st
    >>> st.read_metadata(st.save({"x": hw.ones(1)}))
    {}
    """
    data = source if isinstance(source, bytes) else _read(source)
    header, _ = _header(data, "safetensors" if isinstance(source, bytes) else os.fspath(source))
    return dict(header.get("__metadata__") or {})
