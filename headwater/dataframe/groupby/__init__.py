"""Groupby: keys factorized into dense ids, columns reduced over the ids."""

from headwater.dataframe.groupby.aggregations import (
    UnknownAggregationError,
    UnsupportedAggregationError,
)
from headwater.dataframe.groupby.callables import NamedAgg
from headwater.dataframe.groupby.groupby import DataFrameGroupBy

__all__ = ["DataFrameGroupBy", "NamedAgg", "UnknownAggregationError", "UnsupportedAggregationError"]
