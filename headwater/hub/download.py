"""``hw.hub.load_state_dict_from_url`` and the hub's cache folder, after ``torch.hub``'s.

The cache is ``hw.hub.get_dir()``: ``$HEADWATER_HOME/hub``, else
``$XDG_CACHE_HOME/headwater/hub``, else ``~/.cache/headwater/hub`` (``set_dir``
overrides it); weights go to its ``checkpoints/`` folder. A download is written to a
temporary file next to its target and renamed only when complete and, with
``check_hash``, when its sha256 starts with the hex digits in the file name
(torch's ``name-<sha256 prefix>.ext`` convention). ``file://`` URLs work the same way.
The file is then read with ``hw.load``, which never unpickles.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from headwater.hub.errors import DownloadError, IntegrityError

__all__ = ["get_dir", "set_dir", "download_url_to_file", "load_state_dict_from_url", "HASH_REGEX"]

HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")  # torch.hub's: the hex digits after the last '-' before a '.'
_hub_dir: str | None = None
_BLOCK = 1 << 16


def get_dir() -> str:
    """The hub's cache folder (see the module docstring for the order of lookups).

    Examples
    --------
    >>> import os
    >>> import headwater as hw
    >>> os.environ["HEADWATER_HOME"] = "/tmp/hw-home-demo"
    >>> hw.hub.get_dir()
    '/tmp/hw-home-demo/hub'
    >>> del os.environ["HEADWATER_HOME"]
    """
    if _hub_dir is not None:
        return _hub_dir
    home = os.getenv("HEADWATER_HOME")
    if home is None:
        home = os.path.join(os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache")), "headwater")
    return os.path.join(os.path.expanduser(home), "hub")


def set_dir(d: str | os.PathLike | None) -> None:
    """Use ``d`` as the hub's cache folder from now on (None goes back to the default).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.hub.set_dir("/tmp/hw-hub-demo"); hw.hub.get_dir()
    '/tmp/hw-hub-demo'
    >>> hw.hub.set_dir(None)
    """
    global _hub_dir
    _hub_dir = None if d is None else os.path.expanduser(os.fspath(d))


class _Bar:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, enabled: bool, total: int | None, name: str) -> None:
        self.progress = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TransferSpeedColumn,
            )

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                     TransferSpeedColumn(), console=Console(file=sys.stderr), transient=True)
            self.task = self.progress.add_task(f"downloading {name}", total=total)

    def __enter__(self) -> _Bar:
        if self.progress is not None:
            self.progress.start()
        return self

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()


def download_url_to_file(url: str, dst: str | os.PathLike, hash_prefix: str | None = None,
                         progress: bool = True) -> None:
    """Download ``url`` to ``dst`` through a temporary file that is renamed only when complete.

    Parameters
    ----------
    hash_prefix : str, optional
        The download is refused unless its sha256 hex digest starts with this.
    progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    DownloadError
        (a ConnectionError) The URL cannot be reached, or the transfer stopped early;
        ``dst`` is not written and no partial file is left.
    IntegrityError
        The sha256 does not start with ``hash_prefix``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import headwater as hw
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "src.txt").write_text("hello")
    >>> hw.hub.download_url_to_file((folder / "src.txt").as_uri(), folder / "copy.txt", progress=False)
    >>> (folder / "copy.txt").read_text()
    'hello'
    """
    import urllib.error
    import urllib.request

    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "headwater"}), timeout=60)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"could not download {url} ({reason}); nothing is cached at {dst}: connect to the network, "
                            f"or put the file there yourself (model_dir= chooses the folder)") from None
    tmp = dst.parent / f".{dst.name}.{uuid.uuid4().hex}.partial"
    digest = hashlib.sha256()
    got = 0
    try:
        with response:
            header = response.headers.get("Content-Length")
            total = int(header) if header and header.isdigit() else None
            with open(tmp, "wb") as fh, _Bar(progress, total, dst.name) as bar:
                while True:
                    try:
                        block = response.read(_BLOCK)
                    except (OSError, ValueError) as exc:  # http.client.IncompleteRead is an HTTPException
                        raise DownloadError(f"the download of {url} broke off after {got} bytes ({exc}); "
                                            f"nothing was cached at {dst}") from None
                    except Exception as exc:
                        raise DownloadError(f"the download of {url} broke off after {got} bytes "
                                            f"({type(exc).__name__}: {exc}); nothing was cached at {dst}") from None
                    if not block:
                        break
                    fh.write(block)
                    digest.update(block)
                    got += len(block)
                    bar.advance(len(block))
                fh.flush()
                os.fsync(fh.fileno())
        if total is not None and got != total:
            raise DownloadError(f"the download of {url} broke off after {got} of {total} bytes; nothing was cached "
                                f"at {dst}")
        if hash_prefix is not None and not digest.hexdigest().startswith(hash_prefix):
            raise IntegrityError(f'invalid hash value (expected "{hash_prefix}", got "{digest.hexdigest()}") for '
                                 f"{url}; the file was discarded and {dst} not written")
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()


def _hash_prefix(filename: str) -> str:
    match = HASH_REGEX.search(filename)
    if match is None or not match.group(1):
        raise ValueError(f"check_hash=True needs a file name of the form name-<sha256 prefix>.ext (torch's "
                         f"convention), got {filename!r}; rename the file, pass file_name=, or check_hash=False")
    return match.group(1)


def load_state_dict_from_url(url: str, model_dir: str | os.PathLike | None = None, map_location: Any = None,
                             progress: bool = True, check_hash: bool = False, file_name: str | None = None,
                             weights_only: bool = False) -> dict[str, Any]:
    """The state dict at ``url``, downloaded once into the cache, as ``torch.hub``'s function.

    Parameters
    ----------
    url : str
        ``http(s)://`` or ``file://``. The file is safetensors or ``hw.save`` format
        (told by content); a pickle-based file (``torch.save``) is refused with how
        to convert it.
    model_dir : path, optional
        The cache folder (default ``get_dir()/checkpoints``).
    map_location, weights_only
        As ``hw.load`` (and ``torch.load``) take them.
    progress : bool
        A progress bar on stderr while downloading.
    check_hash : bool
        The file name must be ``name-<hex>.ext``; the download (and, unlike torch,
        a cached copy too) is refused unless its sha256 starts with ``<hex>``.
    file_name : str, optional
        The cached file's name (default: the last part of the URL's path).

    Raises
    ------
    DownloadError
        The URL cannot be fetched and the file is not cached; the message names both.
    IntegrityError
        The sha256 does not match the name's prefix (the file is named and not used).
    PickleFileError
        The file is pickle-based.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import headwater as hw
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> hw.save(hw.nn.Linear(2, 1).state_dict(), folder / "linear.safetensors")
    >>> state = hw.hub.load_state_dict_from_url((folder / "linear.safetensors").as_uri(),
    ...                                         model_dir=folder / "cache", progress=False)
    >>> sorted(state)
    ['bias', 'weight']
    """
    from headwater.autograd.serialization import load
    from headwater.hub.artifact import sha256_file

    directory = Path(model_dir) if model_dir is not None else Path(get_dir()) / "checkpoints"
    filename = file_name or os.path.basename(urlparse(url).path)
    if not filename:
        raise ValueError(f"cannot name the cached file from {url!r}; pass file_name=")
    prefix = _hash_prefix(filename) if check_hash else None
    cached = directory / filename
    if not cached.exists():
        download_url_to_file(url, cached, prefix, progress)
    elif prefix is not None:
        actual = sha256_file(cached)
        if not actual.startswith(prefix):
            raise IntegrityError(f"{cached}: sha256 {actual} does not start with {prefix} from its name; the cached "
                                 f"file is corrupted or was replaced, refusing to load it (delete it to download again)")
    return load(cached, map_location=map_location, weights_only=weights_only)
