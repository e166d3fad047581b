"""Partitions on the wire: Headwater frames and Series as Arrow IPC streams.

Partitions move between processes (the ``processes`` scheduler, dask.distributed
workers) as Arrow IPC bytes, never as pickled column objects: the receiving process
rebuilds the partition on its own device (a GPU worker decodes straight onto its GPU).
Two hooks carry this: a ``copyreg`` reducer, which every pickler (pickle, cloudpickle,
the ``processes`` scheduler) consults, and a dask.distributed ``dask`` serializer,
which hands the IPC buffer to the comm layer as one frame without a pickle around it.
Keys of a keyed frame and a Series' name ride in the schema metadata.
"""

from __future__ import annotations

import copyreg
import json
from typing import Any

import pyarrow as pa

from headwater.dataframe import frame as frame_module
from headwater.dataframe import interop
from headwater.dataframe import series as series_module

__all__ = ["to_ipc", "from_ipc", "register"]

_META = b"headwater.dask"


def to_ipc(obj: Any) -> pa.Buffer:
    """``obj`` (a Headwater DataFrame or Series) as one Arrow IPC stream buffer.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dask.ipc import from_ipc, to_ipc
    >>> from_ipc(to_ipc(hw.DataFrame({"a": [1, None], "s": ["x", "y"]}))).to_dict()
    {'a': [1.0, None], 's': ['x', 'y']}
    """
    info: dict[str, Any] = {"kind": "frame", "keys": []}
    if isinstance(obj, series_module.Series):
        info = {"kind": "series", "name": obj.name, "keys": []}
        frame = obj.to_frame(name="__series__")
    else:
        frame = obj
    if frame._keys:
        info["keys"] = list(frame._keys)
        frame = frame.reset_index()
    table = frame.to_arrow()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META: json.dumps(info).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def from_ipc(buffer: Any) -> Any:
    """The DataFrame or Series that ``to_ipc`` wrote, on the current device."""
    table = pa.ipc.open_stream(buffer if isinstance(buffer, pa.Buffer) else pa.py_buffer(buffer)).read_all()
    info = json.loads((table.schema.metadata or {}).get(_META, b'{"kind": "frame", "keys": []}'))
    table = table.replace_schema_metadata(None)
    frame = interop.from_arrow(table)
    if info["keys"]:
        frame = frame.set_index(info["keys"])
    if info["kind"] == "series":
        out = frame["__series__"]
        out.name = info["name"]
        return out
    return frame


def _reduce(obj: Any) -> tuple[Any, tuple[bytes]]:
    return from_ipc, (to_ipc(obj).to_pybytes(),)


_registered = False


def register() -> None:
    """Install the copyreg reducers and, when installed, the dask.distributed serializer.

    Idempotent; called when ``headwater.dask`` is imported (so in every worker that
    runs one of its tasks).
    """
    global _registered
    if _registered:
        return
    for cls in (frame_module.DataFrame, series_module.Series):
        copyreg.pickle(cls, _reduce)
    try:
        from distributed.protocol import dask_deserialize, dask_serialize
    except ImportError:
        _registered = True
        return

    for cls in (frame_module.DataFrame, series_module.Series):
        @dask_serialize.register(cls)
        def _serialize(obj: Any) -> tuple[dict[str, Any], list[Any]]:
            return {"format": "arrow-ipc"}, [memoryview(to_ipc(obj))]

        @dask_deserialize.register(cls)
        def _deserialize(header: dict[str, Any], frames: list[Any]) -> Any:
            return from_ipc(frames[0])
    _registered = True
