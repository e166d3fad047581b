"""Model classes that bare-model artifacts name, so that loading builds them from code
in the package and never from the artifact.

A bare-model artifact's ``meta.json`` says ``"architecture": {"name": ..., "kwargs":
{...}}``; :data:`ARCHITECTURES` maps the name to a constructor here.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd import nn

__all__ = ["ARCHITECTURES", "digits_cnn", "CharLSTM", "build_architecture"]


def digits_cnn(num_classes: int = 10) -> nn.Module:
    """The CNN for 8x8 grey images (scikit-learn's digits): two 3x3 convolutions with
    max pooling, then a linear classifier. Takes ``(N, 1, 8, 8)`` floats in [0, 1].

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.hub.architectures import digits_cnn
    >>> digits_cnn()(hw.zeros(2, 1, 8, 8)).shape
    (2, 10)
    """
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 4 x 4
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),                      # 32 x 2 x 2
        nn.Flatten(), nn.Dropout(0.1), nn.Linear(32 * 2 * 2, num_classes),
    )


class CharLSTM(nn.Module):
    """A character language model: an embedding, an LSTM and a linear head over the vocabulary.

    ``forward(codes, state=None)`` takes ``(N, T)`` int64 character codes and returns
    ``(logits (N, T, vocab), state)``.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.hub.architectures import CharLSTM
    >>> logits, _ = CharLSTM(30, hidden=8)(hw.zeros(2, 5, dtype=hw.int64))
    >>> logits.shape
    (2, 5, 30)
    """

    def __init__(self, vocab: int, embed: int = 32, hidden: int = 128, layers: int = 2) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True,
                            dropout=0.1 if layers > 1 else 0.0)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x: Any, state: Any = None) -> Any:
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


ARCHITECTURES: dict[str, Any] = {"digits_cnn": digits_cnn, "char_lstm": CharLSTM}


def build_architecture(spec: dict[str, Any], where: str) -> nn.Module:
    """The module an artifact's ``architecture`` entry names, built with its ``kwargs``.

    Raises
    ------
    HubError
        The name is not one this Headwater knows.

    Examples
    --------
    >>> from headwater.hub.architectures import build_architecture
    >>> type(build_architecture({"name": "char_lstm", "kwargs": {"vocab": 5, "hidden": 4}}, "demo")).__name__
    'CharLSTM'
    """
    from headwater.hub.errors import HubError

    name = spec.get("name") if isinstance(spec, dict) else None
    if name not in ARCHITECTURES:
        raise HubError(f"{where}: architecture {name!r} is not one this Headwater builds; known: "
                       f"{', '.join(sorted(ARCHITECTURES))} (a newer Headwater may know it)")
    return ARCHITECTURES[name](**dict(spec.get("kwargs") or {}))
