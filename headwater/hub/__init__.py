"""``hw.hub``: pretrained pipelines and models in one line, and weights shared with PyTorch.

``list`` / ``help`` / ``load`` follow ``torch.hub``'s, over entries registered in the
package (:mod:`headwater.hub.hubconf`); ``load`` also takes an artifact made by
``publish`` (``headwater publish``) or a ``headwater run`` directory.
``load_state_dict_from_url`` caches weights as ``torch.hub``'s does. Nothing on these
paths unpickles or executes a file: weights are safetensors or ``hw.save`` ZIPs and
every artifact file is checked against its sha256.
"""

from __future__ import annotations

from headwater.autograd import safetensors_format as safetensors
from headwater.hub import hubconf as _hubconf  # noqa: F401  (registers the shipped entries)
from headwater.hub.architectures import ARCHITECTURES
from headwater.hub.download import download_url_to_file, get_dir, load_state_dict_from_url, set_dir
from headwater.hub.errors import DownloadError, HubError, IntegrityError, UnknownEntryError
from headwater.hub.pipeline import HubPipeline
from headwater.hub.publish import publish, publish_model
from headwater.hub.registry import artifact_path, entrypoint, help, list, load

__all__ = [
    "ARCHITECTURES", "DownloadError", "HubError", "HubPipeline", "IntegrityError", "UnknownEntryError",
    "artifact_path", "download_url_to_file", "entrypoint", "get_dir", "help", "list", "load",
    "load_state_dict_from_url", "publish", "publish_model", "safetensors", "set_dir",
]
