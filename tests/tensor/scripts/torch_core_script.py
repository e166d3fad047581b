"""A plain PyTorch program (run by tests/tensor/test_torch_core_script.py with torch and
with `import headwater as torch`): factories, devices, dtypes and promotion, random
sampling shapes, distributions, a small regression trained from fixed weights."""

import copy
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RESULTS = {}

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
RESULTS["device_is_device"] = isinstance(device, torch.device)
RESULTS["cuda_count"] = torch.cuda.device_count() if not torch.cuda.is_available() else 0
RESULTS["mps"] = torch.backends.mps.is_available()

# factories and dtypes
a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([0.5, 1.5], dtype=torch.float64)
RESULTS["dtypes"] = [str(x.dtype).replace("torch.", "") for x in (
    a, b, a / 2, a * 1.5, a + b, b.float() + torch.tensor(1.0, dtype=torch.float64),
    torch.where(a > 2, 1.0, -1.0), a.long(), a.int() + a.short(), a.type(torch.float64),
    torch.zeros_like(a, dtype=torch.float32), a.new_ones(3), torch.arange(3) / torch.arange(1, 4),
    torch.ones(2, dtype=torch.uint8) + 300, torch.ones(3, dtype=torch.half) * 2.0,
)]
RESULTS["values"] = (a / 2).tolist() + [(torch.ones(2, dtype=torch.uint8) + 300).tolist()]
RESULTS["shape"] = list(a.shape) + [a.size(1), a.numel(), a.shape.numel(), a.dim()]
RESULTS["stride"] = [list(a.stride()), list(a.t().stride()), a.t().is_contiguous(), a.t().contiguous().is_contiguous()]
RESULTS["info"] = [torch.finfo(torch.float32).eps, torch.iinfo(torch.int8).max, math.isnan(torch.nan), torch.pi]
RESULTS["is"] = [torch.is_tensor(a), torch.is_floating_point(b), torch.numel(a)]
shared = np.arange(3.0)
view = torch.from_numpy(shared)
shared[0] = 10.0
RESULTS["from_numpy"] = view.tolist()
RESULTS["cat"] = torch.cat([a, a], dim=1).tolist() + torch.concat([a, a]).tolist()
RESULTS["unique"] = torch.unique(torch.tensor([3, 1, 3, 2])).tolist()

# random: shapes, dtypes and supports (values follow each library's own stream)
g = torch.Generator().manual_seed(0)
draws = [
    torch.rand(2, 3, generator=g), torch.randn(4, generator=g), torch.randint(5, (3,), generator=g),
    torch.randint(2, 6, (2, 2), generator=g), torch.randperm(5, generator=g),
    torch.multinomial(torch.tensor([0.1, 0.0, 0.9]), 4, replacement=True, generator=g),
    torch.multinomial(torch.ones(2, 5), 3, generator=g),
    torch.bernoulli(torch.full((3,), 0.5), generator=g), torch.poisson(torch.ones(3), generator=g),
    torch.normal(torch.zeros(2, 1), torch.ones(3), generator=g), torch.normal(0.0, 1.0, (2,), generator=g),
    torch.rand_like(b), torch.randn_like(b), torch.randint_like(b, 10),
]
RESULTS["random"] = [(list(x.shape), str(x.dtype).replace("torch.", "")) for x in draws]
RESULTS["multinomial_support"] = bool((draws[5] != 1).all())
state = g.get_state()
first = torch.rand(3, generator=g)
g.set_state(state)
RESULTS["replay"] = torch.equal(first, torch.rand(3, generator=g))

# distributions: deterministic values
D = torch.distributions
loc = torch.tensor([0.0, 1.0], requires_grad=True)
normal = D.Normal(loc, torch.tensor([1.0, 2.0]))
lp = normal.log_prob(torch.tensor([0.5, 0.5])).sum()
lp.backward()
RESULTS["normal"] = [round(lp.item(), 5), [round(v, 5) for v in loc.grad.tolist()],
                     [round(v, 5) for v in normal.entropy().tolist()]]
cat = D.Categorical(logits=torch.tensor([[0.0, 1.0, 2.0]]))
RESULTS["categorical"] = [round(cat.entropy().item(), 5), round(cat.log_prob(torch.tensor([2])).item(), 5),
                          list(cat.sample((4,)).shape)]
RESULTS["kl"] = round(D.kl_divergence(D.Bernoulli(probs=torch.tensor(0.3)),
                                      D.Bernoulli(probs=torch.tensor(0.6))).item(), 5)
RESULTS["uniform"] = [round(D.Uniform(0.0, 4.0).entropy().item(), 5), D.Uniform(0.0, 4.0).mean.item()]

# a small regression from fixed weights, on the chosen device
rng = np.random.default_rng(0)
X = torch.tensor(rng.standard_normal((64, 3)), dtype=torch.float32).to(device)
w_true = torch.tensor([[1.5], [-2.0], [0.5]], device=device)
y = X @ w_true + 0.1


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 8)
        self.out = nn.Linear(8, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


model = Net()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)), dtype=torch.float32))
model = model.to(device)
twin = copy.deepcopy(model)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
losses = []
for step in range(30):
    opt.zero_grad()
    loss = F.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    losses.append(round(loss.item(), 4))
RESULTS["losses"] = losses[::6] + [losses[-1]]
RESULTS["twin_untouched"] = not torch.allclose(twin(X), model(X))
torch.testing.assert_close(twin.hidden.weight.detach().cpu(), twin.hidden.weight.detach().cpu())
RESULTS["model_device"] = str(next(model.parameters()).device.type)
