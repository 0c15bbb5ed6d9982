"""Hidden state carried from one piece of a sequence to the next, as SeqLab's trainer carries it:

- stateful training (training.stateful, src/train/statefulBatches.ts): a long series is cut into B parallel streams
  of consecutive chunks and batch k holds chunk k of every stream, never shuffled; each forward starts from the
  previous batch's final encoder state (detached: backward stops at the batch boundary), from zeros at the start
  of an epoch and wherever new series begin. A CSV series' windows are example e = rows [e, e+W), so chunk j is
  example j·W; synthetic sine/random-walk series are cut into chunks of training.tbpttSteps steps whose targets
  are the series' next values. Validation windows start from zeros, as in SeqLab.
- truncated BPTT (training.tbpttSteps, language models and unidirectional taggers, src/train/model.ts): each batch
  runs in chunks of k steps, each chunk from the previous chunk's final state (detached), its gradient scaled by
  its share of the batch's loss terms, so the step follows the same mean loss as SeqLab's.

`CarriedState` wraps the model (and is what DistributedDataParallel wraps) so that train.py calls it like the model.
Under torchrun each process holds the same rows of every batch (seqlab_data.shard strides by position), so the state
it carries is that of its own streams or sequences (src/cli/pytorch/carriedState.torchrun.test.ts).
"""
import contextlib

import numpy as np
import torch
import torch.nn as nn


def tbptt_applies(spec):
    """src/train/model.ts supportsTruncatedBptt: per-step tasks read left to right."""
    return bool(spec["training"].get("tbpttSteps")) and spec["task"]["type"] in ("generate", "tag") and not spec["model"]["encoder"].get("bidirectional")


def tbptt_ignored(spec):
    """SeqLab's warning when tbpttSteps is set where it does not apply (and no stateful plan reads it)."""
    training = spec["training"]
    if not training.get("tbpttSteps") or tbptt_applies(spec) or (training.get("stateful") or {}).get("enabled"):
        return None
    return f"training.tbpttSteps applies to language models and unidirectional taggers; this {spec['task']['type']} model backpropagates through whole sequences"


class CarriedState(nn.Module):
    """The model, its encoder starting from a carried state: `reset()` forgets it (the next forward starts as the
    plain model does: zeros when stateful, the model's own initial state for the first chunk of truncated BPTT)."""

    def __init__(self, model, stateful):
        super().__init__()
        self.model = model
        self.stateful = stateful
        self.carry = None

    def reset(self):
        self.carry = None

    def forward(self, inputs, lengths, decoder_inputs=None, target_lengths=None):
        m = self.model
        if self.carry is None and not self.stateful:
            output, h_n, c_n = m.encode(inputs, lengths)
        else:
            h0, c0 = self.carry if self.carry is not None else (None, None)
            output, h_n, c_n = m._run_stack(m.encoder, m.encoder_norms, m.encoder_spec, m.encode_input(inputs), lengths, h0, c0)
        self.carry = (h_n.detach(), None if c_n is None else c_n.detach())
        if m.task in ("tag", "generate"):
            return m.head(output)
        return m.head(m.readout_features(output, h_n, lengths))


def wrap_for_training(model, spec, distributed, device_ids):
    """What the training steps call: the model (in DistributedDataParallel under torchrun), wrapped in CarriedState
    when the spec carries state. Several backward passes per step, and a learned initial state that only the first
    chunk uses, need DDP to look for parameters a pass did not use."""
    stateful = bool((spec["training"].get("stateful") or {}).get("enabled"))
    carrier = CarriedState(model, stateful) if stateful or tbptt_applies(spec) else None
    module = carrier or model
    if distributed:
        from torch.nn.parallel import DistributedDataParallel
        module = DistributedDataParallel(module, device_ids=device_ids, find_unused_parameters=carrier is not None)
    return module, carrier


def backpropagate(trained, carrier, spec, b, loss_of, distributed, last_pass=None, weight=1.0):
    """Forward and backward of one training batch; returns its mean loss (a float). `loss_of(module, batch)` is the
    batch's mean loss tensor; the gradient is that of `weight` times it (under torchrun, this process's share of
    the whole batch: batch_share.py). Truncated BPTT runs the chunks of the batch, one backward each. `last_pass`, a context manager, is open around the
    batch's last (or only) forward and backward: the gradient-flow probe, which SeqLab records for the last chunk."""
    k = spec["training"].get("tbpttSteps")
    steps = b["target_ids"].shape[1] if "target_ids" in b and b["target_ids"].dim() == 2 else 0
    within_batch = carrier is not None and not carrier.stateful  # truncated BPTT: nothing carries past the batch
    if within_batch:
        carrier.reset()
    if not within_batch or not k or k >= steps:
        with last_pass or contextlib.nullcontext():
            loss = loss_of(trained, b)
            (loss * weight).backward()
        if within_batch:
            carrier.reset()
        return loss.item()
    total = int((b["target_ids"] >= 0).sum())
    loss_sum = 0.0
    starts = list(range(0, steps, k))
    # Under torchrun the chunks' gradients are averaged once, with the last chunk, except with a learned initial
    # state: only the first chunk uses it, and DistributedDataParallel leaves a parameter the synchronising pass does
    # not use with this process's own gradient (torch 1.13), so the processes' initial states would part. Averaging
    # after every chunk gives the same sum: the gradients already averaged are equal on every process.
    deferred = distributed and carrier.model.initial_h is None
    for n, start in enumerate(starts):
        chunk = slice_steps(b, start, min(k, steps - start))
        count = int((chunk["target_ids"] >= 0).sum())
        # Every chunk runs forward (it carries the state on); one without targets adds no gradient, and its loss
        # is taken against stand-in targets only so that it is finite.
        scored = chunk if count > 0 else dict(chunk, target_ids=torch.zeros_like(chunk["target_ids"]))
        last = n == len(starts) - 1
        with trained.no_sync() if deferred and not last else contextlib.nullcontext(), last_pass if last and last_pass else contextlib.nullcontext():
            loss = loss_of(trained, scored)
            (loss * (weight * count / max(1, total))).backward()
        loss_sum += loss.item() * count
    carrier.reset()
    return loss_sum / max(1, total)


