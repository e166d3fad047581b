"""Permutation feature importance of a trained model, on at most 10,000 rows.

For each feature column, the rows of that column alone are shuffled and the model
predicts again; the importance is how much the loss grows (averaged over a few
shuffles, with their standard deviation). A feature the model ignores scores about
0; one it leans on scores high. This works for every model (it only calls it) and
counts each categorical column as one feature, like its numeric neighbours.

The shuffles are drawn from a seeded NumPy generator on the host and uploaded once
each (counted transfers); the predictions run on the device.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.pipelines.trainer import Inputs, predict_outputs
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["MAX_ROWS", "permutation_importance"]

MAX_ROWS = 10_000


def _take_rows(inputs: Inputs, rows: Any) -> Inputs:
    def take(t: Any) -> Any:
        return None if t is None else Tensor(t.array[rows])

    return Inputs(take(inputs.numeric), take(inputs.codes), take(inputs.target))


def _shuffled(t: Any, j: int, order: Any) -> Any:
    array = t.array.copy()
    array[:, j] = array[order, j]
    return Tensor(array)


def permutation_importance(model: Any, inputs: Inputs, task: str, loss: Callable[[Inputs, np.ndarray], float],
                           names: list[str], repeats: int = 3, seed: int = 0,
                           max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Importance of each feature column, largest first.

    Parameters
    ----------
    model : hw.nn.Module
        Called as ``model(numeric, codes)``.
    inputs : Inputs
        The split to measure on (a random sample of ``max_rows`` rows when larger).
    task : str
    loss : callable
        ``loss(inputs, host_outputs) -> float``, lower is better.
    names : list of str
        The numeric columns in order, then the categorical ones.
    repeats : int
        Shuffles per feature.

    Returns
    -------
    list of dict
        ``{"feature", "importance", "std", "kind"}``; ``importance`` is the mean
        increase of the loss over the baseline, on ``rows`` rows.

    Examples
    --------
    >>> import numpy as np, headwater as hw
    >>> from headwater.pipelines.importance import permutation_importance
    >>> from headwater.pipelines.trainer import Inputs
    >>> x = hw.as_tensor(np.c_[np.arange(100.0), np.zeros(100)].astype("float32"))
    >>> class First(hw.nn.Module):
    ...     def forward(self, numeric, codes=None):
    ...         return numeric[:, 0]
    >>> inp = Inputs(x, None, x[:, 0])
    >>> mse = lambda i, out: float(np.mean((out - i.target.numpy()) ** 2))
    >>> [r["feature"] for r in permutation_importance(First(), inp, "regression", mse, ["a", "b"])]
    ['a', 'b']
    """
    n = inputs.n
    rng = np.random.default_rng(seed)
    first = inputs.numeric if inputs.numeric is not None else inputs.codes
    backend = backend_of(first.array)
    if n > max_rows:
        inputs = _take_rows(inputs, backend.to_device(np.sort(rng.choice(n, max_rows, replace=False))))
        n = max_rows

    def score(candidate: Inputs) -> float:
        return loss(candidate, to_host(predict_outputs(model, candidate, task).array).astype(np.float64))

    base = score(inputs)
    width = 0 if inputs.numeric is None else int(inputs.numeric.shape[1])
    results = []
    for k, name in enumerate(names):
        grows = []
        for _ in range(repeats):
            order = backend.to_device(rng.permutation(n))
            if k < width:
                trial = Inputs(_shuffled(inputs.numeric, k, order), inputs.codes, inputs.target)
            else:
                trial = Inputs(inputs.numeric, _shuffled(inputs.codes, k - width, order), inputs.target)
            grows.append(score(trial) - base)
        results.append({"feature": name, "importance": float(np.mean(grows)), "std": float(np.std(grows)),
                        "kind": "numeric" if k < width else "categorical", "rows": n})
    return sorted(results, key=lambda r: -r["importance"])
