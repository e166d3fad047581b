"""Joins: key ids shared by both sides, matched into row pairs, gathered."""

from headwater.dataframe.join.keys import MergeKeyError
from headwater.dataframe.join.merge import HOWS, MergeError, merge

__all__ = ["HOWS", "MergeError", "MergeKeyError", "merge"]
