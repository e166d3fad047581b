"""One float32 matrix product at start-up that puts OpenBLAS on its fast path.

Measured on a 2-core AMD EPYC (NumPy 2.4's bundled OpenBLAS 0.3.31, Haswell kernels,
also SciPy's 0.3.30): float32 products with every dimension below about 350, such as
the ``(256, 256) @ (256, 256)`` of an MLP's hidden layer, run at about 10 GFLOP/s,
slower than float64, for as long as the process has made no larger float32 product.
After one product of ``(256, 256) @ (256, 512)`` the same small products run at
35-42 GFLOP/s, in every thread, for the rest of the process. The state is OpenBLAS's
own (the arrays, their alignment and the output buffer make no difference), so the
NumPy backend makes that one product when it is created: about 2 ms, once. It made
Headwater's MLP training step 2.8 times faster on that machine (benchmarks/RESULTS.md,
"OpenBLAS priming").
"""

from __future__ import annotations

import numpy as np

_primed = False


def prime_blas() -> bool:
    """Run the priming product once per process; return True on the call that ran it."""
    global _primed
    if _primed:
        return False
    _primed = True
    left = np.ones((256, 256), dtype=np.float32)
    right = np.ones((256, 512), dtype=np.float32)
    np.matmul(left, right)
    return True
