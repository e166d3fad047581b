"""The expression language of ``filter`` and ``derive`` steps: the dataframe layer's
safe parser (:mod:`headwater.dataframe.expressions`), which ``DataFrame.query`` and
``DataFrame.eval`` use too."""

from headwater.dataframe.expressions import (
    FUNCTIONS,
    Expression,
    ExpressionError,
    compile_expression,
)

__all__ = ["Expression", "ExpressionError", "compile_expression", "FUNCTIONS"]
