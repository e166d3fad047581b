"""``hw.data``: data loading for training, named as in ``torch.utils.data``.

The DataLoader itself lives with the dataframe layer
(:mod:`headwater.dataframe.loader`); this module only gives it its familiar address.
"""

from headwater.dataframe.loader import DataLoader

__all__ = ["DataLoader"]
