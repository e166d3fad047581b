"""Reverse-mode automatic differentiation, and the nn, optim and save/load built on it.

Importing this package binds Tensor's operator methods (see
:mod:`headwater.autograd.bind`).
"""

from headwater.autograd import bind  # noqa: F401  (binds Tensor's methods)
from headwater.autograd.engine import backward, grad
from headwater.autograd.errors import (
    AutogradError,
    GraphFreedError,
    InplaceModificationError,
    ShapeError,
)
from headwater.autograd.function import Function, FunctionCtx
from headwater.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from headwater.autograd.gradcheck import gradcheck

__all__ = [
    "AutogradError",
    "Function",
    "FunctionCtx",
    "GraphFreedError",
    "InplaceModificationError",
    "ShapeError",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "set_grad_enabled",
]
