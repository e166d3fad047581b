"""The training loop: mini-batches on the device, one host read per epoch.

Per batch the loop only queues device work: forward, loss, backward, optimizer step,
and two device-side accumulators (the summed loss, and the index of the first batch
whose loss was not finite). At the end of the epoch one counted host copy reads them
along with the validation outputs that are reported. A non-finite loss then stops the
run with the epoch and batch, and that epoch's checkpoint is never written, so the
last good one stays on disk.

Each epoch reseeds the shuffling and dropout from ``(seed, epoch)``, so a run resumed
from the checkpoint of epoch k trains epoch k + 1 exactly as an uninterrupted run.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from headwater.autograd import grad_mode
from headwater.autograd.ops import cat
from headwater.data.dataloader import DataLoader
from headwater.data.dataset import TensorDataset
from headwater.pipelines.checkpoint import checkpoint_path, load_checkpoint, save_checkpoint
from headwater.pipelines.errors import NonFiniteLossError, RunError
from headwater.pipelines.metrics import HIGHER_IS_BETTER, compute_metrics
from headwater.pipelines.schema import TrainSection
from headwater.tensor.random import manual_seed
from headwater.tensor.transfer import to_host

__all__ = ["Inputs", "Trainer", "TrainerCallbacks", "baseline_outputs", "predict_outputs", "score_outputs"]


@dataclass
class Inputs:
    """The tensors of one split: numeric features, categorical codes, target."""

    numeric: Any
    codes: Any
    target: Any

    @property
    def n(self) -> int:
        t = self.numeric if self.numeric is not None else self.codes
        return int(t.shape[0])

    def tensors(self) -> tuple[Any, ...]:
        return tuple(t for t in (self.numeric, self.codes, self.target) if t is not None)

    def unpack(self, batch: tuple[Any, ...]) -> tuple[Any, Any, Any]:
        it = iter(batch)
        numeric = next(it) if self.numeric is not None else None
        codes = next(it) if self.codes is not None else None
        target = next(it) if self.target is not None else None
        return numeric, codes, target


@dataclass
class TrainerCallbacks:
    """Hooks the CLI uses to show progress; each defaults to doing nothing."""

    epoch_start: Callable[[int, int], None] = lambda epoch, batches: None
    batch_end: Callable[[int], None] = lambda batch: None
    epoch_end: Callable[[dict[str, Any]], None] = lambda record: None


def _seed(base: int, epoch: int) -> int:
    return (base * 1_000_003 + epoch * 7919) % (2**31 - 1)


def _optimizer(section: TrainSection, params: list[Any]) -> Any:
    from headwater.autograd import optim

    if section.optimizer == "sgd":
        momentum = 0.9 if section.momentum is None else section.momentum
        return optim.SGD(params, lr=section.lr, momentum=momentum, weight_decay=section.weight_decay)
    if section.optimizer == "rmsprop":
        momentum = 0.0 if section.momentum is None else section.momentum
        return optim.RMSprop(params, lr=section.lr, momentum=momentum, weight_decay=section.weight_decay)
    cls = optim.AdamW if section.optimizer == "adamw" else optim.Adam
    return cls(params, lr=section.lr, weight_decay=section.weight_decay)


def _scheduler(section: TrainSection, optimizer: Any, batches_per_epoch: int, mode: str) -> Any:
    spec = section.scheduler
    if spec is None:
        return None
    from headwater.autograd.optim import lr_scheduler as ls

    if spec.type == "step":
        return ls.StepLR(optimizer, step_size=spec.step_size, gamma=spec.gamma)
    if spec.type == "cosine":
        return ls.CosineAnnealingLR(optimizer, T_max=section.epochs, eta_min=spec.min_lr)
    if spec.type == "onecycle":
        return ls.OneCycleLR(optimizer, max_lr=spec.max_lr or 10 * section.lr,
                             total_steps=section.epochs * batches_per_epoch)
    return ls.ReduceLROnPlateau(optimizer, mode=mode, factor=spec.factor, patience=spec.patience)


def predict_outputs(model: Any, inputs: Inputs, task: str, batch_size: int = 65536) -> Any:
    """Model outputs for a whole split, on the device: probabilities, or values."""
    model.eval()
    outs = []
    with grad_mode.no_grad():
        for start in range(0, inputs.n, batch_size):
            numeric = None if inputs.numeric is None else inputs.numeric[start:start + batch_size]
            codes = None if inputs.codes is None else inputs.codes[start:start + batch_size]
            out = model(numeric, codes)
            outs.append(out.softmax(dim=1) if task != "regression" else out.reshape(-1))
    return outs[0] if len(outs) == 1 else cat(outs, dim=0)


def score_outputs(task: str, metrics: list[str], decode_regression: Callable[[np.ndarray], np.ndarray],
                  inputs: Inputs, output: np.ndarray) -> dict[str, float]:
    """Loss and metrics of one split from a model's outputs (host arrays), networks and classic models alike."""
    if inputs.n == 0:
        return {}
    y = to_host(inputs.target.array)
    if task == "regression":
        loss = float(np.mean((output - y) ** 2))
        y, output = decode_regression(y), decode_regression(output)
    else:
        eps = np.finfo(np.float64).eps
        loss = float(-np.log(np.clip(output[np.arange(len(y)), y.astype(np.int64)], eps, 1)).mean())
    if not math.isfinite(loss):
        raise RunError(f"the validation loss is {loss}; the model's outputs are not finite. Lower train.lr")
    return {"loss": loss, **compute_metrics(metrics, y, output)}


