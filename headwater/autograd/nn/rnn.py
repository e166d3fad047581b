"""Recurrent layers: RNN, LSTM, GRU and their single-step cells, as PyTorch's.

Parameters are named and laid out as PyTorch's (``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0``, ``..._reverse`` for the backward direction; gates
stacked ``i, f, g, o`` for LSTM and ``r, z, n`` for GRU), so ``load_state_dict`` of a
PyTorch state dict works unchanged. Each layer and direction costs one matrix product
for the inputs of all steps plus one fused recurrence op
(:mod:`headwater.autograd.ops.recurrent`). Inputs may be padded tensors
(``batch_first`` or not, or unbatched) or a :class:`PackedSequence`.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.nn import init
from headwater.autograd.nn.functional import dropout
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.packed import PackedSequence
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.ops import join
from headwater.autograd.ops.activations import relu, sigmoid
from headwater.autograd.ops.elementwise import tanh
from headwater.autograd.ops.indexing import index_select
from headwater.autograd.ops.linalg import linear
from headwater.autograd.ops.recurrent import (
    GRUSequence,
    LSTMSequence,
    ProjectedLSTMSequence,
    RNNSequence,
)
from headwater.tensor.creation import empty, zeros
from headwater.tensor.tensor import Tensor

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    """The shared machinery of :class:`RNN`, :class:`LSTM` and :class:`GRU`."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        name = type(self).__name__
        if not isinstance(hidden_size, int) or hidden_size <= 0:
            raise ValueError(f"{name}: hidden_size must be a positive int, got {hidden_size!r}")
        if not isinstance(num_layers, int) or num_layers <= 0:
            raise ValueError(f"{name}: num_layers must be a positive int, got {num_layers!r}")
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{name}: dropout must be in [0, 1], got {dropout}")
        if not isinstance(proj_size, int) or proj_size < 0:
            raise ValueError(f"{name}: proj_size must be a non-negative int, got {proj_size!r}")
        if proj_size and mode != "LSTM":
            raise ValueError(f"{name}: proj_size is only supported by LSTM")
        if proj_size >= hidden_size:
            raise ValueError(f"{name}: proj_size ({proj_size}) has to be smaller than hidden_size ({hidden_size})")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        gate = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names: list[str] = []
        real = proj_size or hidden_size  # the width of h
        for layer in range(num_layers):
            layer_in = input_size if layer == 0 else real * directions
            for d in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                shapes = {"weight_ih": (gate, layer_in), "weight_hh": (gate, real)}
                if bias:
                    shapes.update({"bias_ih": (gate,), "bias_hh": (gate,)})
                if proj_size:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                for kind, shape in shapes.items():
                    setattr(self, kind + suffix, Parameter(empty(*shape, device=device, dtype=dtype)))
                    self._flat_weights_names.append(kind + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """U(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight and bias, as PyTorch."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for name in self._flat_weights_names:
            init.uniform_(getattr(self, name), -bound, bound)

    def _layer_params(self, layer: int, d: int) -> tuple:
        suffix = f"_l{layer}" + ("_reverse" if d else "")
        get = lambda kind: getattr(self, kind + suffix) if self.bias or "weight" in kind else None  # noqa: E731
        w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), w_hr

    def _check_input(self, data: Tensor) -> None:
        if data.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__}: input.size(-1) must be equal to input_size. "
                f"Expected {self.input_size}, got {data.shape[-1]}")

    def _state(self, hx: Tensor | None, batch: int, like: Tensor, unbatched: bool, what: str) -> Tensor:
        directions = 2 if self.bidirectional else 1
        width = self.proj_size if self.proj_size and what == "h_0" else self.hidden_size
        expected = (self.num_layers * directions, batch, width)
        if hx is None:
            return zeros(*expected, dtype=like.dtype, device=like.device)
        if unbatched:
            if hx.ndim != 2:
                raise ValueError(f"{type(self).__name__}: for unbatched input, {what} should be 2-d, got {hx.shape}")
            hx = hx.unsqueeze(1)
        if tuple(hx.shape) != expected:
            raise ValueError(f"{type(self).__name__}: expected {what} size {expected}, got {tuple(hx.shape)}")
        return hx

    def forward(self, input: Any, hx: Any = None) -> tuple[Any, Any]:
        name = type(self).__name__
        is_lstm = self.mode == "LSTM"
        packed = isinstance(input, PackedSequence)
        unbatched = False
        if packed:
            data, batch_sizes = input.data, [int(b) for b in input.batch_sizes.tolist()]
            batch = batch_sizes[0]
        else:
            if not isinstance(input, Tensor):
                raise TypeError(f"{name}: expected a Tensor or PackedSequence, got {type(input).__name__}")
            if input.ndim == 2:
                unbatched, input = True, input.unsqueeze(1)
            elif input.ndim != 3:
                raise ValueError(f"{name}: expected a 2-d (unbatched) or 3-d input, got shape {input.shape}")
            elif self.batch_first:
                input = input.transpose(0, 1)
            steps, batch = input.shape[0], input.shape[1]
            data, batch_sizes = input.reshape(steps * batch, input.shape[2]), [batch] * steps
        self._check_input(data)
        if is_lstm:
            if hx is not None and (not isinstance(hx, tuple) or len(hx) != 2):
                raise TypeError(f"{name}: hx must be a tuple (h_0, c_0)")
            h0 = self._state(None if hx is None else hx[0], batch, data, unbatched, "h_0")
            c0 = self._state(None if hx is None else hx[1], batch, data, unbatched, "c_0")
        else:
            h0 = self._state(hx, batch, data, unbatched, "hx")
        if packed and input.sorted_indices is not None and hx is not None:
            h0 = index_select(h0, 1, input.sorted_indices)
            if is_lstm:
                c0 = index_select(c0, 1, input.sorted_indices)
        n = data.shape[0]
        directions = 2 if self.bidirectional else 1
        finals_h, finals_c = [], []
        layer_in = data
        for layer in range(self.num_layers):
            outs = []
            for d in range(directions):
                w_ih, w_hh, b_ih, b_hh, w_hr = self._layer_params(layer, d)
                k = layer * directions + d
                xproj = linear(layer_in, w_ih, b_ih)
                common = dict(batch_sizes=batch_sizes, reverse=bool(d))
                if w_hr is not None:
                    p, hid = self.proj_size, self.hidden_size
                    z = ProjectedLSTMSequence.apply(xproj, w_hh, b_hh, h0[k], c0[k], w_hr, **common)
                    outs.append(z[:n * p].reshape(n, p))
                    finals_h.append(z[n * p:(n + batch) * p].reshape(batch, p))
                    finals_c.append(z[(n + batch) * p:].reshape(batch, hid))
                    continue
                if is_lstm:
                    z = LSTMSequence.apply(xproj, w_hh, b_hh, h0[k], c0[k], **common)
                    finals_c.append(z[n + batch:])
                elif self.mode == "GRU":
                    z = GRUSequence.apply(xproj, w_hh, b_hh, h0[k], **common)
                else:
                    z = RNNSequence.apply(xproj, w_hh, b_hh, h0[k],
                                          nonlinearity="tanh" if self.mode == "RNN_TANH" else "relu", **common)
                outs.append(z[:n])
                finals_h.append(z[n:n + batch])
            layer_in = outs[0] if directions == 1 else join.cat(outs, dim=1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_in = dropout(layer_in, self.dropout, True)
        h_n = join.stack(finals_h, dim=0)
        c_n = join.stack(finals_c, dim=0) if is_lstm else None
        if packed:
            if input.unsorted_indices is not None:
                h_n = index_select(h_n, 1, input.unsorted_indices)
                c_n = index_select(c_n, 1, input.unsorted_indices) if is_lstm else None
            output: Any = input._replace(data=layer_in)
        else:
            output = layer_in.reshape(len(batch_sizes), batch, layer_in.shape[-1])
            if unbatched:
                output, h_n = output.squeeze(1), h_n.squeeze(1)
                c_n = c_n.squeeze(1) if is_lstm else None
            elif self.batch_first:
                output = output.transpose(0, 1)
        return output, ((h_n, c_n) if is_lstm else h_n)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(RNNBase):
    """Elman RNN, ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or ReLU).

    Returns ``(output, h_n)``.

    Examples
    --------
    >>> import headwater as hw
    >>> rnn = hw.nn.RNN(4, 8, num_layers=2)
    >>> out, h = rnn(hw.randn(5, 3, 4))
    >>> out.shape, h.shape
    ((5, 3, 8), (2, 3, 8))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory, gates ``i, f, g, o`` as PyTorch's.

    Returns ``(output, (h_n, c_n))``.

    Examples
    --------
    >>> import headwater as hw
    >>> lstm = hw.nn.LSTM(4, 8, batch_first=True, bidirectional=True)
    >>> out, (h, c) = lstm(hw.randn(3, 5, 4))
    >>> out.shape, h.shape, c.shape
    ((3, 5, 16), (2, 3, 8), (2, 3, 8))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit, gates ``r, z, n`` as PyTorch's.

    Returns ``(output, h_n)``.

    Examples
    --------
    >>> import headwater as hw
    >>> out, h = hw.nn.GRU(4, 8)(hw.randn(5, 3, 4))
    >>> out.shape, h.shape
    ((5, 3, 8), (1, 3, 8))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, 0, device, dtype)


