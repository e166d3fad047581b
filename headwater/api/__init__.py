"""``hw.api``: pandas' ``pandas.api`` names (``hw.api.types``)."""

from headwater.api import types

__all__ = ["types"]
