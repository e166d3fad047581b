"""Recurrent sequence kernels: one op per layer and direction for RNN, LSTM and GRU.

The input projection of every time step is one matrix product done before the op
(``linear`` on all rows at once); the op then runs the recurrence: per step one
product with ``weight_hh`` and the gate arithmetic, and its backward is the matching
reverse sweep, with the ``weight_hh`` gradient as one product over all steps at the
end. Nothing per step goes through the autograd graph.

Rows are time-major and packed as in a ``PackedSequence``: step ``t`` holds the first
``batch_sizes[t]`` sequences (sorted by decreasing length), so padded batches are the
special case ``batch_sizes = [B] * T``. Sequences that have ended keep their last
state, which is why ``h_n`` is each sequence's state at its own last step. Gate
orders are PyTorch's: ``i, f, g, o`` for LSTM and ``r, z, n`` for GRU.

Inputs are always ``(xproj, weight_hh, bias_hh or None, h0[, c0[, weight_hr]])``. Each op returns one array, the outputs of all rows followed by the final states
(``h_n``, and ``c_n`` for LSTM), which the caller slices apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd.function import Op, xp_of

__all__ = ["LSTMSequence", "ProjectedLSTMSequence", "GRUSequence", "RNNSequence", "step_rows"]


def step_rows(batch_sizes: Sequence[int], reverse: bool) -> list[tuple[int, int]]:
    """``(start, size)`` of each step's rows, in the order the recurrence visits them."""
    spans, start = [], 0
    for bs in batch_sizes:
        spans.append((start, int(bs)))
        start += int(bs)
    return spans[::-1] if reverse else spans


def _sigmoid(xp, x):
    # tanh form: exact, and no overflow warning for large negative inputs
    return 0.5 * (xp.tanh(0.5 * x) + 1.0)


