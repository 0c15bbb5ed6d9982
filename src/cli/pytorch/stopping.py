"""When a run validates and when it stops before its last epoch, as SeqLab's trainer decides it (src/train/trainer.ts,
validationCadence.ts, divergence.ts):

- validation (training.validateEvery = N, default 1): epochs N, 2N, ... and always the epoch the run ends with (the
  last, the one --max-steps runs out in). An epoch without validation writes its metrics.jsonl line with no
  validationLoss and empty metrics, is never "best", and leaves early stopping and a plateau schedule alone: their
  patience counts validations.

- early stopping: the monitored validation figure (training.earlyStopping.metric, default the loss) improves when
  it beats the best so far by more than minDelta; after `patience` validations without an improvement the run ends as
  "early-stopped". best.safetensors holds the best epoch, and the test split is evaluated with it.
- divergence: a loss or gradient norm that is NaN or infinite, a weight that became NaN or infinite after an
  update, or a (training or validation) loss over training.divergenceFactor × the loss of the first step. The run
  ends as "diverged" and keeps its last finite checkpoint: nothing non-finite is ever written.
"""
import math

import torch
import torch.distributed as dist

DEFAULT_DIVERGENCE_FACTOR = 1000  # three orders of magnitude over the untrained model's loss
HIGHER_IS_BETTER = {"accuracy", "f1", "tokenAccuracy", "exactMatch"}  # src/train/metrics.ts higherIsBetter
ACRONYMS = {"mse": "MSE", "rmse": "RMSE", "mae": "MAE", "f1": "F1"}

# What rank 0 decided at the end of an epoch, shared with the other ranks (they do not validate).
CONTINUE, EARLY_STOPPED, DIVERGED = 0, 1, 2


def metric_display_name(metric):
    """src/train/metrics.ts metricDisplayName: tokenAccuracy → "token accuracy", rmse → "RMSE"."""
    words, word = [], ""
    for i, ch in enumerate(metric):
        if ch.isupper() and i > 0 and (metric[i - 1].islower() or metric[i - 1].isdigit()):
            words.append(word)
            word = ""
        word += ch
    words.append(word)
    return " ".join(ACRONYMS.get(w.lower(), w.lower()) for w in words)


def js_precision(value, digits):
    """JavaScript's Number.prototype.toPrecision, for messages that read as SeqLab's."""
    if not math.isfinite(value):
        return js_number(value)
    if value == 0:
        return f"{0:.{digits - 1}f}"
    exponent = int(f"{value:.{digits - 1}e}".split("e")[1])
    if exponent < -6 or exponent >= digits:
        mantissa, _ = f"{value:.{digits - 1}e}".split("e")
        return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return f"{value:.{max(0, digits - 1 - exponent)}f}"


def validates_epoch(epoch, training, ends_run):
    """Whether epoch (1-based) is validated: every training.validateEvery epochs, and the epoch the run ends with
    (src/train/validationCadence.ts validatesEpoch)."""
    return ends_run or epoch % max(1, training.get("validateEvery", 1)) == 0


class EarlyStopping:
    """The best validation figure so far and the validations since it improved (with or without earlyStopping: the
    best epoch is chosen the same way, by the monitored metric). Only validated epochs are observed."""

    def __init__(self, training):
        spec = training.get("earlyStopping") or {}
        self.enabled = bool(training.get("earlyStopping"))
        self.metric = spec.get("metric", "loss")
        self.higher = self.metric in HIGHER_IS_BETTER
        self.min_delta = spec.get("minDelta", 0)
        self.patience = spec.get("patience", 0)
        self.validate_every = training.get("validateEvery", 1)
        self.best = -math.inf if self.higher else math.inf
        self.epochs_without_improvement = 0

    def observe(self, validation_loss, metrics):
        """Whether this epoch improved on the best (and becomes it)."""
        monitored = validation_loss if self.metric == "loss" else metrics.get(self.metric, validation_loss)
        improved = monitored > self.best + self.min_delta if self.higher else monitored < self.best - self.min_delta
        if improved:
            self.best = monitored
            self.epochs_without_improvement = 0
        else:
            self.epochs_without_improvement += 1
        return improved

    @property
    def should_stop(self):
        return self.enabled and self.epochs_without_improvement >= self.patience

    @property
    def reason(self):
        """src/train/validationCadence.ts earlyStopReason: in epochs when every epoch validates, else in validations."""
        unit = f"validations (one every {self.validate_every} epochs)" if self.validate_every > 1 else "epochs"
        return f"no improvement of validation {metric_display_name(self.metric)} for {self.patience} {unit}"


def divergence_factor(training):
    return training.get("divergenceFactor", DEFAULT_DIVERGENCE_FACTOR)


def loss_explosion(what, loss, initial_loss, factor):
    """A finite loss past factor × the initial loss, described; None otherwise (or without a positive reference)."""
    if initial_loss is None or not initial_loss > 0 or not loss > factor * initial_loss:
        return None
    return f"{what} {js_precision(loss, 3)} is over {factor} × the initial loss {js_precision(initial_loss, 3)} (training.divergenceFactor)"


def step_divergence(loss, grad_norm, initial_loss, factor):
    """What went wrong in one step (its loss and gradient norm before the update), or None."""
    if not math.isfinite(loss):
        return f"loss became {js_number(loss)}"
    if not math.isfinite(grad_norm):
        return f"gradient norm became {js_number(grad_norm)}"
    return loss_explosion("loss", loss, initial_loss, factor)


def validation_divergence(validation_loss, initial_loss, factor):
    if not math.isfinite(validation_loss):
        return f"validation loss became {js_number(validation_loss)}"
    return loss_explosion("validation loss", validation_loss, initial_loss, factor)


@torch.no_grad()
def weight_divergence(model):
    """The first weight that is NaN or infinite after an update, described; None when all are finite."""
    for name, tensor in model.state_dict().items():
        bad = ~torch.isfinite(tensor)
        if bool(bad.any()):
            index = int(bad.reshape(-1).nonzero()[0])
            return f"weight {name}[{index}] became {js_number(float(tensor.reshape(-1)[index]))}"
    return None


def likely_cause(training, lr):
    lower_lr = f"the learning rate {lr} is likely too high (lower training.optimizer.lr)"
    if training.get("clipGradNorm") is not None or training.get("clipGradValue") is not None:
        return lower_lr
    return f"{lower_lr}, and no gradient clipping is set (add training.clipGradNorm, e.g. 1.0)"


def js_number(value):
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity") if math.isinf(value) else repr(value)


def share_epoch_end(validation_loss, verdict, distributed, device):
    """Rank 0's validation loss and verdict (CONTINUE, EARLY_STOPPED, DIVERGED), the same on every rank: the
    plateau schedule reads the loss, and every rank must leave the loop at the same epoch."""
    if not distributed:
        return validation_loss, verdict
    shared = torch.tensor([validation_loss, float(verdict)], dtype=torch.float64, device=device)
    dist.broadcast(shared, 0)
    return float(shared[0]), int(shared[1])
