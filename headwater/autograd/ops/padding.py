"""``F.pad``: constant, reflect, replicate and circular padding, and negative
padding (cropping), as in PyTorch.

Negative amounts crop first; the positive ones then pad what is left. The
non-constant modes read each output position from a source position along every
padded dimension (``xp.pad`` of ``arange(n)`` gives that map), so backward adds the
gradient of every copy back to its source.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd.function import Op, xp_of
from headwater.tensor.tensor import Tensor

__all__ = ["pad"]

_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


class Pad(Op):
    def forward(self, a, width=(), mode="constant", value=0.0):
        xp = xp_of(a)
        self.shape = a.shape
        self.crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(width, a.shape))
        grow = tuple((max(lo, 0), max(hi, 0)) for lo, hi in width)
        self.grow, self.mode = grow, mode
        a = a[self.crop]
        if mode == "constant":
            return xp.pad(a, grow, mode="constant", constant_values=value)
        self.maps = []
        for axis, ((lo, hi), n) in enumerate(zip(grow, a.shape)):
            if lo or hi:
                source = xp.pad(xp.arange(n), (lo, hi), mode=_MODES[mode])
                a = xp.take(a, source, axis=axis)
                self.maps.append((axis, lo, n, source))
        return a

    def backward(self, g):
        xp = xp_of(g)
        if self.mode == "constant":
            g = g[tuple(slice(lo, g.shape[i] - hi) for i, (lo, hi) in enumerate(self.grow))]
        else:
            for axis, lo, n, source in reversed(self.maps):
                lead = (slice(None),) * axis
                inner = g[lead + (slice(lo, lo + n),)].copy()  # the copy of each position itself
                border = xp.concatenate([xp.arange(lo), xp.arange(lo + n, g.shape[axis])])
                if border.size:
                    xp.add.at(inner, lead + (source[border],), g[lead + (border,)])
                g = inner
        if g.shape == self.shape:
            return g
        full = xp.zeros(self.shape, g.dtype)
        full[self.crop] = g
        return full


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad ``input``: ``pad`` lists (before, after) amounts starting from the last
    dimension, as in PyTorch; negative amounts crop. ``mode`` is ``"constant"``
    (``value``, default 0), ``"reflect"`` (mirror without repeating the edge),
    ``"replicate"`` (repeat the edge) or ``"circular"`` (wrap around). Unlike
    PyTorch, the non-constant modes also pad leading dimensions when asked to.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 2.0, 3.0]])
    >>> F = hw.nn.functional
    >>> F.pad(x, (1, 0)).tolist(), F.pad(x, (2, 1), mode="reflect").tolist()
    ([[0.0, 1.0, 2.0, 3.0]], [[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]])
    >>> F.pad(x, (1, -1), mode="replicate").tolist(), F.pad(x, (0, 2), mode="circular").tolist()
    ([[1.0, 1.0, 2.0]], [[1.0, 2.0, 3.0, 1.0, 2.0]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"pad: expected a Tensor, got {type(input).__name__}")
    if mode not in _MODES:
        raise ValueError(f"pad: mode must be one of {sorted(_MODES)}, got {mode!r}")
    if mode != "constant" and value not in (None, 0, 0.0):
        raise ValueError(f"pad: value={value} only applies to mode='constant', not {mode!r}")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ValueError(f"pad: {pad} must hold (before, after) pairs for at most {input.ndim} dimension(s)")
    width = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = input.shape[dim]
        left = n - max(-lo, 0) - max(-hi, 0)
        if left < 0:
            raise ValueError(f"pad: cropping {(-min(lo, 0), -min(hi, 0))} removes more than dimension {dim}'s {n}")
        grow = max(lo, 0), max(hi, 0)
        if mode == "reflect" and max(grow) >= max(left, 1):
            raise ValueError(
                f"pad: reflect padding {grow} must be less than the size {left} of dimension {dim}"
            )
        if mode == "circular" and max(grow) > left:
            raise ValueError(f"pad: circular padding {grow} would wrap around dimension {dim} (size {left}) more than once")
        if mode == "replicate" and left == 0 and any(grow):
            raise ValueError(f"pad: cannot replicate the edge of the empty dimension {dim}")
        width[dim] = (lo, hi)
    return Pad.apply(input, width=tuple(width), mode=mode, value=0.0 if value is None else value)
