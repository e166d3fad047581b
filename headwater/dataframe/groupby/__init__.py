"""Groupby: keys factorized into dense ids, columns reduced over the ids."""

from headwater.dataframe.groupby.aggregations import (
    UnknownAggregationError,
    UnsupportedAggregationError,
)
from headwater.dataframe.groupby.callables import NamedAgg
from headwater.dataframe.groupby.groupby import DataFrameGroupBy
from headwater.dataframe.groupby.grouper import Grouper

__all__ = ["DataFrameGroupBy", "Grouper", "NamedAgg", "UnknownAggregationError", "UnsupportedAggregationError"]
