"""A bidirectional LSTM over padded, packed variable-length sequences (pad_sequence,
pack_padded_sequence, pad_packed_sequence), Adam with ReduceLROnPlateau, masked_fill."""
import math, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence
from torch.utils.data import Dataset, DataLoader

rng = np.random.default_rng(0)
# task: does the sequence contain more 1s than 2s? variable length sequences of tokens 0..4
seqs, labels = [], []
for _ in range(600):
    n = int(rng.integers(3, 15))
    s = rng.integers(1, 5, size=n)
    seqs.append(s)
    labels.append(int((s == 1).sum() > (s == 2).sum()))

class SeqDS(Dataset):
    def __len__(self):
        return len(seqs)
    def __getitem__(self, i):
        return torch.tensor(seqs[i], dtype=torch.long), torch.tensor(labels[i])

def collate(batch):
    xs, ys = zip(*batch)
    lengths = torch.tensor([len(x) for x in xs])
    padded = pad_sequence(xs, batch_first=True, padding_value=0)
    return padded, lengths, torch.stack(ys)

class Model(nn.Module):
    def __init__(self, vocab=5, emb=8, hidden=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 2)
    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True)
        feat = torch.cat([h[-2], h[-1]], dim=1)
        return self.head(feat)

def init(m):
    for name, p in m.named_parameters():
        with torch.no_grad():
            k = torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape)
            p.copy_(0.3 * torch.sin(k * 0.37 + len(name)))

model = Model()
init(model)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
loader = DataLoader(SeqDS(), batch_size=50, shuffle=False, collate_fn=collate)
hist = []
for epoch in range(5):
    total, n = 0.0, 0
    for x, lengths, y in loader:
        opt.zero_grad()
        logits = model(x, lengths)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 1.0)
        opt.step()
        total += loss.item() * len(y); n += len(y)
    sched.step(total / n)
    hist.append(round(total / n, 5))
model.eval()
with torch.no_grad():
    x, lengths, y = collate([SeqDS()[i] for i in range(100)])
    pred = model(x, lengths).argmax(-1)
    acc = (pred == y).float().mean().item()
    mask = (x != 0)
    print(mask.sum(dim=1)[:5].tolist(), lengths[:5].tolist())
    masked = x.masked_fill(~mask, -1)
    print(masked[0].tolist())
print(hist, acc, opt.param_groups[0]["lr"])
print("RESULT", json.dumps({"hist": hist, "acc": acc}))
