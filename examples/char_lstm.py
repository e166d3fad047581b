"""A character-level LSTM language model trained on the project's own README.

    python examples/char_lstm.py             # under a minute on a laptop CPU

An embedding, an LSTM and a linear head predict the next character of 64-character
windows of README.md; the last 10% of the text is held out for the validation loss
(cross-entropy in nats per character; a model that knew nothing would score
``log(vocabulary size)``, about 4.4). Ends by sampling a line of text.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import headwater as hw
from headwater.hub.architectures import CharLSTM

TEXT = Path(__file__).resolve().parents[1] / "README.md"


# The model (an embedding, an LSTM, a linear head) is defined once in the package, so the
# hub can rebuild it from a pretrained artifact: see headwater/hub/architectures.py.


def _windows(codes: np.ndarray, seq: int, rng: np.random.Generator, batch: int):
    starts = rng.integers(0, len(codes) - seq - 1, size=batch)
    rows = starts[:, None] + np.arange(seq + 1)
    chunk = codes[rows]
    return hw.as_tensor(chunk[:, :-1]), hw.as_tensor(chunk[:, 1:])


def main(steps: int = 300, seq: int = 48, batch_size: int = 32, hidden: int = 128, layers: int = 1,
         lr: float = 1e-2, seed: int = 0, sample: bool = True) -> dict:
    hw.manual_seed(seed)
    text = TEXT.read_text(encoding="utf-8")
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    codes = np.array([index[c] for c in text], dtype=np.int64)
    cut = int(0.9 * len(codes))
    train, valid = codes[:cut], codes[cut:]
    rng = np.random.default_rng(seed)

    model = CharLSTM(len(chars), hidden=hidden, layers=layers)
    opt = hw.optim.Adam(model.parameters(), lr=lr)
    sched = hw.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    loss_fn = hw.nn.CrossEntropyLoss()
    for _ in range(steps):
        model.train()
        x, y = _windows(train, seq, rng, batch_size)
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, len(chars)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        hw.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()

    model.eval()
    with hw.no_grad():
        x, y = _windows(valid, seq, np.random.default_rng(seed + 1), 64)
        logits, _ = model(x)
        valid_loss = loss_fn(logits.reshape(-1, len(chars)), y.reshape(-1)).item()
    result = {"steps": steps, "vocabulary": len(chars), "uniform_loss": math.log(len(chars)),
              "train_loss": loss.item(), "valid_loss": valid_loss, "model": model, "chars": chars,
              "valid_windows": ["".join(chars[int(c)] for c in row) for row in np.concatenate(
                  [x.numpy(), y.numpy()[:, -1:]], axis=1)]}
    if sample:
        result["sample"] = generate(model, chars, index, "Headwater ", 80)
    return result


def generate(model: CharLSTM, chars: list[str], index: dict, prompt: str, length: int) -> str:
    """Continue ``prompt`` by sampling one character at a time."""
    model.eval()
    out = list(prompt)
    with hw.no_grad():
        x = hw.as_tensor([[index[c] for c in prompt if c in index]])
        logits, state = model(x)
        for _ in range(length):
            probs = hw.softmax(logits[0, -1], dim=-1)
            nxt = hw.multinomial(probs, 1)
            out.append(chars[int(nxt.item())])
            logits, state = model(nxt.reshape(1, 1), state)
    return "".join(out)


if __name__ == "__main__":
    r = main()
    print(f"validation loss {r['valid_loss']:.3f} nats/char (uniform: {r['uniform_loss']:.3f}) after {r['steps']} steps")
    print(r["sample"])
