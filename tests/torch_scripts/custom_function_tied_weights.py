"""Custom autograd Functions, an autoencoder with tied weights, and parameter groups."""

import json
import math

import numpy as np
import torch
import torch.nn as nn


class ScaledTanh(torch.autograd.Function):
    """y = a * tanh(x), with its own backward."""

    @staticmethod
    def forward(ctx, x, a):
        y = torch.tanh(x)
        ctx.save_for_backward(y, a)
        return a * y

    @staticmethod
    def backward(ctx, grad_out):
        y, a = ctx.saved_tensors
        grad_x = grad_out * a * (1 - y * y)
        grad_a = (grad_out * y).sum().reshape(a.shape)
        return grad_x, grad_a


class TiedLinear(torch.autograd.Function):
    """x @ W.T + b written out by hand, so the same W can be used transposed."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x.mm(weight.t()) + bias

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        grad_x = grad_out.mm(weight) if ctx.needs_input_grad[0] else None
        return grad_x, grad_out.t().mm(x), grad_out.sum(0)


class TiedAutoencoder(nn.Module):
    def __init__(self, d=12, k=4):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(k, d))
        self.enc_bias = nn.Parameter(torch.zeros(k))
        self.dec_bias = nn.Parameter(torch.zeros(d))
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        h = ScaledTanh.apply(TiedLinear.apply(x, self.weight, self.enc_bias), self.scale)
        return TiedLinear.apply(h, self.weight.t(), self.dec_bias)  # the decoder shares the weight


def main():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(4, 12))
    data = torch.tensor(np.tanh(rng.normal(size=(256, 4))) @ basis, dtype=torch.float32)

    model = TiedAutoencoder()
    with torch.no_grad():
        model.weight.copy_(torch.sin(torch.arange(48, dtype=torch.float32)).reshape(4, 12) / math.sqrt(12))

    optimizer = torch.optim.Adam([
        {"params": [model.weight], "lr": 0.01, "weight_decay": 1e-3},
        {"params": [model.enc_bias, model.dec_bias]},
        {"params": [model.scale], "lr": 0.002},
    ], lr=0.005)
    losses = []
    for step in range(150):
        batch = data[(step * 32) % 256:(step * 32) % 256 + 32]
        optimizer.zero_grad()
        loss = ((model(batch) - batch) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    x = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
    a = torch.tensor([1.5], dtype=torch.float64, requires_grad=True)
    ok = torch.autograd.gradcheck(ScaledTanh.apply, (x, a), eps=1e-6, atol=1e-5)
    print("RESULT " + json.dumps({"losses": losses, "scale": model.scale.item(),
                                  "weight_norm": model.weight.norm().item(), "gradcheck": bool(ok),
                                  "groups": [g["lr"] for g in optimizer.param_groups]}))


if __name__ == "__main__":
    main()
