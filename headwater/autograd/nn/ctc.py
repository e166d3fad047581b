"""Connectionist temporal classification: ``F.ctc_loss`` and ``nn.CTCLoss``, as PyTorch's.

The loss of one sequence is ``-log p(target | input)`` summed over every alignment
of the target, with blanks, to the input steps. It is computed in log space by the
forward (alpha) recursion over the extended target ``blank, l1, blank, l2, ...,
blank`` (length ``2 S + 1``): one Python step per time step, each vectorized over
the batch and the extended positions (``logaddexp`` of the stay, the step and the
skip over a blank between two different labels). Backward runs the matching beta
recursion and sends ``-exp(alpha + beta - log_probs - log p)`` to each extended
position's class, summed by one batched product with the positions' one-hot classes.

Memory: alpha and beta, ``T * N * (2 S + 1)`` values each, kept from the forward to
the backward (alpha) or made in it (beta).

Difference from PyTorch: the gradient is the true derivative with respect to
``log_probs``. PyTorch's CTC backward returns ``exp(log_probs) - posterior``, which
assumes the log-probabilities come from ``log_softmax``; behind a ``log_softmax`` (the
usual case) the two give the same gradient to the logits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.nn.loss_functions import _reduction
from headwater.autograd.nn.module import Module
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["ctc_loss", "CTCLoss"]

_NEG_INF = -np.inf


class CTC(Op):
    """Per-sequence CTC negative log-likelihood (N,) from log_probs (T, N, C)."""

    saves = (0,)

    def forward(self, lp, ext, in_len, tgt_len, blank=0, zero_infinity=False):
        xp = xp_of(lp)
        steps, n, _ = lp.shape
        width = ext.shape[1]
        rows = xp.arange(n)
        lpe = xp.take_along_axis(lp, xp.broadcast_to(ext[None], (steps, n, width)), axis=2)  # (T, N, S')
        skip = xp.zeros((n, width), dtype=bool)  # whether s may be reached from s - 2
        skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
        ninf = xp.full((), _NEG_INF, dtype=lp.dtype)
        alpha = xp.full((steps, n, width), _NEG_INF, dtype=lp.dtype)
        alpha[0, :, 0] = lpe[0, :, 0]
        if width > 1:
            alpha[0, :, 1] = xp.where(tgt_len > 0, lpe[0, :, 1], ninf)
        for t in range(1, steps):
            prev = alpha[t - 1]
            acc = prev.copy()
            acc[:, 1:] = xp.logaddexp(acc[:, 1:], prev[:, :-1])
            acc[:, 2:] = xp.logaddexp(acc[:, 2:], xp.where(skip[:, 2:], prev[:, :-2], ninf))
            alpha[t] = acc + lpe[t]
        last = alpha[in_len - 1, rows]  # (N, S') at each sequence's own last step
        ends = 2 * tgt_len  # the final blank; the final label is one before it
        total = xp.take_along_axis(last, ends[:, None], axis=1)[:, 0]
        label = xp.take_along_axis(last, xp.maximum(ends - 1, 0)[:, None], axis=1)[:, 0]
        nll = -xp.logaddexp(total, xp.where(tgt_len > 0, label, ninf))
        self.alpha, self.lpe, self.skip = alpha, lpe, skip
        self.ext, self.in_len, self.tgt_len, self.nll = ext, in_len, tgt_len, nll
        self.classes, self.zero_infinity = lp.shape[2], zero_infinity
        if zero_infinity:
            nll = xp.where(xp.isinf(nll), xp.zeros((), dtype=nll.dtype), nll)
        return nll

    def backward(self, g):
        xp = xp_of(g)
        alpha, lpe, skip, ext = self.alpha, self.lpe, self.skip, self.ext
        steps, n, width = alpha.shape
        ninf = xp.full((), _NEG_INF, dtype=alpha.dtype)
        pos = xp.arange(width)[None, :]
        ends = 2 * self.tgt_len[:, None]
        start = (pos == ends) | ((pos == ends - 1) & (self.tgt_len[:, None] > 0))
        last = self.in_len - 1
        beta = xp.full((steps, n, width), _NEG_INF, dtype=alpha.dtype)
        nxt = None
        for t in range(steps - 1, -1, -1):
            here = xp.where(start, lpe[t], ninf)
            if nxt is not None:
                acc = nxt.copy()
                acc[:, :-1] = xp.logaddexp(acc[:, :-1], nxt[:, 1:])
                acc[:, :-2] = xp.logaddexp(acc[:, :-2], xp.where(skip[:, 2:], nxt[:, 2:], ninf))
                here = xp.where((t < last)[:, None], acc + lpe[t], xp.where((t == last)[:, None], here, ninf))
            else:
                here = xp.where((t == last)[:, None], here, ninf)
            beta[t] = here
            nxt = here
        nll = self.nll
        scale = g
        if self.zero_infinity:
            finite = ~xp.isinf(nll)
            scale = xp.where(finite, g, xp.zeros((), dtype=g.dtype))
            nll = xp.where(finite, nll, xp.zeros((), dtype=nll.dtype))
        post = xp.exp(alpha + beta - lpe + nll[None, :, None]) * scale[None, :, None]  # (T, N, S')
        onehot = (ext[:, :, None] == xp.arange(self.classes)[None, None, :]).astype(post.dtype)  # (N, S', C)
        grad = -xp.matmul(post.transpose(1, 0, 2), onehot).transpose(1, 0, 2)  # (T, N, C)
        return grad, None, None, None


def _lengths(value: Any, n: int, name: str) -> np.ndarray:
    if isinstance(value, Tensor):
        host = np.asarray(to_host(value.array))
    else:
        host = np.asarray(value)
    if host.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss: {name} must hold integers, got {host.dtype}")
    host = host.astype(np.int64).reshape(-1)
    if host.shape[0] != n:
        raise ShapeError(f"ctc_loss: {name} must have one length per sequence ({n}), got {host.shape[0]}")
    return host


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int] | Tensor,
             target_lengths: Sequence[int] | Tensor, blank: int = 0, reduction: str = "mean",
             zero_infinity: bool = False) -> Tensor:
    """The CTC loss, as ``torch.nn.functional.ctc_loss``.

    ``log_probs`` is (T, N, C) (or (T, C) unbatched) log-probabilities, usually from
    ``log_softmax``; ``targets`` is (N, S) padded or the targets concatenated (1-d,
    ``sum(target_lengths)`` long), class indices other than ``blank``;
    ``input_lengths`` and ``target_lengths`` give each sequence's lengths (tensors,
    lists or tuples). ``reduction="mean"`` divides each loss by its target length
    and averages over the batch; ``zero_infinity`` zeroes the infinite losses of
    impossible alignments and their gradients. See the module docstring for the one
    difference from PyTorch (the gradient is the true one).

    Examples
    --------
    >>> import headwater as hw
    >>> lp = hw.zeros(3, 1, 2).log_softmax(-1)
    >>> round(hw.nn.functional.ctc_loss(lp, hw.as_tensor([[1]]), [3], [1], reduction="sum").item(), 4)
    0.2877
    """
    reduction = _reduction(reduction, "ctc_loss")
    if not isinstance(log_probs, Tensor) or not isinstance(targets, Tensor):
        raise TypeError("ctc_loss: log_probs and targets must be Tensors")
    unbatched = log_probs.ndim == 2
    if unbatched:
        log_probs, targets = log_probs.unsqueeze(1), targets.reshape(1, -1)
    if log_probs.ndim != 3:
        raise ShapeError(f"ctc_loss: log_probs must be (T, N, C) or (T, C), got shape {log_probs.shape}")
    if log_probs.dtype.kind != "f":
        raise TypeError(f"ctc_loss: log_probs must be floating point, got {log_probs.dtype}")
    if targets.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss: targets must hold integer class indices, got {targets.dtype}")
    steps, n, classes = log_probs.shape
    if not 0 <= blank < classes:
        raise ValueError(f"ctc_loss: blank must be in [0, {classes}), got {blank}")
    in_len = _lengths(input_lengths, n, "input_lengths")
    tgt_len = _lengths(target_lengths, n, "target_lengths")
    if (in_len < 1).any() or (in_len > steps).any():
        raise ValueError(f"ctc_loss: input_lengths must be in [1, {steps}] (log_probs has {steps} steps), "
                         f"got {in_len.tolist()}")
    if (tgt_len < 0).any():
        raise ValueError(f"ctc_loss: target_lengths must be non-negative, got {tgt_len.tolist()}")
    longest = int(tgt_len.max()) if n else 0
    backend = backend_of(log_probs.array)
    xp = backend.xp
    tarr = targets.array
    if targets.ndim == 2 and not unbatched:
        if targets.shape[0] != n or targets.shape[1] < longest:
            raise ShapeError(f"ctc_loss: padded targets {targets.shape} must be (N={n}, S >= {longest}), "
                             f"the longest target_length")
        padded = tarr[:, :longest]
    elif targets.ndim == 1 or unbatched:
        flat = tarr.reshape(-1)
        if flat.shape[0] != int(tgt_len.sum()) and not (unbatched and flat.shape[0] >= longest):
            raise ShapeError(f"ctc_loss: concatenated targets have {flat.shape[0]} labels but target_lengths "
                             f"sum to {int(tgt_len.sum())}")
        starts = np.concatenate([[0], np.cumsum(tgt_len)[:-1]]) if not unbatched else np.zeros(1, np.int64)
        index = np.minimum(starts[:, None] + np.arange(longest)[None, :], max(flat.shape[0] - 1, 0))
        padded = flat[backend.to_device(index.reshape(-1))].reshape(n, longest) if longest else \
            xp.zeros((n, 0), dtype=flat.dtype)
    else:
        raise ShapeError(f"ctc_loss: targets must be (N, S) padded or 1-d concatenated, got {targets.shape}")
    inside = np.arange(longest)[None, :] < tgt_len[:, None]
    padded = xp.where(backend.to_device(inside), padded, blank).astype(xp.int64)
    ext = xp.full((n, 2 * longest + 1), blank, dtype=xp.int64)
    ext[:, 1::2] = padded
    loss = CTC.apply(log_probs, Tensor(ext), Tensor(backend.to_device(in_len)),
                     Tensor(backend.to_device(tgt_len)), blank=blank, zero_infinity=zero_infinity)
    if reduction == "none":
        return loss.squeeze(0) if unbatched else loss
    if reduction == "sum":
        return loss.sum()
    divisor = Tensor(backend.to_device(np.maximum(tgt_len, 1).astype(log_probs.dtype)))
    return (loss / divisor).mean()


class CTCLoss(Module):
    """The CTC loss as a module, as ``torch.nn.CTCLoss`` (see :func:`ctc_loss`).

    Examples
    --------
    >>> import headwater as hw
    >>> lp = hw.zeros(4, 2, 3).log_softmax(-1)
    >>> hw.nn.CTCLoss()(lp, hw.as_tensor([[1, 2], [2, 0]]), [4, 3], [2, 1]).shape
    ()
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__()
        self.blank, self.reduction, self.zero_infinity = blank, _reduction(reduction, "CTCLoss"), zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any) -> Tensor:
        return ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                        self.zero_infinity)