def baseline_outputs(task: str, train: Inputs, n_rows: int, n_outputs: int) -> np.ndarray:
    """What a model that ignores the features predicts: the training mean, or the class shares.

    The class shares predict the majority class (their argmax) with the best
    constant probabilities, so ``metrics.json`` can compare a model with it.
    """
    y = to_host(train.target.array) if train.n else np.zeros(0)
    if task == "regression":
        return np.full(n_rows, float(y.mean()) if len(y) else 0.0)
    shares = np.bincount(y.astype(np.int64), minlength=n_outputs).astype(np.float64)
    shares = shares / max(shares.sum(), 1.0)
    return np.tile(shares, (n_rows, 1))


def _loss_fn(task: str, reduction: str = "mean") -> Any:
    from headwater.autograd import nn

    return nn.MSELoss(reduction=reduction) if task == "regression" else nn.CrossEntropyLoss(reduction=reduction)


@dataclass
class Trainer:
    """Train a model on the train split, watching the validation split.

    Parameters
    ----------
    model : hw.nn.Module
    section : TrainSection
    task : str
    metrics : list of str
        Reported on validation each epoch.
    run_dir : Path
        Checkpoints go to ``run_dir/checkpoints``.
    decode : callable
        Maps host targets/outputs back to the original scale (regression).
    run_config : dict, optional
        The run's resolved config, stored in every checkpoint so that ``--resume``
        can refuse a checkpoint made with another config.
    ranks : Ranks, optional
        Data-parallel training (:mod:`headwater.pipelines.distributed`): each rank
        trains on its share of every batch, and only rank 0 evaluates and writes
        checkpoints. Default: one process.
    """

    model: Any
    section: TrainSection
    task: str
    metrics: list[str]
    run_dir: Path
    decode_regression: Callable[[np.ndarray], np.ndarray] = lambda a: a
    callbacks: TrainerCallbacks = field(default_factory=TrainerCallbacks)
    history: list[dict[str, Any]] = field(default_factory=list)
    run_config: dict[str, Any] | None = None
    ranks: Any = None

    def __post_init__(self) -> None:
        from headwater.pipelines.distributed import Ranks

        self.ranks = self.ranks or Ranks()
        self.loss_fn = _loss_fn(self.task)
        self.sum_loss_fn = _loss_fn(self.task, "sum")
        self.optimizer = _optimizer(self.section, list(self.model.parameters()))
        stop = self.section.early_stopping
        self.monitor = stop.metric if stop else "validation.loss"
        name = self.monitor.split(".", 1)[1]
        mode = stop.mode if stop and stop.mode != "auto" else ("max" if HIGHER_IS_BETTER.get(name, False) else "min")
        self.mode = mode
        self.scheduler: Any = None
        self.best_value: float | None = None
        self.best_epoch = 0
        self.bad_epochs = 0
        self.epoch = 0
        self.stopped_early = False
        from headwater.autograd.nn.normalization import BatchNorm1d

        self.batch_norm = any(isinstance(m, BatchNorm1d) for m in self.model.modules())

    # -- state ---------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "history": self.history, "best_value": self.best_value,
                "best_epoch": self.best_epoch, "bad_epochs": self.bad_epochs, "stopped_early": self.stopped_early,
                "config": self.run_config}

    def resume(self, device: Any = None) -> bool:
        """Load ``checkpoints/last`` if there is one; True when a run was resumed."""
        payload = load_checkpoint(self.run_dir, "last", device=device)
        if payload is None:
            return False
        self.model.load_state_dict(payload["model"])
        # the optimizer's state is loaded in fit(), after the scheduler is built: building
        # a scheduler resets the learning rate to its initial value, as in PyTorch
        self._pending = payload
        state = payload["trainer"]
        self.epoch, self.history = state["epoch"], state["history"]
        self.best_value, self.best_epoch = state["best_value"], state["best_epoch"]
        self.bad_epochs, self.stopped_early = state["bad_epochs"], state["stopped_early"]
        return True

    def _improved(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.best_value is None:
            return True
        delta = self.section.early_stopping.min_delta if self.section.early_stopping else 0.0
        if self.mode == "min":
            return value < self.best_value - delta
        return value > self.best_value + delta

    # -- the loop ------------------------------------------------------------------
    def fit(self, train: Inputs, validation: Inputs) -> list[dict[str, Any]]:
        """Train from the current epoch to ``train.epochs`` (or an early stop).

        With batch normalisation, a last batch of a single row is left out of the
        epoch (a different row each epoch, as the rows are shuffled): batch statistics
        of one row are undefined, and PyTorch refuses them too.
        """
        # (with several ranks: a last batch too small to give each rank two rows)
        drop_last = self.batch_norm and 0 < train.n % self.section.batch_size < 2 * self.ranks.world_size \
            and train.n > self.section.batch_size
        batches = train.n // self.section.batch_size if drop_last else -(-train.n // self.section.batch_size)
        self.scheduler = _scheduler(self.section, self.optimizer, batches, self.mode)
        pending = getattr(self, "_pending", None)
        if pending is not None:
            self.optimizer.load_state_dict(pending["optimizer"])
            if self.scheduler is not None and pending.get("scheduler") is not None:
                self.scheduler.load_state_dict(pending["scheduler"])
            self._pending = None
        if self.stopped_early:
            return self.history
        # wrapped after resume() loaded the checkpoint: the wrapper hooks these parameters
        self.train_model = self.ranks.wrap(self.model)
        for epoch in range(self.epoch + 1, self.section.epochs + 1):
            manual_seed(_seed(self.section.seed, epoch) + self.ranks.rank)  # dropout masks differ per rank
            loader = DataLoader(TensorDataset(*train.tensors()), batch_size=self.section.batch_size, shuffle=True,
                                seed=_seed(self.section.seed, epoch), drop_last=drop_last)
            self.callbacks.epoch_start(epoch, len(loader))
            train_loss = self._train_epoch(epoch, loader, train)
            record: dict[str, Any] = {"epoch": epoch, "lr": float(self.optimizer.param_groups[0]["lr"]),
                                      "train": {"loss": train_loss}}
            if self.ranks.active:  # rank 0 evaluates; every rank then takes the same decisions
                record["validation"] = self.ranks.share(self.evaluate(validation) if validation.n and
                                                        self.ranks.is_main else {})
            else:
                record["validation"] = self.evaluate(validation) if validation.n else {}
            self._step_scheduler(record)
            self.epoch = epoch
            self.history.append(record)
            value = self._lookup(record)
            improved = self._improved(value) if value is not None else True
            if improved:
                self.best_value, self.best_epoch, self.bad_epochs = value, epoch, 0
            else:
                self.bad_epochs += 1
            stop = self.section.early_stopping
            if stop is not None and self.bad_epochs >= stop.patience:
                self.stopped_early = True
            if improved and self.ranks.is_main:
                save_checkpoint(self.run_dir, "best", self.model, self.optimizer, self.scheduler, self._state())
            if self.ranks.is_main:
                save_checkpoint(self.run_dir, "last", self.model, self.optimizer, self.scheduler, self._state())
            record = {**record, "best_epoch": self.best_epoch}
            self.callbacks.epoch_end(record)
            if self.stopped_early:
                break
        return self.history

    def _lookup(self, record: dict[str, Any]) -> float | None:
        split, name = self.monitor.split(".", 1)
        value = record.get(split, {}).get(name)
        return None if value is None else float(value)

    def _step_scheduler(self, record: dict[str, Any]) -> None:
        spec = self.section.scheduler
        if self.scheduler is None or spec.type == "onecycle":
            return
        if spec.type == "plateau":
            value = self._lookup(record)
            self.scheduler.step(value if value is not None else record["train"]["loss"])
        else:
            self.scheduler.step()

    def _train_epoch(self, epoch: int, loader: Any, train: Inputs) -> float:
        # overflow inside NumPy warns once per op; the guard below reports it once, with
        # the epoch and batch, so the warnings would only repeat it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return self._run_epoch(epoch, loader, train)

    def _run_epoch(self, epoch: int, loader: Any, train: Inputs) -> float:
        from headwater.autograd.nn.utils import clip_grad_norm_

        model, opt, ranks = getattr(self, "train_model", self.model), self.optimizer, self.ranks
        model.train()
        xp = None
        total = first_bad = bad_value = None
        seen = 0
        onecycle = self.scheduler is not None and self.section.scheduler.type == "onecycle"
        for b, batch in enumerate(loader):
            rows = int(batch[0].shape[0])
            numeric, codes, target = train.unpack(ranks.shard(batch))
            out = model(numeric, codes)
            if self.task == "regression":
                out = out.reshape(-1)
            if ranks.active:  # this share's summed loss, scaled so the averaged gradient is the batch mean's
                summed = self.sum_loss_fn(out, target)
                loss = summed * (ranks.world_size / rows)
                value = summed.array
            else:
                loss = self.loss_fn(out, target)
                value = loss.array
            if xp is None:
                from headwater.tensor.devices import backend_of

                xp = backend_of(value).xp
                total = xp.zeros((), dtype=xp.float64)
                first_bad = xp.full((), -1, dtype=xp.int64)
                bad_value = xp.zeros((), dtype=xp.float64)
            finite = xp.isfinite(value)
            newly_bad = (first_bad < 0) & ~finite
            first_bad = xp.where(newly_bad, b, first_bad)
            bad_value = xp.where(newly_bad, value.astype(xp.float64), bad_value)
            seen += rows
            total = total + (value.astype(xp.float64) if ranks.active else value.astype(xp.float64) * rows)
            opt.zero_grad()
            loss.backward()
            if self.section.grad_clip:
                clip_grad_norm_(model.parameters(), self.section.grad_clip)
            opt.step()
            if onecycle:
                self.scheduler.step()
            self.callbacks.batch_end(b + 1)
        host = to_host(ranks.gather(xp.stack([total, first_bad.astype(xp.float64), bad_value])))
        bad = [(int(b), float(v)) for _, b, v in host if b >= 0]
        if bad:
            last = checkpoint_path(self.run_dir, "last")
            batch, value = min(bad)
            raise NonFiniteLossError(epoch, batch + 1, value, str(last) if last.exists() else None)
        return float(host[:, 0].sum()) / max(seen, 1)

    def evaluate(self, inputs: Inputs) -> dict[str, float]:
        """Loss and metrics of one split with the current weights (one host copy)."""
        if inputs.n == 0:
            return {}
        output = to_host(predict_outputs(self.model, inputs, self.task).array).astype(np.float64)
        return self.score(inputs, output)

    def score(self, inputs: Inputs, output: np.ndarray) -> dict[str, float]:
        """Loss and metrics of one split from the model's outputs, already on the host."""
        return score_outputs(self.task, self.metrics, self.decode_regression, inputs, output)

    def load_best(self, device: Any = None) -> None:
        """Put the weights of the best epoch back into the model."""
        payload = load_checkpoint(self.run_dir, "best", device=device)
        if payload is not None:
            self.model.load_state_dict(payload["model"])
