"""``hw.cuda``: the GPU questions and controls of ``torch.cuda``, over CuPy.

On a machine without a usable GPU the functions answer as torch does there:
``is_available()`` is False, ``device_count()`` 0, memory counters 0, seeding and
``empty_cache`` do nothing, and the calls that need a GPU (``current_device``,
``synchronize``, ``Event``, ``Stream``...) raise :class:`DeviceUnavailableError`
naming what is missing. ``hw.cuda.amp`` (the mixed-precision names) lives in
autograd, which sits above this layer: :mod:`headwater.autograd.cuda_amp`.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor import devices, generator
from headwater.tensor.backend.cuda import cuda_status
from headwater.tensor.devices import Device, DeviceUnavailableError

__all__ = [
    "is_available", "device_count", "current_device", "set_device", "get_device_name",
    "get_device_properties", "synchronize", "manual_seed", "manual_seed_all", "seed",
    "memory_allocated", "max_memory_allocated", "memory_reserved", "reset_peak_memory_stats",
    "empty_cache", "is_bf16_supported", "Event", "Stream", "stream", "current_stream",
]

_peak = [0]


def is_available() -> bool:
    """Whether a GPU can be used (CuPy installed and a CUDA device present).

    Examples
    --------
    >>> import headwater as hw
    >>> isinstance(hw.cuda.is_available(), bool)
    True
    """
    return cuda_status()[0]


def _cupy() -> Any:
    """The GPU array module, through the device layer (raises without a GPU)."""
    return devices.get_backend("cuda").xp


def _need(what: str) -> Any:
    ok, why = cuda_status()
    if not ok:
        raise DeviceUnavailableError(
            f"hw.cuda.{what} needs a GPU, and none is usable: {why}. "
            f"Check hw.cuda.is_available() first, or run on device='cpu'."
        )
    return _cupy()


def device_count() -> int:
    """The number of visible GPUs (0 without CUDA).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cuda.device_count() == (hw.cuda.device_count() if hw.cuda.is_available() else 0)
    True
    """
    if not is_available():
        return 0
    return int(_cupy().cuda.runtime.getDeviceCount())


def current_device() -> int:
    """The index of the current GPU."""
    return int(_need("current_device()").cuda.Device().id)


def set_device(device: int | str | Device) -> None:
    """Make GPU ``device`` (an index or ``"cuda:N"``) the current one."""
    cp = _need("set_device()")
    index = device if isinstance(device, int) else (Device(device).index or 0)
    cp.cuda.Device(index).use()


def _index(device: Any) -> int:
    if device is None:
        return current_device()
    if isinstance(device, int):
        return device
    return Device(device).index or 0


def get_device_properties(device: Any = None) -> dict[str, Any]:
    """Name, memory and compute capability of a GPU, as a dict."""
    cp = _need("get_device_properties()")
    props = cp.cuda.runtime.getDeviceProperties(_index(device))
    name = props["name"]
    return {
        "name": name.decode() if isinstance(name, bytes) else str(name),
        "total_memory": int(props["totalGlobalMem"]),
        "major": int(props["major"]),
        "minor": int(props["minor"]),
        "multi_processor_count": int(props["multiProcessorCount"]),
    }


def get_device_name(device: Any = None) -> str:
    """The name of a GPU (the current one by default)."""
    return get_device_properties(device)["name"]


def synchronize(device: Any = None) -> None:
    """Wait until the GPU has finished all queued work."""
    cp = _need("synchronize()")
    cp.cuda.Device(_index(device)).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the GPU's random generator (a no-op without CUDA, as in torch).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cuda.manual_seed(0)
    """
    generator.seed_cuda(seed)


def manual_seed_all(seed: int) -> None:
    """Seed every GPU's random generator (Headwater drives one GPU per process)."""
    manual_seed(seed)


def seed() -> None:
    """Seed the GPU's random generator from fresh entropy."""
    generator.seed_cuda(None)


def track_peak(cp: Any) -> None:
    """Count the high-water mark of the default memory pool (installed with the CUDA
    backend, so that ``max_memory_allocated`` covers the whole run)."""
    pool = cp.get_default_memory_pool()

    def malloc(size: int) -> Any:
        memory = pool.malloc(size)
        used = pool.used_bytes()
        if used > _peak[0]:
            _peak[0] = used
        return memory

    cp.cuda.set_allocator(malloc)


