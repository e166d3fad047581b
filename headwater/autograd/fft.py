"""``hw.fft``, as ``torch.fft``: discrete Fourier transforms, their sample
frequencies and shifts (the work lives in :mod:`headwater.autograd.ops.fourier`).

Examples
--------
>>> import headwater as hw
>>> x = hw.as_tensor([0.0, 1.0, 0.0, -1.0], dtype=hw.float64)
>>> spectrum = hw.fft.rfft(x)
>>> spectrum.dtype, [round(abs(v), 6) for v in spectrum.tolist()]
(dtype('complex128'), [0.0, 2.0, 0.0])
"""

from headwater.autograd.ops.fourier import (
    fft,
    fft2,
    fftfreq,
    fftn,
    fftshift,
    ifft,
    ifft2,
    ifftn,
    ifftshift,
    irfft,
    rfft,
    rfft2,
    rfftfreq,
    rfftn,
)

__all__ = [
    "fft", "fft2", "fftfreq", "fftn", "fftshift", "ifft", "ifft2", "ifftn", "ifftshift", "irfft",
    "rfft", "rfft2", "rfftfreq", "rfftn",
]
