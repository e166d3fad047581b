"""Feature-engineering ops: fitted on one frame, applied to any, state saved as JSON.

Every op is ``Op(columns=[...], **options)`` with ``fit(df)``, ``transform(df)``,
``fit_transform(df)``, ``to_dict()`` and ``Op.from_dict(d)`` (see
:class:`~headwater.dataframe.features.base.FeatureOp`). ``registry`` maps each op's
short name (``"normalize"``, ``"onehot"``, ...) to its class.
"""

from headwater.dataframe.features.base import (
    FeatureOp,
    FeatureOpError,
    NotFittedError,
    op_from_dict,
    registry,
)
from headwater.dataframe.features.bucketize import Bucketize
from headwater.dataframe.features.categorify import Categorify
from headwater.dataframe.features.clip import Clip
from headwater.dataframe.features.datetime_parts import DatetimeParts
from headwater.dataframe.features.fill_missing import FillMissing
from headwater.dataframe.features.group_stats import GroupStats
from headwater.dataframe.features.hash_bucket import HashBucket
from headwater.dataframe.features.lag import Lag
from headwater.dataframe.features.log1p import Log1p
from headwater.dataframe.features.normalize import Normalize
from headwater.dataframe.features.onehot import OneHot, get_dummies
from headwater.dataframe.features.rolling import Rolling
from headwater.dataframe.features.target_encode import TargetEncode

__all__ = [
    "FeatureOp",
    "FeatureOpError",
    "NotFittedError",
    "op_from_dict",
    "registry",
    "Bucketize",
    "Categorify",
    "Clip",
    "DatetimeParts",
    "FillMissing",
    "GroupStats",
    "HashBucket",
    "Lag",
    "Log1p",
    "Normalize",
    "OneHot",
    "Rolling",
    "TargetEncode",
    "get_dummies",
]
