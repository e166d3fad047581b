"""``hw.backends``: the switches of ``torch.backends`` that scripts set or read.

Headwater's kernels are NumPy's and CuPy's; these switches are accepted so that
scripts run unchanged, and they say what they do here. ``cudnn.benchmark`` and
``cudnn.deterministic`` change nothing: Headwater picks no convolution algorithms by
timing, and its GPU reductions are those of CuPy. ``mps.is_available()`` is False:
there is no Apple-GPU backend.

Examples
--------
>>> import headwater as hw
>>> hw.backends.cudnn.benchmark = True
>>> hw.backends.mps.is_available(), hw.backends.cudnn.enabled
(False, True)
"""

from __future__ import annotations

from headwater.tensor.backend.cuda import cuda_status

__all__ = ["cudnn", "mps", "cuda"]


class _Cudnn:
    """``torch.backends.cudnn``: ``enabled benchmark deterministic allow_tf32``."""

    def __init__(self) -> None:
        self.enabled = True
        self.benchmark = False
        self.deterministic = False
        self.allow_tf32 = True

    def is_available(self) -> bool:
        """Whether a GPU is usable (CuPy's kernels stand where torch calls cuDNN)."""
        return cuda_status()[0]

    def version(self) -> int | None:
        """None: Headwater does not call cuDNN itself."""
        return None


class _Mps:
    """``torch.backends.mps``: Headwater has no Apple-GPU backend."""

    def is_available(self) -> bool:
        """False: there is no MPS backend."""
        return False

    def is_built(self) -> bool:
        """False: there is no MPS backend."""
        return False


class _Matmul:
    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True


class _Cuda:
    """``torch.backends.cuda``: ``matmul.allow_tf32`` and ``is_built()``."""

    def __init__(self) -> None:
        self.matmul = _Matmul()

    def is_built(self) -> bool:
        """Whether the GPU backend (CuPy) is usable."""
        return cuda_status()[0]


cudnn = _Cudnn()
mps = _Mps()
cuda = _Cuda()