class _CellBase(Module):
    def __init__(self, input_size: int, hidden_size: int, bias: bool, gates: int, device: Any,
                 dtype: Any) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = Parameter(empty(gates * hidden_size, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(empty(gates * hidden_size, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gates * hidden_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(gates * hidden_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        bound = 1.0 / math.sqrt(hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def _prepare(self, input: Tensor, hx: Tensor | None) -> tuple[Tensor, Tensor | None, bool]:
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: expected input to be 1-d or 2-d, got shape {input.shape}")
        if input.shape[-1] != self.input_size:
            raise ValueError(f"{name}: input has {input.shape[-1]} features, expected {self.input_size}")
        unbatched = input.ndim == 1
        if unbatched:
            input = input.unsqueeze(0)
            hx = None if hx is None else hx.unsqueeze(0)
        return input, hx, unbatched

    def _zeros(self, input: Tensor) -> Tensor:
        return zeros(input.shape[0], self.hidden_size, dtype=input.dtype, device=input.device)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(_CellBase):
    """One Elman step, ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.RNNCell(4, 8)(hw.randn(3, 4)).shape
    (3, 8)
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, unbatched = self._prepare(input, hx)
        hx = self._zeros(input) if hx is None else hx
        pre = linear(input, self.weight_ih, self.bias_ih) + linear(hx, self.weight_hh, self.bias_hh)
        h = tanh(pre) if self.nonlinearity == "tanh" else relu(pre)
        return h.squeeze(0) if unbatched else h


class LSTMCell(_CellBase):
    """One LSTM step; returns ``(h', c')``.

    Examples
    --------
    >>> import headwater as hw
    >>> h, c = hw.nn.LSTMCell(4, 8)(hw.randn(3, 4))
    >>> h.shape, c.shape
    ((3, 8), (3, 8))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        h0 = None if hx is None else hx[0]
        input, h0, unbatched = self._prepare(input, h0)
        c0 = None if hx is None else (hx[1].unsqueeze(0) if unbatched else hx[1])
        h0 = self._zeros(input) if h0 is None else h0
        c0 = self._zeros(input) if c0 is None else c0
        gates = linear(input, self.weight_ih, self.bias_ih) + linear(h0, self.weight_hh, self.bias_hh)
        i, f, g, o = join.chunk(gates, 4, dim=1)
        c = sigmoid(f) * c0 + sigmoid(i) * tanh(g)
        h = sigmoid(o) * tanh(c)
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(_CellBase):
    """One GRU step.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.GRUCell(4, 8)(hw.randn(3, 4)).shape
    (3, 8)
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, unbatched = self._prepare(input, hx)
        hx = self._zeros(input) if hx is None else hx
        xr, xz, xn = join.chunk(linear(input, self.weight_ih, self.bias_ih), 3, dim=1)
        hr, hz, hn = join.chunk(linear(hx, self.weight_hh, self.bias_hh), 3, dim=1)
        r, z = sigmoid(xr + hr), sigmoid(xz + hz)
        n = tanh(xn + r * hn)
        h = n + z * (hx - n)
        return h.squeeze(0) if unbatched else h

