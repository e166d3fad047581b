"""Constant folding with limits: the dataframe layer's
(:mod:`headwater.dataframe.expression_folding`), used by the expression language."""

from headwater.dataframe.expression_folding import (
    MAX_INT_BITS,
    MAX_STRING_LENGTH,
    FoldError,
    fold_constants,
)

__all__ = ["MAX_INT_BITS", "MAX_STRING_LENGTH", "FoldError", "fold_constants"]
