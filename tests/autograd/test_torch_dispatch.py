"""hw.concat / hw.cat / hw.unique / hw.where: torch's meaning for Tensors, pandas' for frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def test_concat_and_cat_of_tensors_match_torch_with_gradients():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    ha, hb = hw.tensor(a, requires_grad=True), hw.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    for h, t in [(hw.concat([ha, hb], dim=1), torch.concat([ta, tb], dim=1)),
                 (hw.concat((ha, hb), axis=1), torch.cat((ta, tb), 1)),
                 (hw.cat([ha, hb], 1), torch.cat([ta, tb], 1))]:
        np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy())
        assert h.dtype == hw.float64
    w = rng.standard_normal((2, 4))
    (hw.concat([ha, hb], dim=1) * hw.tensor(w)).sum().backward()
    (torch.concat([ta, tb], dim=1) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ha.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(hb.grad.numpy(), tb.grad.numpy())
    assert hw.concat([hw.ones(2, dtype=hw.float32)]).dtype == hw.float32


def test_concat_of_frames_is_pandas_concat():
    left = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    right = pd.DataFrame({"a": [3], "c": [1.5]})
    got = hw.concat([hw.from_pandas(left), hw.from_pandas(right)]).to_pandas()
    want = pd.concat([left, right], ignore_index=True)
    assert list(got.columns) == list(want.columns)
    assert got["a"].tolist() == want["a"].tolist()
    assert got["c"].isna().tolist() == want["c"].isna().tolist()
    s = hw.concat([hw.Series([1, 2]), hw.Series([3])])
    assert s.to_list() == [1, 2, 3]


def test_concat_refuses_mixtures_and_empty_input():
    with pytest.raises(TypeError, match="mix of Tensors"):
        hw.concat([hw.ones(1), np.ones(1)])
    with pytest.raises(TypeError, match="mix of frames and Tensors"):
        hw.concat([hw.Series([1]), hw.ones(1)])
    with pytest.raises(ValueError, match="at least one"):
        hw.concat([])
    with pytest.raises(TypeError, match="wrap it in a list"):
        hw.concat(hw.ones(2))
    with pytest.raises(TypeError, match="Tensors or DataFrames"):
        hw.concat([[1, 2], [3]])
    with pytest.raises(TypeError, match="dim or axis"):
        hw.concat([hw.ones(1)], dim=0, axis=0)


def test_unique_sorts_tensors_and_keeps_appearance_order_for_frames():
    values = [3, 1, 3, 2, 1]
    h = hw.unique(hw.tensor(values), return_counts=True)
    t = torch.unique(torch.tensor(values), return_counts=True)
    assert [x.tolist() for x in h] == [x.tolist() for x in t]
    assert hw.unique(hw.tensor(values)).tolist() == torch.unique(torch.tensor(values)).tolist()
    assert hw.unique(hw.Series(values)).to_list() == pd.unique(pd.Series(values)).tolist()
    assert hw.unique(values).to_list() == pd.unique(np.array(values)).tolist()
    assert hw.unique(hw.Series(["b", None, "a", "b"])).to_list() == ["b", None, "a"]
    with pytest.raises(TypeError, match="drop_duplicates"):
        hw.unique(hw.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="no further arguments"):
        hw.unique(hw.Series([1]), return_counts=True)


def test_where_for_tensors_and_for_series():
    c = [True, False, True]
    h = hw.where(hw.tensor(c), hw.tensor([1.0, 2.0, 3.0]), 0.0)
    t = torch.where(torch.tensor(c), torch.tensor([1.0, 2.0, 3.0]), 0.0)
    assert h.tolist() == t.tolist() and h.dtype == hw.float32
    assert [x.tolist() for x in hw.where(hw.tensor(c))] == [x.tolist() for x in torch.where(torch.tensor(c))]
    s, ps = hw.Series([1.0, None, 3.0]), pd.Series([1.0, None, 3.0])
    got = hw.where(s > 1, s, -1.0).to_pandas()
    want = ps.where(ps > 1, -1.0)
    assert got.tolist() == want.tolist()
    with pytest.raises(TypeError, match="s.where"):
        hw.where(s > 1, 1.0, 0.0)
