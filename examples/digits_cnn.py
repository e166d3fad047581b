"""A small CNN that learns scikit-learn's bundled 8x8 handwritten digits.

    python examples/digits_cnn.py            # about 10 seconds on a laptop CPU

Two 3x3 convolutions with max pooling, then a linear classifier, trained with Adam on
80% of the 1,797 images and evaluated on the rest. The code is PyTorch's, written
against ``headwater``: ``hw.nn.Conv2d``, ``hw.nn.BatchNorm2d``, ``hw.nn.MaxPool2d``, and
mini-batches gathered from tensors that stay on the device.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits

import headwater as hw
from headwater.hub.architectures import digits_cnn


def build() -> hw.nn.Module:
    """The network, defined once in the package so that the hub's pretrained
    ``hw.hub.load("digits_cnn")`` is this model (see headwater/hub/architectures.py)."""
    return digits_cnn()


def main(epochs: int = 15, batch_size: int = 64, seed: int = 0) -> dict:
    hw.manual_seed(seed)
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]  # (N, 1, 8, 8) in [0, 1]
    order = np.random.default_rng(seed).permutation(len(images))
    cut = int(0.8 * len(images))
    train, test = order[:cut], order[cut:]
    x_train, y_train = hw.as_tensor(images[train]), hw.as_tensor(digits.target[train])
    x_test, y_test = hw.as_tensor(images[test]), hw.as_tensor(digits.target[test])

    model = build()
    opt = hw.optim.Adam(model.parameters(), lr=5e-3)
    loss_fn = hw.nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        perm = hw.randperm(len(x_train))
        for start in range(0, len(x_train), batch_size):
            idx = perm[start:start + batch_size]
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with hw.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
    return {"epochs": epochs, "final_train_loss": loss.item(), "test_accuracy": accuracy, "model": model}


if __name__ == "__main__":
    result = main()
    print(f"test accuracy {result['test_accuracy']:.3f} after {result['epochs']} epochs")
