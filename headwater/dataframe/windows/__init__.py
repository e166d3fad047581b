"""Window operations over rows: rolling, expanding and exponentially weighted windows,
and resampling by time (see ``kernels`` for how a window aggregates on the device)."""

from headwater.dataframe.windows.ewm import ExponentialMovingWindow
from headwater.dataframe.windows.rolling import Expanding, Rolling

__all__ = ["ExponentialMovingWindow", "Expanding", "Rolling"]
