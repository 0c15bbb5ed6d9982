"""SeqLab's learning-rate schedules (src/nn/schedules.ts, built as src/train/optimization.ts createSchedule builds
them), number for number: the same formulas in the same order of operations, so a PyTorch run's learning rate is
SeqLab's at every step. Each writes the rate into every parameter group of the optimizer; `after_epoch` is called
once per epoch, after validation, with the validation loss (only the plateau schedule reads it), or None after an
epoch without validation (training.validateEvery), which the plateau schedule skips: its patience counts validations.

torch.optim.lr_scheduler is not used: its cosine schedule is recursive (a different rounding each epoch) and its
classes differ between torch versions; these few lines are the schedule SeqLab runs.
"""
import math


class _Schedule:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.last_epoch = 0

    @property
    def lr(self):
        return self.optimizer.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value):
        for group in self.optimizer.param_groups:
            group["lr"] = value


class StepLR(_Schedule):
    """Multiplies the rate by gamma every `step_size` epochs (PyTorch's chainable form, as SeqLab's)."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        super().__init__(optimizer)
        if not isinstance(step_size, int) or step_size <= 0:
            raise ValueError(f"training.schedule.stepSize must be a positive integer, got {step_size}")
        self.step_size, self.gamma = step_size, gamma

    def after_epoch(self, validation_loss):
        self.last_epoch += 1
        if self.last_epoch % self.step_size == 0:
            self.lr = self.lr * self.gamma


class CosineAnnealingLR(_Schedule):
    """lr = eta_min + (base - eta_min)·(1 + cos(π·t/T_max))/2 in closed form; past T_max it rises again."""

    def __init__(self, optimizer, t_max, eta_min=0.0):
        super().__init__(optimizer)
        if not t_max > 0:
            raise ValueError(f"training.schedule.tMax must be > 0, got {t_max}")
        self.t_max, self.eta_min, self.base_lr = t_max, eta_min, self.lr

    def after_epoch(self, validation_loss):
        self.last_epoch += 1
        self.lr = self.eta_min + ((self.base_lr - self.eta_min) * (1 + math.cos((math.pi * self.last_epoch) / self.t_max))) / 2


class ReduceLROnPlateau(_Schedule):
    """After more than `patience` epochs without a relative improvement of `threshold` in the validation loss,
    multiply the rate by `factor`, not below `min_lr` (reductions under eps 1e-8 are skipped)."""

    def __init__(self, optimizer, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0, eps=1e-8):
        super().__init__(optimizer)
        if not factor < 1:
            raise ValueError(f"training.schedule.factor must be < 1, got {factor}")
        self.factor, self.patience, self.threshold, self.min_lr, self.eps = factor, patience, threshold, min_lr, eps
        self.best = math.inf
        self.bad_epochs = 0

    def after_epoch(self, validation_loss):
        if validation_loss is None:
            return
        self.last_epoch += 1
        if validation_loss < self.best * (1 - self.threshold):
            self.best = validation_loss
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            old = self.lr
            new = max(old * self.factor, self.min_lr)
            if old - new > self.eps:
                self.lr = new
            self.bad_epochs = 0


def create_schedule(optimizer, training, epochs):
    """The spec's training.schedule for a run of `epochs` epochs, or None."""
    s = training.get("schedule")
    if not s:
        return None
    if s["type"] == "step":
        return StepLR(optimizer, s["stepSize"], s.get("gamma", 0.1))
    if s["type"] == "cosine":
        return CosineAnnealingLR(optimizer, s.get("tMax", epochs), s.get("etaMin", 0.0))
    if s["type"] == "plateau":
        return ReduceLROnPlateau(optimizer, factor=s.get("factor", 0.1), patience=s.get("patience", 10),
                                 threshold=s.get("threshold", 1e-4), min_lr=s.get("minLr", 0.0))
    raise ValueError(f"training.schedule.type {s['type']!r} is not one SeqLab knows (step, cosine, plateau)")
