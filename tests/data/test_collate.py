"""default_collate and default_convert against torch.utils.data's on the same samples."""

from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import headwater as hw
from tests.data.data_helpers import assert_same

torch = pytest.importorskip("torch")
from torch.utils.data import default_collate as torch_collate  # noqa: E402
from torch.utils.data import default_convert as torch_convert  # noqa: E402

Point = namedtuple("Point", ["x", "label"])
RNG = np.random.default_rng(0)


def _arrays(dtype, n=3, shape=(2, 3)):
    return [RNG.standard_normal(shape).astype(dtype) if np.dtype(dtype).kind == "f"
            else RNG.integers(0, 9, shape).astype(dtype) for _ in range(n)]


CASES = {
    "floats": [0.5, 1.5, -2.0],
    "ints": [1, 2, 3],
    "bools": [True, False, True],
    "ints and bools": [True, 2, 3],
    "numpy float32 scalars": [np.float32(1.5), np.float32(2.5)],
    "numpy int16 scalars": [np.int16(1), np.int16(-4)],
    "numpy bool scalars": [np.bool_(True), np.bool_(False)],
    "float32 arrays": _arrays(np.float32),
    "float64 arrays": _arrays(np.float64, shape=(4,)),
    "int32 arrays": _arrays(np.int32, shape=(1, 2)),
    "0-d arrays": [np.array(1.0), np.array(2.0)],
    "strings": ["a", "bb", "c"],
    "bytes": [b"a", b"b"],
    "tuples": [(np.ones(2, np.float32), 1), (np.zeros(2, np.float32), 0)],
    "lists": [[1, 2.5], [3, 4.5]],
    "dicts": [{"x": np.arange(3), "y": 0.5, "name": "a"}, {"x": np.arange(3) + 1, "y": 1.5, "name": "b"}],
    "ordered dicts": [OrderedDict(b=1, a=2.0), OrderedDict(b=3, a=4.0)],
    "namedtuples": [Point(np.ones(2), 1), Point(np.zeros(2), 0)],
    "nested": [{"pair": (1, [2.0, np.float32(3)]), "tag": ("u", 1)},
               {"pair": (4, [5.0, np.float32(6)]), "tag": ("v", 2)}],
}


def _to(framework_tensor, samples):
    """The same samples with numpy leaves made into the framework's tensors."""
    def conv(s):
        if isinstance(s, np.ndarray):
            return framework_tensor(s)
        if isinstance(s, dict):
            return {k: conv(v) for k, v in s.items()}
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*(conv(v) for v in s))
        if isinstance(s, (list, tuple)):
            return type(s)(conv(v) for v in s)
        return s
    return [conv(s) for s in samples]


@pytest.mark.parametrize("name", list(CASES))
def test_collate_matches_torch(name):
    samples = CASES[name]
    assert_same(hw.utils.data.default_collate(samples), torch_collate(samples))


@pytest.mark.parametrize("name", ["float32 arrays", "int32 arrays", "tuples", "dicts", "namedtuples"])
def test_collate_of_tensors_matches_torch(name):
    ours = _to(lambda a: hw.as_tensor(a.copy()), CASES[name])
    theirs = _to(lambda a: torch.from_numpy(a.copy()), CASES[name])
    assert_same(hw.utils.data.default_collate(ours), torch_collate(theirs))


def test_collate_of_tensors_stays_on_the_device_and_keeps_grad():
    rows = [hw.randn(3), hw.randn(3)]
    hw.reset_transfer_stats()
    out = hw.utils.data.default_collate(rows)
    assert hw.transfer_stats().calls == 0 and out.device == hw.device()
    w = hw.randn(3, requires_grad=True)
    hw.utils.data.default_collate([w, w * 2]).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.full(3, 3.0))


@pytest.mark.parametrize("name", ["floats", "float32 arrays", "dicts", "namedtuples", "strings", "tuples",
                                  "nested"])
def test_convert_matches_torch(name):
    for sample in CASES[name]:
        assert_same(hw.utils.data.default_convert(sample), torch_convert(sample))


@pytest.mark.parametrize("samples,error", [
    ([np.array(["a", "b"]), np.array(["c", "d"])], TypeError),
    ([object(), object()], TypeError),
    ([[1, 2], [3]], RuntimeError),
    ([np.ones(2), np.ones(3)], RuntimeError),
])
def test_collate_errors_match_torch(samples, error):
    with pytest.raises(error):
        torch_collate(samples)
    with pytest.raises(error, match="default_collate"):
        hw.utils.data.default_collate(samples)


def test_collate_of_unequal_tensors_names_the_fix():
    with pytest.raises(RuntimeError, match="collate_fn"):
        hw.utils.data.default_collate([hw.ones(2), hw.ones(3)])