def slice_steps(b, start, steps):
    """Steps [start, start+steps) of a per-step batch (src/train/model.ts sliceSteps): a sequence that ended before
    `start` keeps one step of padding (lengths must be >= 1) whose targets are ignored."""
    chunk = {"lengths": (b["lengths"] - start).clamp(min=1, max=steps), "indices": b["indices"]}
    for name in ("input_ids", "inputs", "target_ids"):
        if name in b:
            chunk[name] = b[name][:, start:start + steps]
    return chunk


# ------------------------------------------------------------------------------------------ stateful batches

class StatefulPlan:
    """An epoch's batches for stateful training: `dataset`, the examples of each batch (`order`, in stream
    order) and whether batch k starts new streams (`starts[k]`: the carried state is reset first)."""

    def __init__(self, dataset, order, starts, description):
        self.dataset, self.order, self.starts, self.description = dataset, order, starts, description

    @property
    def steps_per_epoch(self):
        return len(self.order)


def stateful_plan(spec, info, train_split):
    """The stream layout when training.stateful is on, None when off (SeqLab checked the spec before the run)."""
    training = spec["training"]
    if not (training.get("stateful") or {}).get("enabled"):
        return None
    B = training["batchSize"]
    data = spec["data"]
    if data["source"] == "synthetic" and data.get("generator") in ("sine", "random-walk"):
        return _series_chunks(train_split, info, spec["task"].get("horizon", 1), B, training.get("tbpttSteps"), data["generator"])
    if data["source"] != "csv":
        raise SystemExit(f"training.stateful needs a series read chunk by chunk (data.source \"csv\", or synthetic sine/random-walk with tbpttSteps); the {data['source']} examples are independent sequences")
    W = int(train_split.lengths[0])
    chunks = (len(train_split) - 1) // W + 1  # non-overlapping windows at rows 0, W, 2W, …
    per_stream = chunks // B
    if per_stream < 2:
        raise SystemExit(f"training.stateful: the training series holds {chunks} consecutive chunks of {W} steps, too few for {B} streams of at least 2 chunks; use batchSize <= {max(1, chunks // 2)}")
    order = [[(b * per_stream + k) * W for b in range(B)] for k in range(per_stream)]
    return StatefulPlan(train_split, order, [k == 0 for k in range(per_stream)],
                        f"{B} streams × {per_stream} consecutive chunks of {W} steps")


class _SeriesChunks(torch.utils.data.Dataset):
    """Chunk j of independent series e (example e·chunks + j): k steps of inputs and the Hz values after them."""

    def __init__(self, split, k, chunks, horizon, features):
        self.split, self.k, self.chunks, self.horizon, self.features = split, k, chunks, horizon, features

    def __len__(self):
        return len(self.split) * self.chunks

    def __getitem__(self, i):
        e, j = divmod(i, self.chunks)
        example = self.split[e]
        series = np.concatenate([example["inputs"], example["targets"].reshape(self.horizon, self.features)])
        k = self.k
        return {"length": k, "index": i, "inputs": series[j * k:(j + 1) * k].astype(np.float32),
                "targets": series[(j + 1) * k:(j + 1) * k + self.horizon].reshape(-1).astype(np.float32)}


def _series_chunks(split, info, Hz, B, k, generator):
    F = info["inputSize"]
    if info["outputSize"] != Hz * F:
        raise SystemExit(f"training.stateful on synthetic {generator}: the targets must be the series' next values")
    T = int(split.lengths[0])
    if not isinstance(k, int) or k < 1 or k >= T:
        raise SystemExit(f"training.stateful on synthetic {generator}: set training.tbpttSteps to the chunk length (1..{T - 1})")
    chunks, groups = T // k, len(split) // B
    if groups < 1:
        raise SystemExit(f"training.stateful: {len(split)} training series are fewer than batchSize {B}")
    order = [[(g * B + b) * chunks + j for b in range(B)] for g in range(groups) for j in range(chunks)]
    starts = [j == 0 for g in range(groups) for j in range(chunks)]
    return StatefulPlan(_SeriesChunks(split, k, chunks, Hz, F), order, starts,
                        f"{groups} groups of {B} series × {chunks} consecutive chunks of {k} steps (state reset between groups)")
