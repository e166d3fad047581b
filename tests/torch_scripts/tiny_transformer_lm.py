"""A character-level transformer language model, as tutorials write one.

nn.TransformerEncoder with a causal mask, token and learned position embeddings,
AdamW with parameter groups (no weight decay on biases and norms), a cosine schedule
with linear warmup through LambdaLR, gradient accumulation, gradient clipping,
greedy generation under no_grad, and a few summary statistics of the losses.
"""

import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

TEXT = ("the quick brown fox jumps over the lazy dog. " * 6 +
        "pack my box with five dozen liquor jugs. " * 6)


class TinyLM(nn.Module):
    def __init__(self, vocab, d_model=32, nhead=4, layers=2, context=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(context, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        t = idx.shape[1]
        positions = torch.arange(t, device=idx.device)
        x = self.tok(idx) + self.pos(positions)[None]
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        x = self.encoder(x, mask=mask, is_causal=True)
        return self.head(self.norm(x))


def set_weights(model):
    """Every parameter from a formula, so that two frameworks start alike."""
    with torch.no_grad():
        for i, (name, p) in enumerate(sorted(model.named_parameters())):
            if name.endswith("bias"):
                p.copy_(0.01 * torch.cos(torch.arange(p.numel(), dtype=torch.float32) + i).reshape(p.shape))
            elif p.dim() == 1:  # LayerNorm weights
                p.fill_(1.0)
            else:
                fan_in = p.shape[-1]
                values = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.37 + i)
                p.copy_(values.reshape(p.shape) / math.sqrt(fan_in))


def main():
    torch.manual_seed(0)
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT], dtype=torch.long)
    context, batch_size, accumulate = 16, 8, 2

    model = TinyLM(len(chars), context=context)
    set_weights(model)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=3e-3, betas=(0.9, 0.95))
    total_steps, warmup = 30, 5

    def lr_lambda(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total_steps - warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    starts = torch.arange(0, len(data) - context - 1, 7)
    losses, lrs, norms = [], [], []
    model.train()
    micro = 0
    for step in range(total_steps):
        optimizer.zero_grad(set_to_none=True)
        step_loss = 0.0
        for _ in range(accumulate):
            rows = starts[(micro * batch_size + torch.arange(batch_size)) % len(starts)]
            micro += 1
            x = torch.stack([data[s:s + context] for s in rows.tolist()])
            y = torch.stack([data[s + 1:s + context + 1] for s in rows.tolist()])
            logits = model(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1)) / accumulate
            loss.backward()
            step_loss += loss.item()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        scheduler.step()
        losses.append(step_loss)
        lrs.append(scheduler.get_last_lr()[0])
        norms.append(float(norm))

    model.eval()
    with torch.no_grad():
        idx = data[:8][None]
        for _ in range(12):
            logits = model(idx[:, -context:])
            nxt = logits[:, -1].argmax(dim=-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        generated = "".join(chars[i] for i in idx[0].tolist())
        probs = F.softmax(model(data[:context][None]), dim=-1)
        entropy = torch.special.entr(probs).sum(-1).mean().item()

    history = torch.tensor(losses)
    quartiles = torch.quantile(history, torch.tensor([0.25, 0.5, 0.75])).tolist()
    spread, centre = torch.std_mean(history[-10:])
    print("RESULT " + json.dumps({
        "losses": losses, "lrs": lrs, "norms": norms, "generated": generated,
        "quartiles": quartiles, "last10": [spread.item(), centre.item()], "entropy": entropy,
        "params": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
