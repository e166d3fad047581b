"""Run a plain PyTorch script with Headwater in place of torch.

    python tests/torch_scripts/as_headwater.py SCRIPT.py [ARGS...]

Every ``import torch...`` in the script (``torch``, ``torch.nn``,
``torch.nn.functional``, ``torch.optim``, ``torch.utils.data``, ...) resolves to the
Headwater module of the same path, so the script runs unchanged. Nothing of torch is
imported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import runpy
import sys

import headwater


class _TorchAsHeadwater(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``torch.X.Y`` as the module ``headwater.X.Y``."""

    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        module = importlib.import_module("headwater" + spec.name[len("torch"):])
        sys.modules[spec.name] = module
        return module

    def exec_module(self, module):
        pass  # already a loaded Headwater module


def install() -> None:
    sys.modules["torch"] = headwater
    # modules Headwater registered under dotted names (``headwater.nn.utils.rnn``, whose
    # parent is a module, not a package) are found only through sys.modules
    for name, module in list(sys.modules.items()):
        if name.startswith("headwater."):
            sys.modules.setdefault("torch" + name[len("headwater"):], module)
    sys.meta_path.insert(0, _TorchAsHeadwater())


if __name__ == "__main__":
    install()
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")
