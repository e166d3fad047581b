"""Unpacking a hub artifact archive (``.zip`` or ``.tar[.gz]``) without trusting its member names.

Only plain files are taken; a link, a device or a name that climbs out of the folder
(``../``, an absolute path) refuses the whole archive. The archive is recognised by
its content. When every member sits in one top folder (``tar czf a.tgz penguins/``),
that folder is the artifact.
"""

from __future__ import annotations

import posixpath
import tarfile
import zipfile
from pathlib import Path

from headwater.hub.errors import HubError

__all__ = ["is_archive", "extract"]


def is_archive(path: Path) -> bool:
    """True for a ZIP or tar file (told by content).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from headwater.hub.archive import is_archive
    >>> p = pathlib.Path(tempfile.mkdtemp(), "x.zip"); _ = p.write_text("not a zip")
    >>> is_archive(p)
    False
    """
    return path.is_file() and (zipfile.is_zipfile(path) or tarfile.is_tarfile(path))


def _safe_name(name: str, archive: Path) -> str:
    clean = posixpath.normpath(name.replace("\\", "/"))
    if clean.startswith("/") or clean == ".." or clean.startswith("../") or ":" in clean.split("/")[0]:
        raise HubError(f"{archive}: member {name!r} points outside the archive's folder; refusing the archive")
    return clean


def _members(path: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise HubError(f"{path}: member {info.filename!r} is a symbolic link; artifacts hold plain files")
                out[_safe_name(info.filename, path)] = zf.read(info)
        return out
    with tarfile.open(path) as tf:
        for member in tf.getmembers():
            if member.isdir():
                continue
            if not member.isfile():
                raise HubError(f"{path}: member {member.name!r} is a link or special file; artifacts hold plain files")
            fh = tf.extractfile(member)
            out[_safe_name(member.name, path)] = fh.read() if fh is not None else b""
    return out


def extract(path: Path, dest: Path) -> Path:
    """Write the archive's plain files under ``dest``; returns the folder holding ``meta.json``.

    Raises
    ------
    HubError
        A member is not a plain file or escapes ``dest``, or there is no ``meta.json``.
    """
    members = _members(path)
    tops = {name.split("/")[0] for name in members}
    prefix = ""
    if "meta.json" not in members and len(tops) == 1 and f"{next(iter(tops))}/meta.json" in members:
        prefix = next(iter(tops)) + "/"
    if f"{prefix}meta.json" not in members:
        raise HubError(f"{path} holds no meta.json (at its top or in one top folder); it is not a hub artifact")
    for name, data in members.items():
        if not name.startswith(prefix):
            continue
        target = dest / name[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest
