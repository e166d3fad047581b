"""TensorBoard event files, written without TensorFlow.

An event file is a sequence of TFRecords: an 8-byte little-endian length, the masked
CRC-32C of those 8 bytes, the payload, and the masked CRC-32C of the payload. Each
payload is a serialized ``tensorflow.Event`` protobuf; scalars use its
``Summary.Value.simple_value``, which TensorBoard's scalar dashboard reads. The few
protobuf fields needed are encoded by hand below, and :func:`read_events` decodes
them back (the tests use it to check the files). The pipeline runner and
``hw.utils.tensorboard.SummaryWriter`` both write through :class:`EventWriter`.
"""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path
from typing import Any

__all__ = ["EventWriter", "read_events", "crc32c", "masked_crc32c"]


def _make_table() -> list[int]:
    poly = 0x82F63B78  # CRC-32C (Castagnoli), reflected
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _make_table()


def crc32c(data: bytes) -> int:
    """CRC-32C of ``data``.

    Examples
    --------
    >>> from headwater.utils.event_file import crc32c
    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    """
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """The masked CRC that TFRecord framing stores (rotate by 15, add a constant)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(value: int) -> bytes:
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _field_bytes(number: int, payload: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def _encode_event(wall_time: float, step: int, *, file_version: str | None = None,
                  scalars: dict[str, float] | None = None) -> bytes:
    out = bytearray(_varint((1 << 3) | 1) + struct.pack("<d", wall_time))  # wall_time: double
    out += _varint((2 << 3) | 0) + _varint(step)  # step: int64
    if file_version is not None:
        out += _field_bytes(3, file_version.encode())
    if scalars:
        summary = bytearray()
        for tag, value in scalars.items():
            v = _field_bytes(1, tag.encode()) + _varint((2 << 3) | 5) + struct.pack("<f", float(value))
            summary += _field_bytes(1, v)
        out += _field_bytes(5, bytes(summary))
    return bytes(out)


def _frame(payload: bytes) -> bytes:
    header = struct.pack("<Q", len(payload))
    return header + struct.pack("<I", masked_crc32c(header)) + payload + struct.pack("<I", masked_crc32c(payload))


class EventWriter:
    """Append scalar summaries to a TensorBoard event file in ``logdir``.

    Examples
    --------
    >>> import tempfile
    >>> from headwater.utils.event_file import EventWriter, read_events
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with EventWriter(d) as w:
    ...         w.add_scalars({"loss/train": 0.5}, step=1)
    ...     [e["scalars"] for e in read_events(w.path) if e["scalars"]]
    [{'loss/train': 0.5}]
    """

    def __init__(self, logdir: str | os.PathLike[str], filename_suffix: str = "") -> None:
        logdir = Path(logdir)
        logdir.mkdir(parents=True, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}.{os.getpid()}"
                f".headwater{filename_suffix}")
        self.path = logdir / name
        self._file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        self._file.write(_frame(_encode_event(time.time(), 0, file_version="brain.Event:2")))
        self._file.flush()

    def add_scalars(self, values: dict[str, float], step: int, wall_time: float | None = None,
                    flush: bool = True) -> None:
        """Write one event holding a scalar per tag (``"loss/train"``...) at ``step``."""
        when = time.time() if wall_time is None else float(wall_time)
        self._file.write(_frame(_encode_event(when, int(step), scalars=values)))
        if flush:
            self._file.flush()

    def flush(self) -> None:
        """Write buffered events to disk."""
        if not self._file.closed:
            self._file.flush()

    def close(self) -> None:
        """Flush and close the file."""
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf: bytes) -> list[tuple[int, int, Any]]:
    out, pos = [], 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        elif wire == 2:
            length, pos = _read_varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        out.append((number, wire, value))
    return out


def read_events(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Decode an event file, checking both CRCs of every record.

    Returns one dict per event: ``wall_time``, ``step``, ``file_version`` (or None)
    and ``scalars`` (tag -> value).

    Raises
    ------
    ValueError
        A record is truncated or a CRC does not match.
    """
    data = Path(path).read_bytes()
    events, pos = [], 0
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError(f"{path}: truncated record header at byte {pos}")
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (hcrc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if hcrc != masked_crc32c(header):
            raise ValueError(f"{path}: bad length CRC at byte {pos}")
        payload = data[pos + 12:pos + 12 + length]
        (pcrc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if len(payload) != length or pcrc != masked_crc32c(payload):
            raise ValueError(f"{path}: bad payload CRC at byte {pos}")
        pos += 16 + length
        event: dict[str, Any] = {"wall_time": None, "step": 0, "file_version": None, "scalars": {}}
        for number, _, value in _fields(payload):
            if number == 1:
                event["wall_time"] = struct.unpack("<d", value)[0]
            elif number == 2:
                event["step"] = value
            elif number == 3:
                event["file_version"] = value.decode()
            elif number == 5:
                for vnum, _, vbuf in _fields(value):
                    if vnum != 1:
                        continue
                    parts = {n: v for n, _, v in _fields(vbuf)}
                    event["scalars"][parts[1].decode()] = struct.unpack("<f", parts[2])[0]
        events.append(event)
    return events
