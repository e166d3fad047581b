"""Pipeline steps, registered by the name the ``features`` section uses.

Importing this package registers every step in :data:`STEPS`.
"""

from headwater.pipelines.steps.base import STEPS, ColumnSet, Step, StepOptions, register
from headwater.pipelines.steps.columns import Drop, Select
from headwater.pipelines.steps.encode import (
    Bucketize,
    Categorify,
    DatetimeParts,
    FillNA,
    Normalize,
    OneHot,
    TargetEncode,
)
from headwater.pipelines.steps.expr import Derive, Filter
from headwater.pipelines.steps.group import GroupStatsStep, LagStep, RollingStep

__all__ = [
    "STEPS",
    "ColumnSet",
    "Step",
    "StepOptions",
    "register",
    "Select",
    "Drop",
    "Filter",
    "Derive",
    "FillNA",
    "Categorify",
    "OneHot",
    "Normalize",
    "TargetEncode",
    "Bucketize",
    "DatetimeParts",
    "GroupStatsStep",
    "RollingStep",
    "LagStep",
]
