"""``hw.linalg``, as ``torch.linalg``: norms, solves, inverses, determinants and
decompositions (the functions live in :mod:`headwater.autograd.ops`).

Examples
--------
>>> import headwater as hw
>>> A = hw.as_tensor([[2.0, 1.0], [1.0, 3.0]], dtype=hw.float64)
>>> x = hw.linalg.solve(A, hw.as_tensor([3.0, 4.0], dtype=hw.float64))
>>> [round(v, 6) for v in x.tolist()]
[1.0, 1.0]
"""

from headwater.autograd.ops.decompositions import (
    LinAlgError,
    cholesky,
    det,
    inv,
    matrix_power,
    qr,
    slogdet,
    solve,
)
from headwater.autograd.ops.legacy_linalg import linalg_cross as cross
from headwater.autograd.ops.legacy_linalg import multi_dot, vecdot
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.norms import linalg_norm as norm
from headwater.autograd.ops.norms import matrix_norm, vector_norm
from headwater.autograd.ops.spectral import eigh, eigvalsh, lstsq, matrix_rank, pinv, svd, svdvals

__all__ = [
    "LinAlgError", "cholesky", "cross", "det", "eigh", "eigvalsh", "inv", "lstsq", "matmul", "matrix_norm",
    "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve",
    "svd", "svdvals", "vecdot", "vector_norm",
]