def memory_allocated(device: Any = None) -> int:
    """Bytes held by live GPU arrays (0 without CUDA)."""
    if not is_available():
        return 0
    return int(_cupy().get_default_memory_pool().used_bytes())


def max_memory_allocated(device: Any = None) -> int:
    """The most bytes live GPU arrays held at once since start or the last
    :func:`reset_peak_memory_stats` (0 without CUDA)."""
    if not is_available():
        return 0
    return max(_peak[0], memory_allocated())


def memory_reserved(device: Any = None) -> int:
    """Bytes the memory pool holds, in use or cached (0 without CUDA)."""
    if not is_available():
        return 0
    return int(_cupy().get_default_memory_pool().total_bytes())


def reset_peak_memory_stats(device: Any = None) -> None:
    """Start the :func:`max_memory_allocated` high-water mark again from now."""
    _need("reset_peak_memory_stats()")
    _peak[0] = memory_allocated()


def empty_cache() -> None:
    """Hand cached, unused GPU memory back to the driver (a no-op without CUDA)."""
    if is_available():
        _cupy().get_default_memory_pool().free_all_blocks()


def is_bf16_supported() -> bool:
    """False: NumPy and CuPy have no bfloat16 arrays (see ``hw.bfloat16``)."""
    return False


class Stream:
    """A CUDA stream, as ``torch.cuda.Stream``; ``with hw.cuda.stream(s):`` runs
    the enclosed GPU work on it."""

    def __init__(self, device: Any = None, priority: int = 0) -> None:
        cp = _need("Stream()")
        self.device = Device("cuda", _index(device))
        self.cuda_stream = cp.cuda.Stream(non_blocking=True, priority=priority)

    def synchronize(self) -> None:
        """Wait for the work queued on this stream."""
        self.cuda_stream.synchronize()

    def query(self) -> bool:
        """Whether all work queued on this stream has finished."""
        return bool(self.cuda_stream.done)

    def wait_event(self, event: Event) -> None:
        """Make later work on this stream wait for ``event``."""
        self.cuda_stream.wait_event(event.cuda_event)

    def wait_stream(self, stream: Stream) -> None:
        """Make later work on this stream wait for the work queued on ``stream``."""
        self.wait_event(stream.record_event())

    def record_event(self, event: Event | None = None) -> Event:
        """Record ``event`` (a new one when None) on this stream and return it."""
        event = Event() if event is None else event
        event.record(self)
        return event

    def __enter__(self) -> Stream:
        self.cuda_stream.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cuda_stream.__exit__(*exc)


def current_stream(device: Any = None) -> Stream:
    """The stream GPU work is queued on now."""
    cp = _need("current_stream()")
    out = Stream.__new__(Stream)
    out.device = Device("cuda", _index(device))
    out.cuda_stream = cp.cuda.get_current_stream()
    return out


def stream(s: Stream | None) -> Any:
    """A context manager that queues GPU work on ``s`` (the current stream when None)."""
    return s if s is not None else current_stream()


class Event:
    """A CUDA event, as ``torch.cuda.Event``: ``record``, ``synchronize``,
    ``query`` and ``elapsed_time`` (milliseconds) between two timed events."""

    def __init__(self, enable_timing: bool = False, blocking: bool = False,
                 interprocess: bool = False) -> None:
        cp = _need("Event()")
        if interprocess:
            raise NotImplementedError("Event(interprocess=True) is not supported; "
                                      "share results through hw.save files instead")
        self.cuda_event = cp.cuda.Event(block=blocking, disable_timing=not enable_timing)

    def record(self, stream: Stream | None = None) -> None:
        """Mark this point of ``stream`` (the current stream when None)."""
        self.cuda_event.record(None if stream is None else stream.cuda_stream)

    def synchronize(self) -> None:
        """Wait until the recorded point has been reached."""
        self.cuda_event.synchronize()

    def query(self) -> bool:
        """Whether the recorded point has been reached."""
        return bool(self.cuda_event.done)

    def wait(self, stream: Stream | None = None) -> None:
        """Make ``stream`` (the current one when None) wait for this event."""
        (stream or current_stream()).wait_event(self)

    def elapsed_time(self, end_event: Event) -> float:
        """Milliseconds from this event to ``end_event`` (both recorded with timing)."""
        return float(_cupy().cuda.get_elapsed_time(self.cuda_event, end_event.cuda_event))
