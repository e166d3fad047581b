"""Every test's DistributedDataParallel wrappers are released after it: their
gradient hooks are registered on the parameters, and a hook left alive would make
later tests (hw.compile refuses to trace a backward through hooked tensors) differ."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _release_ddp_hooks():
    yield
    gc.collect()
