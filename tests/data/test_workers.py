"""DataLoader workers: real processes, NumPy buffers back, seeds, sharding, errors."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

import headwater as hw
import headwater.utils.data as hud
from tests.data.data_helpers import assert_same

X = np.random.default_rng(1).standard_normal((37, 3)).astype(np.float32)


class Rows(hud.Dataset):
    """Samples carry the pid of the process that fetched them."""

    def __len__(self):
        return len(X)

    def __getitem__(self, i):
        return {"x": X[i], "i": i, "pid": os.getpid(), "t": hw.as_tensor(X[i] * 2)}


class Shards(hud.IterableDataset):
    """Splits 0..n-1 between the workers with get_worker_info, as torch's docs do."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = hud.get_worker_info()
        if info is None:
            return iter(range(self.n))
        per = -(-self.n // info.num_workers)
        return iter(range(info.id * per, min(self.n, (info.id + 1) * per)))

    def __len__(self):
        return self.n


class Info(hud.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = hud.get_worker_info()
        return {"id": info.id, "n": info.num_workers, "seed": info.seed, "same": info.dataset is self,
                "draw": float(hw.rand(1).item()), "init": os.environ.get("HW_TEST_INIT", "")}


def _init(worker_id):
    os.environ["HW_TEST_INIT"] = f"w{worker_id}"


def test_workers_give_the_same_batches_from_other_processes():
    plain = list(hud.DataLoader(Rows(), batch_size=5))
    loader = hud.DataLoader(Rows(), batch_size=5, num_workers=2)
    got = list(loader)
    assert len(got) == len(plain) == len(loader) == 8
    for a, b in zip(got, plain):
        for key in ("x", "i", "t"):
            assert_same(a[key], b[key])
        assert isinstance(a["t"], hw.Tensor) and a["t"].device == hw.device()
    pids = {p for batch in got for p in batch["pid"].tolist()}
    assert os.getpid() not in pids and len(pids) == 2


def test_worker_info_seed_and_init_fn():
    hw.manual_seed(0)
    got = list(hud.DataLoader(Info(), batch_size=2, num_workers=2, worker_init_fn=_init))
    assert [b["id"].tolist() for b in got] == [[0, 0], [1, 1], [0, 0], [1, 1]]
    assert all(b["n"].tolist() == [2, 2] and b["same"].tolist() == [True, True] for b in got)
    assert [b["init"] for b in got] == [["w0", "w0"], ["w1", "w1"]] * 2
    seeds = {b["id"][0].item(): b["seed"][0].item() for b in got}
    assert seeds[1] == seeds[0] + 1
    hw.manual_seed(0)  # the same global seed gives the same worker seeds and worker streams
    again = list(hud.DataLoader(Info(), batch_size=2, num_workers=2))
    assert [b["draw"].tolist() for b in again] == [b["draw"].tolist() for b in got]
    assert hud.get_worker_info() is None


@pytest.mark.parametrize("num_workers", [1, 3])
def test_iterable_dataset_sharded_by_worker_info(num_workers):
    loader = hud.DataLoader(Shards(20), batch_size=4, num_workers=num_workers)
    values = [v for b in loader for v in b.tolist()]
    assert sorted(values) == list(range(20))
    assert list(hud.DataLoader(Shards(20), batch_size=None, num_workers=2))[:2] == [0, 10]


def test_persistent_workers_serve_several_epochs():
    loader = hud.DataLoader(Rows(), batch_size=8, num_workers=2, persistent_workers=True, shuffle=True)
    epochs = [[i for b in loader for i in b["i"].tolist()] for _ in range(3)]
    assert all(sorted(e) == list(range(len(X))) for e in epochs) and epochs[0] != epochs[1]
    pids = [{p for b in loader for p in b["pid"].tolist()} for _ in range(2)]
    assert pids[0] == pids[1]
    partial = iter(loader)
    next(partial)  # an epoch left unfinished does not leak into the next one
    assert sorted(i for b in loader for i in b["i"].tolist()) == list(range(len(X)))
    stream = hud.DataLoader(Shards(9), batch_size=2, num_workers=2, persistent_workers=True)
    assert [sorted(v for b in stream for v in b.tolist()) for _ in range(2)] == [list(range(9))] * 2


def test_out_of_order_delivery_keeps_every_batch():
    loader = hud.DataLoader(Rows(), batch_size=3, num_workers=2, in_order=False, prefetch_factor=3)
    assert sorted(i for b in loader for i in b["i"].tolist()) == list(range(len(X)))


class Failing(hud.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 4:
            raise KeyError(f"no sample {i}")
        return i


def test_an_error_in_a_worker_is_raised_here_with_its_traceback():
    with pytest.raises(KeyError, match="(?s)in DataLoader worker process.*no sample 4"):
        list(hud.DataLoader(Failing(), batch_size=2, num_workers=2))


class Dying(hud.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        os._exit(3)


def test_a_worker_that_dies_is_reported():
    with pytest.raises(RuntimeError, match="exited unexpectedly with exit code 3"):
        list(hud.DataLoader(Dying(), batch_size=2, num_workers=1))


class Slow(hud.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(3)
        return i


def test_timeout():
    with pytest.raises(RuntimeError, match="timed out after 0.3 seconds"):
        list(hud.DataLoader(Slow(), num_workers=1, timeout=0.3))


class Unpicklable(hud.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        return i

    @staticmethod
    def collate(batch):
        return lambda: batch


def test_a_batch_that_cannot_be_pickled_is_an_error():
    with pytest.raises(Exception, match="while sending a batch"):
        list(hud.DataLoader(Unpicklable(), num_workers=1, collate_fn=Unpicklable.collate))


def test_workers_hand_back_numpy_buffers_not_device_arrays():
    from headwater.data.worker import from_buffers, to_buffers

    batch = {"a": [hw.ones(2), (hw.zeros(1), "s")], "n": np.arange(2)}
    sent = to_buffers(batch)
    assert isinstance(sent["a"][0].array, np.ndarray) and sent["n"] is batch["n"]
    back = from_buffers(sent)
    assert isinstance(back["a"][1][0], hw.Tensor) and back["a"][1][1] == "s"
    assert isinstance(back["n"], np.ndarray)
