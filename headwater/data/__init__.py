"""``hw.data`` (also ``hw.utils.data``): datasets, samplers, collation and the DataLoader,
named and behaving as in ``torch.utils.data``.

This layer sits above the dataframe and autograd layers: a DataFrame or a
``TensorDataset`` is batched on the device by the dataframe layer's fast path
(:mod:`headwater.dataframe.loader`); any other dataset is fetched sample by sample
and collated, in this process or in worker processes.
"""

from headwater.data.collate import default_collate, default_convert
from headwater.data.dataloader import DataLoader
from headwater.data.dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from headwater.data.distributed_sampler import DistributedSampler
from headwater.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from headwater.data.worker import WorkerInfo, get_worker_info

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "DistributedSampler", "IterableDataset",
    "RandomSampler", "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset",
    "WeightedRandomSampler", "WorkerInfo", "default_collate", "default_convert", "get_worker_info",
    "random_split",
]
