"""``hw.Generator``: a seeded random stream on one device, as ``torch.Generator``.

Each device has a default generator, which the random functions draw from unless
they are given ``generator=``; ``hw.manual_seed`` reseeds them all. A generator wraps
the device's own ``xp`` generator (NumPy's PCG64, CuPy's XORWOW), so the same seed
gives the same values on one device, different values on the CPU and a GPU, and
never torch's values.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from headwater.tensor.backend.cuda import cuda_status
from headwater.tensor.devices import Device, get_backend
from headwater.tensor.tensor import Tensor

__all__ = ["Generator", "default_generator", "default_for", "resolve", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state"]

_seed: list[int | None] = [None]  # the last hw.manual_seed, for defaults created later
_defaults: dict[str, Generator] = {}


def _fresh_seed() -> int:
    return int.from_bytes(os.urandom(8), "little") >> 1


class Generator:
    """A random stream on ``device`` (the CPU by default).

    Examples
    --------
    >>> import headwater as hw
    >>> g = hw.Generator().manual_seed(7)
    >>> a = hw.rand(3, generator=g)
    >>> _ = g.manual_seed(7)
    >>> a.tolist() == hw.rand(3, generator=g).tolist(), g.initial_seed()
    (True, 7)
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = Device(device)
        self._initial = _fresh_seed()
        self._rng: Any = None  # made on first draw, so a CUDA generator costs nothing until used

    @property
    def rng(self) -> Any:
        """The device's own generator object (NumPy or CuPy), seeded."""
        if self._rng is None:
            self._rng = get_backend(self.device).random_state(self._initial)
        return self._rng

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from ``seed`` and return this generator."""
        seed = int(seed)
        if seed < 0:
            seed &= (1 << 64) - 1  # torch accepts negative seeds as their unsigned value
        self._initial = seed
        self._rng = None
        return self

    def seed(self) -> int:
        """Restart the stream from a fresh, nondeterministic seed and return it."""
        self.manual_seed(_fresh_seed())
        return self._initial

    def initial_seed(self) -> int:
        """The seed this stream started from."""
        return self._initial

    def get_state(self) -> Tensor:
        """The stream's position, as a uint8 CPU tensor for :meth:`set_state`.

        Raises
        ------
        NotImplementedError
            On a GPU: CuPy's generators do not expose their state; reseed with
            ``manual_seed`` to replay a stream there.
        """
        if self.device.type != "cpu":
            raise NotImplementedError(
                "get_state() of a cuda Generator: CuPy's generators do not expose their "
                "state; reseed with manual_seed(seed) to replay the stream"
            )
        state = {"seed": self._initial, "bit_generator": self.rng.bit_generator.state}
        data = np.frombuffer(json.dumps(state).encode(), dtype=np.uint8).copy()
        return Tensor(data)

    def set_state(self, new_state: Tensor) -> Generator:
        """Return the stream to a position saved by :meth:`get_state`."""
        if self.device.type != "cpu":
            raise NotImplementedError(
                "set_state() of a cuda Generator: CuPy's generators do not expose their "
                "state; reseed with manual_seed(seed) to replay the stream"
            )
        if not isinstance(new_state, Tensor) or new_state.dtype != np.dtype("uint8"):
            raise TypeError("set_state expects the uint8 tensor returned by get_state()")
        try:
            state = json.loads(bytes(new_state.numpy()).decode())
            self._initial = int(state["seed"])
            rng = get_backend("cpu").random_state(0)
            rng.bit_generator.state = state["bit_generator"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise ValueError(f"set_state: not a state saved by Generator.get_state() ({exc})") from None
        self._rng = rng
        return self

    def __repr__(self) -> str:
        return f"Generator(device='{self.device}')"


def default_for(device: Any = None) -> Generator:
    """The default generator of ``device`` (of the default device when None)."""
    dev = Device(device)
    gen = _defaults.get(dev.type)
    if gen is None:
        gen = _defaults[dev.type] = Generator(dev.type)
        if _seed[0] is not None:
            gen.manual_seed(_seed[0])
    return gen


# Called on every draw while headwater.jit records a trace (None otherwise).
_draw_hook: Any = None


def resolve(generator: Generator | None, device: Device) -> Any:
    """The xp generator to draw from for a tensor on ``device``.

    Raises
    ------
    ValueError
        ``generator`` belongs to another device.
    """
    if _draw_hook is not None:
        _draw_hook()
    if generator is None:
        return default_for(device).rng
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a hw.Generator, got {type(generator).__name__}")
    if generator.device.type != device.type:
        raise ValueError(
            f"the generator is on {generator.device.type} but the tensor is made on "
            f"{device.type}; use hw.Generator(device={device.type!r})"
        )
    return generator.rng


def manual_seed(seed: int) -> None:
    """Seed the default generators of every device.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(0); a = hw.rand(2)
    >>> hw.manual_seed(0); b = hw.rand(2)
    >>> a.tolist() == b.tolist()
    True
    """
    _seed[0] = int(seed)
    for gen in _defaults.values():
        gen.manual_seed(seed)


def seed() -> int:
    """Seed every device's default generator from fresh entropy; return the seed."""
    value = _fresh_seed()
    manual_seed(value)
    return value


def initial_seed() -> int:
    """The seed of the CPU's default generator.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(3); hw.initial_seed()
    3
    """
    return default_for("cpu").initial_seed()


def get_rng_state() -> Tensor:
    """The CPU default generator's state (see :meth:`Generator.get_state`).

    Examples
    --------
    >>> import headwater as hw
    >>> state = hw.get_rng_state(); a = hw.rand(2)
    >>> hw.set_rng_state(state); a.tolist() == hw.rand(2).tolist()
    True
    """
    return default_for("cpu").get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the CPU default generator's state saved by :func:`get_rng_state`."""
    default_for("cpu").set_state(new_state)


def seed_cuda(value: int | None) -> None:
    """Reseed the GPU's default generator (a no-op without a GPU, as in torch)."""
    if not cuda_status()[0]:
        return
    gen = default_for("cuda")
    if value is None:
        gen.seed()
    else:
        gen.manual_seed(value)


default_generator = default_for("cpu")  # hw.default_generator, as torch.default_generator
