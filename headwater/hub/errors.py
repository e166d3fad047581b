"""The hub's exceptions: what went wrong, with the file, the name or the URL involved."""

from __future__ import annotations

__all__ = ["HubError", "IntegrityError", "UnknownEntryError", "DownloadError"]


class HubError(RuntimeError):
    """A hub artifact or entry cannot be used (a missing file, a format it does not know)."""


class IntegrityError(HubError):
    """A file's sha256 differs from the one recorded for it: corrupted or tampered, not loaded."""


class UnknownEntryError(HubError):
    """A name that is neither a registered entry nor an existing path."""


class DownloadError(ConnectionError):
    """A URL could not be fetched and nothing usable is in the cache."""
