"""``nn.utils.rnn``: PackedSequence and the helpers that make and undo it, as PyTorch's.

A PackedSequence holds the rows of a batch of variable-length sequences time-major:
step ``t`` contributes its first ``batch_sizes[t]`` sequences, sorted by decreasing
length (``sorted_indices`` maps back to the caller's order). The recurrent modules
run over exactly these rows, so padding is never computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from headwater.autograd.ops import join
from headwater.autograd.ops.indexing import index_select
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "pack_sequence", "unpad_sequence", "unpack_sequence"]


class PackedSequence(NamedTuple):
    """Rows of variable-length sequences, time-major, as ``torch.nn.utils.rnn.PackedSequence``.

    ``batch_sizes`` is a CPU int64 tensor; ``sorted_indices``/``unsorted_indices`` are
    None when the input was already sorted by decreasing length.
    """

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same sequence with ``data`` moved or cast (as ``Tensor.to``)."""
        return self._replace(data=self.data.to(*args, **kwargs))


def _host_ints(values: Any, what: str) -> np.ndarray:
    if isinstance(values, Tensor):
        values = values.tolist()
    out = np.asarray(list(values), dtype=np.int64)
    if out.ndim != 1:
        raise ValueError(f"{what} must be a 1-d sequence of ints, got shape {out.shape}")
    return out


def _device_index(like: Tensor, values: np.ndarray) -> Tensor:
    return Tensor(backend_of(like.array).to_device(values.astype(np.int64)))


def _cpu(values: np.ndarray) -> Tensor:
    return Tensor(values.astype(np.int64))


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *)) of sequences with the given lengths.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.nn.utils.rnn import pack_padded_sequence
    >>> x = hw.as_tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]])
    >>> p = pack_padded_sequence(x, [3, 2], batch_first=True)
    >>> p.data.tolist(), p.batch_sizes.tolist()
    ([1.0, 4.0, 2.0, 5.0, 3.0], [2, 2, 1])
    """
    lengths = _host_ints(lengths, "pack_padded_sequence: lengths")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[0], input.shape[1]
    if len(lengths) != batch:
        raise ValueError(f"pack_padded_sequence: {len(lengths)} lengths for a batch of {batch} sequences")
    if (lengths <= 0).any() or lengths.max() > steps:
        raise ValueError(f"pack_padded_sequence: lengths must be in 1..{steps}, got {lengths.tolist()}")
    sorted_idx = unsorted_idx = None
    if enforce_sorted:
        if (np.diff(lengths) > 0).any():
            raise RuntimeError(
                f"pack_padded_sequence: lengths {lengths.tolist()} are not sorted in decreasing order; "
                f"sort the batch first or pass enforce_sorted=False")
        order = np.arange(batch)
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_idx, unsorted_idx = _device_index(input, order), _device_index(input, np.argsort(order))
        lengths = lengths[order]
    batch_sizes = (lengths[None, :] > np.arange(lengths[0])[:, None]).sum(axis=1)
    rows = np.concatenate([t * batch + order[:bs] for t, bs in enumerate(batch_sizes)])
    flat = input.reshape(steps * batch, *input.shape[2:])
    data = index_select(flat, 0, _device_index(input, rows))
    return PackedSequence(data, _cpu(batch_sizes), sorted_idx, unsorted_idx)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Undo :func:`pack_padded_sequence`: ``(padded, lengths)`` in the caller's order.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.nn.utils.rnn import pack_sequence, pad_packed_sequence
    >>> p = pack_sequence([hw.as_tensor([1.0, 2.0]), hw.as_tensor([3.0])])
    >>> x, n = pad_packed_sequence(p, batch_first=True)
    >>> x.tolist(), n.tolist()
    ([[1.0, 2.0], [3.0, 0.0]], [2, 1])
    """
    data, batch_sizes = sequence.data, _host_ints(sequence.batch_sizes, "batch_sizes")
    steps, batch = len(batch_sizes), int(batch_sizes[0])
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"pad_packed_sequence: total_length {total_length} is shorter than the "
                             f"longest sequence ({steps})")
        steps = total_length
    n = data.shape[0]
    rows = np.full((steps, batch), n, dtype=np.int64)  # row n is the padding row
    start = 0
    for t, bs in enumerate(batch_sizes):
        rows[t, :bs] = np.arange(start, start + bs)
        start += bs
    pad_row = data[:1] * 0 + padding_value
    extended = join.cat([data, pad_row], dim=0)
    padded = index_select(extended, 0, _device_index(data, rows.reshape(-1))).reshape(steps, batch, *data.shape[1:])
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(axis=1)
    if sequence.unsorted_indices is not None:
        padded = index_select(padded, 1, sequence.unsorted_indices)
        lengths = lengths[_host_ints(sequence.unsorted_indices, "unsorted_indices")]
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, _cpu(lengths)


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of different lengths (L_i, *) into (T, B, *) (or (B, T, *)).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.nn.utils.rnn import pad_sequence
    >>> pad_sequence([hw.as_tensor([1.0, 2.0]), hw.as_tensor([3.0])], batch_first=True).tolist()
    [[1.0, 2.0], [3.0, 0.0]]
    """
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}")
    sequences = list(sequences)
    if not sequences:
        raise ValueError("pad_sequence: expected a non-empty list of tensors")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        extra = longest - s.shape[0]
        width = [0, 0] * (s.ndim - 1) + ([0, extra] if padding_side == "right" else [extra, 0])
        padded.append(join.pad(s, width, value=padding_value) if extra else s)
    return join.stack(padded, dim=0 if batch_first else 1)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) directly.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.nn.utils.rnn import pack_sequence
    >>> pack_sequence([hw.as_tensor([1.0]), hw.as_tensor([2.0, 3.0])], enforce_sorted=False).batch_sizes.tolist()
    [2, 1]
    """
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    """Split a padded batch back into its sequences.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.nn.utils.rnn import unpad_sequence
    >>> [t.tolist() for t in unpad_sequence(hw.as_tensor([[1.0, 2.0], [3.0, 0.0]]), [2, 1], batch_first=True)]
    [[1.0, 2.0], [3.0]]
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [padded_sequences[i, :n] for i, n in enumerate(_host_ints(lengths, "lengths").tolist())]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Split a PackedSequence back into its sequences, in the caller's order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
