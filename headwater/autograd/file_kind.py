"""What a weights file is, told by its content and never by its name.

``hw.load`` reads two formats: its own ZIP of ``.npy`` files (``hw.save``) and
safetensors. A pickle-based file, such as PyTorch's ``torch.save`` output (a ZIP
holding ``data.pkl``, or a bare pickle stream in the legacy format), is recognised
and refused: unpickling can run any code the file's author chose. The suffix decides
nothing, since ``hw.save`` may be given a ``.pt`` name and a pickle may be called
``.safetensors``.
"""

from __future__ import annotations

import os
import zipfile
from typing import IO, Any

from headwater.autograd.serialization import SerializationError

__all__ = ["PickleFileError", "file_kind", "CONVERT_HINT"]

CONVERT_HINT = (
    "convert it once, where PyTorch is installed and the file is trusted: "
    "`import torch; from safetensors.torch import save_file; "
    "save_file(torch.load(PATH, weights_only=True), 'model.safetensors')` "
    "(for a checkpoint dict, save its state_dict entry), then hw.load('model.safetensors')"
)


class PickleFileError(SerializationError):
    """A file is pickle-based (``torch.save``, ``pickle.dump``); Headwater never unpickles."""


def _pickle_error(path: str, what: str) -> PickleFileError:
    return PickleFileError(
        f"load: {path} is not a Headwater checkpoint: it is {what}. Headwater never unpickles, because "
        f"loading a pickle can run arbitrary code; {CONVERT_HINT.replace('PATH', repr(path))}"
    )


def file_kind(path: str | os.PathLike | IO[bytes]) -> str:
    """``"headwater"`` (an ``hw.save`` ZIP) or ``"safetensors"``, from the file's first bytes.

    ``path`` may also be a seekable binary file object (``io.BytesIO``, an open file), as
    ``torch.load`` accepts; it is read from its current position and left there.

    Raises
    ------
    PickleFileError
        The file is a pickle, or a ZIP holding one (PyTorch's format).
    SerializationError
        The file is neither format.

    Examples
    --------
    >>> import io, os, tempfile
    >>> import headwater as hw
    >>> from headwater.autograd.file_kind import file_kind
    >>> folder = tempfile.mkdtemp()
    >>> hw.save({"w": hw.ones(1)}, os.path.join(folder, "a.pt"))
    >>> hw.save({"w": hw.ones(1)}, os.path.join(folder, "b.safetensors"))
    >>> file_kind(os.path.join(folder, "a.pt")), file_kind(os.path.join(folder, "b.safetensors"))
    ('headwater', 'safetensors')
    >>> buf = io.BytesIO()
    >>> hw.save({"w": hw.ones(1)}, buf)
    >>> _ = buf.seek(0)
    >>> file_kind(buf)
    'headwater'
    """
    if hasattr(path, "read"):
        start = path.tell()
        try:
            head = path.read(9)
            size = path.seek(0, os.SEEK_END) - start
            path.seek(start)
            return _kind(head, size, path, getattr(path, "name", None) or "the file object")
        finally:
            path.seek(start)
    path = os.fspath(path)
    with open(path, "rb") as fh:
        head = fh.read(9)
        size = os.fstat(fh.fileno()).st_size
    return _kind(head, size, path, path)


def _kind(head: bytes, size: int, source: Any, path: str) -> str:
    """The format from the first bytes ``head`` of ``source`` (a path or file object) named ``path``."""
    if head[:4] == b"PK\x03\x04" or zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            raise SerializationError(f"load: {path} is not a Headwater checkpoint (a damaged ZIP archive)") from None
        if "headwater.json" in names:
            return "headwater"
        if any(n == "data.pkl" or n.endswith("/data.pkl") or n.endswith(".pkl") for n in names):
            raise _pickle_error(path, "a PyTorch torch.save archive (a ZIP holding data.pkl)")
        raise SerializationError(f"load: {path} is a ZIP archive with no headwater.json; it was not written by hw.save")
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        raise _pickle_error(path, f"a pickle stream (protocol {head[1]}, e.g. torch.save's legacy format "
                                  f"or pickle.dump)")
    if len(head) == 9 and head[8:9] == b"{" and 8 + int.from_bytes(head[:8], "little") <= size:
        return "safetensors"
    raise SerializationError(
        f"load: {path} is not a Headwater checkpoint: neither an hw.save ZIP nor a safetensors file "
        f"(first bytes {head[:8]!r})"
    )

