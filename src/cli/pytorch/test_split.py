"""The held-out test split, evaluated once at the end of a run as SeqLab's trainer does (src/train/evaluate.ts
evaluateTestSplit): the weights validation chose (best.safetensors; the last checkpoint when no epoch was chosen),
loaded into a model of their own, on every test example in order (no validation budget), with the task's metrics.
Nothing is evaluated for a stopped run or one that trained no epoch. SeqLab's baselines on the test split are
added by `seqlab train --engine pytorch` (src/cli/pytorchEngine.ts), which has the prepared data.
"""
import json
import math
import os
import struct

from model import build_model


def safetensors_metadata(path):
    """The __metadata__ of a safetensors file (its epoch and step)."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(size)).get("__metadata__", {})


def evaluate_test_split(evaluate, config, training, device, batch_size, folder, best_epoch, test_split):
    """The testEvaluation event (without baselines), or None when there is no test split.

    `evaluate` is train.py's evaluation of a split (loss and the task's metrics), given a budget of no batches."""
    if len(test_split) == 0:
        return None
    best = folder.file("best.safetensors")
    kind, weights = ("best", best) if best_epoch > 0 and os.path.exists(best) else ("final", folder.file("model.safetensors"))
    model = build_model(config, weights=weights).to(device)
    whole = dict(training, validation={"maxBatches": math.inf})
    loss, metrics = evaluate(model, test_split, config, whole, device, batch_size)
    return {"type": "testEvaluation", "checkpoint": kind, "checkpointFile": weights,
            "epoch": int(safetensors_metadata(weights).get("epoch", 0)), "size": len(test_split), "loss": loss,
            "metrics": metrics, "baselines": {}}