class LSTMSequence(Op):
    """The LSTM recurrence; with ``w_hr`` (PyTorch's ``proj_size``) the state is
    projected each step, ``h = (o * tanh(c)) @ w_hr^T``, and since ``h`` and ``c`` then
    differ in width the output is flat: ``y``, ``h_n`` and ``c_n`` raveled one after
    the other (:class:`ProjectedLSTMSequence`)."""

    saves = (1,)

    def forward(self, xproj, w_hh, b_hh=None, h0=None, c0=None, w_hr=None, batch_sizes=(), reverse=False):
        xp = xp_of(xproj)
        n, hidden, width = xproj.shape[0], w_hh.shape[0] // 4, w_hh.shape[1]
        h, c = h0.copy(), c0.copy()
        acts = xp.empty((n, 4 * hidden), dtype=xproj.dtype)
        hprev = xp.empty((n, width), dtype=xproj.dtype)
        cprev = xp.empty((n, hidden), dtype=xproj.dtype)
        tanh_c = xp.empty((n, hidden), dtype=xproj.dtype)
        y = xp.empty((n, width), dtype=xproj.dtype)
        # All four gates through one tanh: sigmoid(x) = 0.5 * tanh(x / 2) + 0.5, so the
        # i, f, o columns of the weights and inputs are halved once up front, and per
        # step the activations are tanh, one multiply and one add over (B, 4H).
        half = xp.full(4 * hidden, 0.5, dtype=xproj.dtype)
        half[2 * hidden:3 * hidden] = 1.0
        offset = xp.full(4 * hidden, 0.5, dtype=xproj.dtype)
        offset[2 * hidden:3 * hidden] = 0.0
        w_t = w_hh.T * half
        pre = xproj * half if b_hh is None else (xproj + b_hh) * half
        spans = step_rows(batch_sizes, reverse)
        for start, bs in spans:
            rows = slice(start, start + bs)
            a = acts[rows]
            xp.matmul(h[:bs], w_t, out=a)
            a += pre[rows]
            xp.tanh(a, out=a)
            a *= half
            a += offset
            i, f, g, o = a[:, :hidden], a[:, hidden:2 * hidden], a[:, 2 * hidden:3 * hidden], a[:, 3 * hidden:]
            hprev[rows] = h[:bs]
            cprev[rows] = c[:bs]
            c_new = f * c[:bs]
            c_new += i * g
            tc = tanh_c[rows]
            xp.tanh(c_new, out=tc)
            c[:bs] = c_new
            if w_hr is None:
                xp.multiply(o, tc, out=y[rows])
            else:
                y[rows] = (o * tc) @ w_hr.T
            h[:bs] = y[rows]
        self.saved = (acts, hprev, cprev, tanh_c, w_hh, w_hr, spans, b_hh is not None)
        if w_hr is None:
            return xp.concatenate([y, h, c], axis=0)
        return xp.concatenate([y.ravel(), h.ravel(), c.ravel()])

    def backward(self, gz):
        xp = xp_of(gz)
        acts, hprev, cprev, tanh_c, w_hh, w_hr, spans, has_bias = self.saved
        (n, width), hidden = hprev.shape, tanh_c.shape[1]
        if w_hr is None:
            b = (gz.shape[0] - n) // 2
            gy, gh, gc = gz[:n], gz[n:n + b].copy(), gz[n + b:].copy()
        else:
            b = (gz.shape[0] - n * width) // (width + hidden)
            split = n * width + b * width
            gy = gz[:n * width].reshape(n, width)
            gh = gz[n * width:split].reshape(b, width).copy()
            gc = gz[split:].reshape(b, hidden).copy()
            gproj = xp.empty((n, width), dtype=gz.dtype)
        gpre = xp.empty((n, 4 * hidden), dtype=gz.dtype)
        # the gates' and tanh(c)'s derivatives for all rows at once, outside the loop
        deriv = acts * (1.0 - acts)  # sigmoid' for i, f, o
        gate = acts[:, 2 * hidden:3 * hidden]
        deriv[:, 2 * hidden:3 * hidden] = 1.0 - gate * gate  # tanh' for g
        dtanh = 1.0 - tanh_c * tanh_c
        for start, bs in reversed(spans):
            rows = slice(start, start + bs)
            a = acts[rows]
            i, f, g, o = a[:, :hidden], a[:, hidden:2 * hidden], a[:, 2 * hidden:3 * hidden], a[:, 3 * hidden:]
            dh = gy[rows] + gh[:bs]
            if w_hr is not None:
                gproj[rows] = dh
                dh = dh @ w_hr
            dc = dh * o
            dc *= dtanh[rows]
            dc += gc[:bs]
            d = gpre[rows]
            xp.multiply(dc, g, out=d[:, :hidden])
            xp.multiply(dc, cprev[rows], out=d[:, hidden:2 * hidden])
            xp.multiply(dc, i, out=d[:, 2 * hidden:3 * hidden])
            xp.multiply(dh, tanh_c[rows], out=d[:, 3 * hidden:])
            d *= deriv[rows]
            xp.multiply(dc, f, out=gc[:bs])
            xp.matmul(d, w_hh, out=gh[:bs])
        needs = self.needs
        g_w = gpre.T @ hprev if needs[1] else None
        g_b = gpre.sum(axis=0) if has_bias and needs[2] else None
        if w_hr is None:
            return gpre, g_w, g_b, gh, gc
        g_hr = gproj.T @ (acts[:, 3 * hidden:] * tanh_c) if needs[5] else None
        return gpre, g_w, g_b, gh, gc, g_hr


class ProjectedLSTMSequence(LSTMSequence):
    """:class:`LSTMSequence` with ``w_hr`` given (its own name: ONNX's LSTM has no projection)."""


class GRUSequence(Op):
    saves = (1,)

    def forward(self, xproj, w_hh, b_hh=None, h0=None, batch_sizes=(), reverse=False):
        xp = xp_of(xproj)
        n, hidden = xproj.shape[0], w_hh.shape[1]
        h = h0.copy()
        rz = xp.empty((n, 2 * hidden), dtype=xproj.dtype)
        cand = xp.empty((n, hidden), dtype=xproj.dtype)
        hh_n = xp.empty((n, hidden), dtype=xproj.dtype)
        hprev = xp.empty((n, hidden), dtype=xproj.dtype)
        y = xp.empty((n, hidden), dtype=xproj.dtype)
        w_t = w_hh.T
        spans = step_rows(batch_sizes, reverse)
        for start, bs in spans:
            rows = slice(start, start + bs)
            hh = h[:bs] @ w_t
            if b_hh is not None:
                hh += b_hh
            x = xproj[rows]
            gates = _sigmoid(xp, x[:, :2 * hidden] + hh[:, :2 * hidden])
            rz[rows] = gates
            r, z = gates[:, :hidden], gates[:, hidden:]
            hh_n[rows] = hh[:, 2 * hidden:]
            nn = xp.tanh(x[:, 2 * hidden:] + r * hh[:, 2 * hidden:])
            cand[rows] = nn
            hprev[rows] = h[:bs]
            h[:bs] = nn + z * (h[:bs] - nn)
            y[rows] = h[:bs]
        self.saved = (rz, cand, hh_n, hprev, w_hh, spans, b_hh is not None)
        return xp.concatenate([y, h], axis=0)

    def backward(self, gz):
        xp = xp_of(gz)
        rz, cand, hh_n, hprev, w_hh, spans, has_bias = self.saved
        n, hidden = hprev.shape
        gy, gh = gz[:n], gz[n:].copy()
        gx = xp.empty((n, 3 * hidden), dtype=gz.dtype)
        ghh = xp.empty((n, 3 * hidden), dtype=gz.dtype)
        for start, bs in reversed(spans):
            rows = slice(start, start + bs)
            r, z = rz[rows, :hidden], rz[rows, hidden:]
            nn = cand[rows]
            dh = gy[rows] + gh[:bs]
            dn = dh * (1.0 - z) * (1.0 - nn * nn)
            dz = dh * (hprev[rows] - nn) * z * (1.0 - z)
            dr = dn * hh_n[rows] * r * (1.0 - r)
            gx[rows, :hidden] = dr
            gx[rows, hidden:2 * hidden] = dz
            gx[rows, 2 * hidden:] = dn
            d = ghh[rows]
            d[:, :hidden] = dr
            d[:, hidden:2 * hidden] = dz
            d[:, 2 * hidden:] = dn * r
            gh[:bs] = dh * z + d @ w_hh
        needs = self.needs
        g_w = ghh.T @ hprev if needs[1] else None
        g_b = ghh.sum(axis=0) if has_bias and needs[2] else None
        return gx, g_w, g_b, gh


class RNNSequence(Op):
    saves = (1,)

    def forward(self, xproj, w_hh, b_hh=None, h0=None, batch_sizes=(), reverse=False,
                nonlinearity="tanh"):
        xp = xp_of(xproj)
        n, hidden = xproj.shape[0], w_hh.shape[1]
        h = h0.copy()
        hprev = xp.empty((n, hidden), dtype=xproj.dtype)
        y = xp.empty((n, hidden), dtype=xproj.dtype)
        w_t = w_hh.T
        spans = step_rows(batch_sizes, reverse)
        for start, bs in spans:
            rows = slice(start, start + bs)
            pre = xproj[rows] + h[:bs] @ w_t
            if b_hh is not None:
                pre += b_hh
            hprev[rows] = h[:bs]
            h[:bs] = xp.tanh(pre) if nonlinearity == "tanh" else xp.maximum(pre, 0)
            y[rows] = h[:bs]
        self.saved = (y, hprev, w_hh, spans, b_hh is not None, nonlinearity)
        return xp.concatenate([y, h], axis=0)

    def backward(self, gz):
        xp = xp_of(gz)
        y, hprev, w_hh, spans, has_bias, nonlinearity = self.saved
        n = y.shape[0]
        gy, gh = gz[:n], gz[n:].copy()
        gpre = xp.empty_like(y)
        for start, bs in reversed(spans):
            rows = slice(start, start + bs)
            dh = gy[rows] + gh[:bs]
            out = y[rows]
            d = dh * (1.0 - out * out) if nonlinearity == "tanh" else dh * (out > 0)
            gpre[rows] = d
            gh[:bs] = d @ w_hh
        needs = self.needs
        g_w = gpre.T @ hprev if needs[1] else None
        g_b = gpre.sum(axis=0) if has_bias and needs[2] else None
        return gpre, g_w, g_b, gh
