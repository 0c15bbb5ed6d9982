"""Train the exported SeqLab model in PyTorch, on one process or many, into a SeqLab run folder:

    python train.py --epochs 5                                   # one process (CPU or one GPU)
    torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 train.py --epochs 5
                                                                 # DistributedDataParallel, one process per GPU/core

'--redirects 1 --tee 1' works around torch 1.13's launcher on Python >= 3.11 (Debian's python3-torch): it parses
its default '--redirects 0 --tee 0' into None (Python 3.11 no longer lists the zero and alias members of an
IntFlag) and crashes with "'NoneType' object has no attribute 'get'" before starting any worker. With these flags
each worker's stdout also goes to a log file and is shown prefixed '[default<rank>]:'; newer torch needs nothing.

The data: the original file named in config.json (or --data-path), read by seqlab_data.py with SeqLab's semantics
(same split, vocabulary, normalisation and batches); data.safetensors when exported with --data embed. Each epoch
visits SeqLab's batches in SeqLab's order; under torchrun every batch is split between the ranks (strided, as
DistributedSampler strides), so --batch-size is the batch of all ranks together, as in SeqLab.

The run folder (--run-dir, default ./run) is SeqLab's, written by rank 0, every file atomically: spec.json,
metrics.jsonl (one line per epoch), model.safetensors (the weights of the last epoch; a PyTorch checkpoint holds
weights and its epoch and step, not SeqLab's trainer state, so SeqLab reads it as weights but does not resume it),
best.safetensors (the best validation epoch) and report.json. SeqLab's "Open Run…", the dashboard and
`seqlab predict --weights RUN/best.safetensors` read it. --json prints SeqLab's progress events as JSON lines,
and after each epoch the records of SeqLab's gradient-flow, gate and predictions panels (recurrent_probe.py: the
epoch's last step runs the encoder unrolled to see each h_t's gradient; validation_record.py).

The spec's training options mean what they mean in SeqLab (src/train/trainer.ts): the learning-rate schedule
(schedules.py), early stopping and divergence (stopping.py: a diverged run keeps its last finite checkpoint), stateful
training and truncated BPTT (carried_state.py), seq2seq decoding for exact match (decoding.py: greedy or beam, the
spec's maxLength), and at the end the held-out test split evaluated with the best checkpoint (test_split.py,
report.json's "test").

Starts from model.safetensors unless --from-scratch. seq2seq decoders follow the spec's teacher-forcing schedule
(training.teacherForcing: start, end, decay, epochs) as SeqLab does: one coin per decoder step, shared by the
batch; where it says "not forcing", the step is fed the model's own previous argmax.
"""
import argparse
import contextlib
import json
import math
import os
import signal
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

import stopping
from batch_share import BatchShare
from carried_state import backpropagate, stateful_plan, tbptt_ignored, wrap_for_training
from decoding import decode_batch, default_decode_length, padded_target_steps, target_tokens
from model import HERE, PAD_ID, build_model, load_config, save_safetensors
from recurrent_probe import RecurrentProbe, gradient_flow
from schedules import create_schedule
from seqlab_data import Rng, batch_loader, batch_order, epoch_rng, open_data, shard
from test_split import evaluate_test_split
from validation_record import ValidationRecorder, denormalize, epoch_records

VALIDATION_BUDGET_SEED = 0x7A11D  # src/train/evaluate.ts: the fixed sample a validation budget evaluates
REGRESSION_TASKS = ("forecast", "regress", "regress-per-step")
METRIC_NAMES = {"forecast": ["mse", "rmse", "mae"], "regress": ["mse", "rmse", "mae"], "regress-per-step": ["mse", "rmse", "mae"],
                "classify": ["accuracy", "f1"],
                "tag": ["tokenAccuracy", "f1"], "generate": ["perplexity", "tokenAccuracy"],
                "seq2seq": ["perplexity", "tokenAccuracy", "exactMatch"]}


def make_optimizer(params, spec):
    kind, lr = spec["type"], spec["lr"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=spec.get("momentum", 0), nesterov=spec.get("nesterov", False),
                               weight_decay=spec.get("weightDecay", 0), dampening=spec.get("dampening", 0))
    betas = tuple(spec.get("betas", (0.9, 0.999)))
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=betas, eps=spec.get("eps", 1e-8), weight_decay=spec.get("weightDecay", 1e-2))
    return torch.optim.Adam(params, lr=lr, betas=betas, eps=spec.get("eps", 1e-8), weight_decay=spec.get("weightDecay", 0))


def real_steps(b, steps, device):
    """[B,T] True at each example's real steps (t < length)."""
    return torch.arange(steps, device=device)[None, :] < b["lengths"][:, None].to(device)


def compute_loss(task, training, outputs, b):
    if task in REGRESSION_TASKS:
        kind = training.get("loss", "mse")
        fn = F.l1_loss if kind == "l1" else F.huber_loss if kind == "huber" else F.mse_loss
        if task == "regress-per-step":
            # [B,T,K] against targets [B,T·K]: the mean over real steps only (padding counts for nothing).
            mask = real_steps(b, outputs.shape[1], outputs.device)
            return fn(outputs[mask], b["targets"].view(outputs.shape)[mask])
        return fn(outputs, b["targets"])
    classes = outputs.shape[-1]
    return F.cross_entropy(outputs.reshape(-1, classes), b["target_ids"].reshape(-1), ignore_index=-1,
                           label_smoothing=training.get("labelSmoothing", 0.0))


def loss_terms(task, b):
    """How many terms a batch's mean loss averages: examples, or real target tokens for per-step tasks."""
    if task in ("tag", "generate", "seq2seq"):
        return int((b["target_ids"] >= 0).sum())
    if task == "regress-per-step":
        return int(b["lengths"].clamp(max=b["inputs"].shape[1]).sum())
    return int(b["lengths"].shape[0])


def teacher_forcing_ratio(spec, epoch, total_epochs):
    """The probability of feeding the ground truth in this epoch: SeqLab's teacherForcingRatio (src/train/optimization.ts)."""
    if not spec:
        return 1.0
    start = spec["start"]
    end = spec.get("end", start)
    span = max(1, spec.get("epochs", total_epochs) - 1)
    progress = min(1.0, max(0.0, (epoch - 1) / span))
    decay = spec.get("decay", "none")
    if decay == "linear":
        return start + (end - start) * progress
    if decay == "exponential":
        floor = 1e-3  # a geometric path cannot reach exactly 0
        return max(start, floor) * (max(end, floor) / max(start, floor)) ** progress
    if decay == "inverse-sigmoid":
        s = lambda p: 1 / (1 + math.exp(10 * (p - 0.5)))
        return end + (start - end) * (s(progress) - s(1)) / (s(0) - s(1))
    return start


@torch.no_grad()
def scheduled_decoder_inputs(model, b, ratio, generator):
    """Decoder inputs under scheduled sampling, and how many steps were fed the model's own prediction.

    One coin per step t >= 1, shared by the batch; where it says "not forcing", step t gets the argmax of step t-1
    (padding stays padding). The model runs step by step without dropout to find those argmaxes; they carry no
    gradient, so the usual teacher-forced pass over the mixed inputs then gives exactly the outputs and gradients
    of running step by step (SeqLab's SequenceModel.sampleDecoderInputs does the same).
    """
    ids = b["decoder_input_ids"].clone()
    steps = ids.shape[1]
    own = torch.rand(steps, generator=generator) >= ratio
    own[0] = False
    if not bool(own.any()):
        return ids, 0
    was_training = model.training
    model.eval()
    inputs = b["input_ids"] if "input_ids" in b else b["inputs"]
    _, h_n, c_n = model.encode(inputs, b["lengths"])
    h, c = model.bridge(h_n, c_n)
    for t in range(steps - 1):
        y, h, c = model._run_stack(model.decoder, model.decoder_norms, model.decoder_spec, model.decoder_tokens(ids[:, t:t + 1]), None, h, c)
        if own[t + 1]:
            predicted = model.head(y)[:, 0].argmax(-1)
            ids[:, t + 1] = torch.where(ids[:, t + 1] == PAD_ID, ids[:, t + 1], predicted)
    model.train(was_training)
    return ids, int(own.sum())


def run_model(model, b):
    inputs = b["input_ids"] if "input_ids" in b else b["inputs"]
    return model(inputs, b["lengths"], b.get("decoder_input_ids"), b.get("target_lengths"))


# ------------------------------------------------------------------------------------------ validation metrics

def macro_f1(confusion):
    total, classes = 0.0, 0
    for c in range(confusion.shape[0]):
        truth, predicted = int(confusion[c].sum()), int(confusion[:, c].sum())
        if truth == 0 and predicted == 0:
            continue
        classes += 1
        total += 2 * int(confusion[c, c]) / (truth + predicted)
    return total / classes if classes else 0.0


@torch.no_grad()
def evaluate(model, split, config, training, device, batch_size, on_batch=None):
    """Validation loss and SeqLab's metrics for the task (src/train/metrics.ts), on at most maxBatches batches;
    on_batch(batch, outputs) sees each evaluated batch (the predictions panel's record)."""
    task, info, spec = config["spec"]["task"]["type"], config["info"], config["spec"]
    if len(split) == 0:
        return float("nan"), {}
    order = batch_order(split, batch_size)
    budget = (training.get("validation") or {}).get("maxBatches", 200)
    if budget < len(order):
        order = batch_order(split, batch_size, Rng(VALIDATION_BUDGET_SEED))[:budget]
    model.eval()
    loss_sum, loss_count = 0.0, 0
    squared, absolute, values, correct, total, exact, examples = 0.0, 0.0, 0, 0, 0, 0, 0
    C = info["outputSize"]
    confusion = torch.zeros(C, C, dtype=torch.long) if task in ("classify", "tag") else None
    for indices in order:
        b = {k: v.to(device) for k, v in split.batch(indices).items()}
        outputs = run_model(model, b)
        if on_batch is not None:
            on_batch(b, outputs)
        n = loss_terms(task, b)
        loss_sum += compute_loss(task, training, outputs, b).item() * n
        loss_count += n
        if task in REGRESSION_TASKS:
            anchors = b.get("anchors")
            error = denormalize(outputs.cpu(), info, spec, None if anchors is None else anchors.cpu()) - denormalize(b["targets"].cpu(), info, spec, None if anchors is None else anchors.cpu())
            if task == "regress-per-step":
                error = error.view(outputs.shape)[real_steps(b, outputs.shape[1], "cpu").cpu()]
            squared += float((error ** 2).sum())
            absolute += float(error.abs().sum())
            values += error.numel()
            continue
        truth = b["target_ids"].reshape(-1).cpu()
        predicted = outputs.reshape(-1, outputs.shape[-1]).argmax(-1).cpu()
        real = truth >= 0
        correct += int((predicted[real] == truth[real]).sum())
        total += int(real.sum())
        if confusion is not None:
            confusion.index_put_((truth[real], predicted[real]), torch.ones_like(truth[real]), accumulate=True)
        if task == "seq2seq":
            decoded = decode_batch(model, b["input_ids"], b["lengths"], training.get("decoding"), default_decode_length(b, info.get("paddedTargetSteps", 0)))
            exact += sum(int(got == target_tokens(row)) for got, row in zip(decoded, b["target_ids"].tolist()))
            examples += len(decoded)
    loss = loss_sum / max(1, loss_count)
    if task in REGRESSION_TASKS:
        mse = squared / max(1, values)
        return loss, {"mse": mse, "rmse": math.sqrt(mse), "mae": absolute / max(1, values)}
    accuracy = correct / max(1, total)
    if task == "classify":
        return loss, {"accuracy": accuracy, "f1": macro_f1(confusion)}
    if task == "tag":
        return loss, {"tokenAccuracy": accuracy, "f1": macro_f1(confusion)}
    metrics = {"perplexity": math.exp(loss), "tokenAccuracy": accuracy}
    if task == "seq2seq":
        metrics["exactMatch"] = exact / max(1, examples)
    return loss, metrics


# ------------------------------------------------------------------------------------------ the run folder

def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def json_number(value):
    """JSON has no NaN or Infinity: SeqLab writes them as strings."""
    return str(value) if isinstance(value, float) and not math.isfinite(value) else value


def dump(value):
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [dump(v) for v in value]
    return json_number(value)


class RunFolder:
    """Rank 0's writer of SeqLab's run folder (src/train/runFolder.ts): every file whole and atomic."""

    def __init__(self, path, spec):
        self.path = path
        os.makedirs(path, exist_ok=True)
        self.metric_lines = []
        write_atomic(self.file("spec.json"), json.dumps(spec, indent=2) + "\n")

    def file(self, name):
        return os.path.join(self.path, name)

    def weights(self, name, model, epoch, step, spec_name):
        """Weights under SeqLab's names; refuses (returns the name of) a non-finite tensor instead of writing it."""
        state = model.state_dict()
        for key, tensor in state.items():
            if not bool(torch.isfinite(tensor).all()):
                return key
        save_safetensors(state, self.file(name), {"format": "pt", "epoch": epoch, "step": step, "spec": spec_name,
                                                  "seqlab.engine": "pytorch"})
        return None

    def epoch(self, line):
        self.metric_lines.append(line)
        write_atomic(self.file("metrics.jsonl"), "".join(json.dumps(dump(l)) + "\n" for l in self.metric_lines))

    def report(self, report):
        write_atomic(self.file("report.json"), json.dumps(dump(report), indent=2) + "\n")


class Events:
    """SeqLab's trainer events (src/train/protocol.ts) as JSON lines on stdout (--json), else short text lines."""

    def __init__(self, enabled, as_json):
        self.enabled, self.as_json = enabled, as_json

    def __call__(self, event):
        if not self.enabled:
            return
        if self.as_json:
            print(json.dumps(dump(event)), flush=True)
        elif event["type"] == "epoch":
            metrics = "  ".join(f"{k} {v:.4g}" for k, v in event["metrics"].items())
            validation = f"validation loss {event['validationLoss']:.6g}" if "validationLoss" in event else "(not validated: training.validateEvery)"
            print(f"epoch {event['epoch']}: train loss {event['trainLoss']:.6g}  {validation}  {metrics}", flush=True)
        elif event["type"] in ("log", "runFinished"):
            print(event["message"], flush=True)


def main():
    config = load_config()
    spec = config["spec"]
    training = spec["training"]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=training["epochs"])
    parser.add_argument("--max-steps", type=int, default=training.get("maxSteps"))
    parser.add_argument("--batch-size", type=int, default=training["batchSize"], help="of all processes together, as in SeqLab")
    parser.add_argument("--lr", type=float, default=training["optimizer"]["lr"])
    parser.add_argument("--seed", type=int, default=training.get("seed", 0), help="the order of the training batches")
    parser.add_argument("--from-scratch", action="store_true", help="do not start from model.safetensors")
    parser.add_argument("--data", choices=["stream", "embed"], default=None, help="default: as exported")
    parser.add_argument("--data-path", default=None, help="the data file, where it is not at the exported path")
    parser.add_argument("--workers", type=int, default=0, help="DataLoader worker processes per rank")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--run-dir", default=os.path.join(HERE, "run"))
    parser.add_argument("--json", action="store_true", help="SeqLab's progress events as JSON lines")
    parser.add_argument("--progress-seconds", type=float, default=0.1, help="least time between two step events (0: every step)")
    args = parser.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    if distributed:
        dist.init_process_group("nccl" if use_cuda else "gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}" if use_cuda else "cpu")
    torch.manual_seed(args.seed)
    emit = Events(rank == 0, args.json)
    started = time.time()

    # Stop (SIGTERM from `seqlab train --engine pytorch`, or Ctrl+C): the run folder keeps its last epoch's
    # checkpoint and rank 0 reports the run as stopped. One process leaves at once. Under torchrun the processes
    # stop together at the next step's all-reduce: a rank that left alone would break rank 0's collective, which
    # then dies without its report.
    folder = RunFolder(os.path.abspath(args.run_dir), spec) if rank == 0 else None
    progress = {"epoch": 0, "step": 0, "committed": 0, "stop": False}

    def stopped_message():
        return f"stopped at epoch {progress['epoch'] + 1} step {progress['step']}; the last checkpoint (step {progress['committed']}) is kept at {folder.file('model.safetensors')}"

    def stop(signum, _frame):
        if distributed:
            progress["stop"] = True
            return
        if folder is not None and not progress.get("reported"):
            finish("stopped", stopped_message())
        os._exit(0)

    model = build_model(config, weights=None if args.from_scratch else os.path.join(HERE, "model.safetensors")).to(device)
    trained, carrier = wrap_for_training(model, spec, distributed, [local_rank] if use_cuda else None)
    data = open_data(config, HERE, args.data, args.data_path)
    train_split, validation_split = data.split("train"), data.split("validation")
    if spec["task"]["type"] == "seq2seq":
        config["info"]["paddedTargetSteps"] = padded_target_steps(train_split, validation_split)
    optimizer = make_optimizer(trained.parameters(), dict(training["optimizer"], lr=args.lr))
    schedule = create_schedule(optimizer, training, args.epochs)
    task = spec["task"]["type"]
    B = args.batch_size
    if B < world:
        raise SystemExit(f"--batch-size {B} is smaller than the {world} processes: each needs a part of every batch")
    plan = stateful_plan(dict(spec, training=dict(training, batchSize=B)), config["info"], train_split)
    drop_last = len(train_split) >= 2 * B
    per_epoch = plan.steps_per_epoch if plan else len(train_split) // B if drop_last else max(1, math.ceil(len(train_split) / B))
    total_steps = min(args.epochs * per_epoch, args.max_steps or math.inf)
    parameter_count = sum(p.numel() for p in model.parameters())
    state = {"best_loss": math.inf, "best_epoch": 0, "metrics": {}, "test": None}
    early = stopping.EarlyStopping(training)
    factor = stopping.divergence_factor(training)
    initial_loss = None  # the first step's loss: the reference of training.divergenceFactor

    def finish(status, message):
        result = {"type": "runFinished", "status": status, "message": message, "epochs": progress["epoch"], "steps": progress["step"],
                  "bestValidationLoss": state["best_loss"], "bestEpoch": state["best_epoch"], "finalMetrics": state["metrics"],
                  "seconds": time.time() - started, "runDir": folder.path}
        report = dict(result, specName=spec["name"], task=task, parameterCount=parameter_count, seed=args.seed, baselines={},
                      lastCheckpoint=folder.file("model.safetensors"), lastCheckpointStep=progress["committed"],
                      engine="pytorch", processes=world, device=device.type, torch=torch.__version__,
                      **({"test": {k: v for k, v in state["test"].items() if k != "type"}} if state["test"] else {}))
        del report["type"]
        progress["reported"] = True  # a stop arriving after this leaves the report as it is
        folder.report(report)
        emit(result)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if folder is not None:
        refused = folder.weights("model.safetensors", model, 0, 0, spec["name"])
        if refused:
            raise SystemExit(f"the starting weights are not finite ({refused})")
    emit({"type": "runStarted", "runId": os.path.basename(os.path.abspath(args.run_dir)), "runDir": os.path.abspath(args.run_dir),
          "specName": spec["name"], "task": task, "parameterCount": parameter_count, "kernels": f"pytorch {torch.__version__} {device.type} x{world}",
          "totalSteps": total_steps, "epochs": args.epochs, "stepsPerEpoch": per_epoch, "metricNames": METRIC_NAMES[task]})
    if plan:
        emit({"type": "log", "level": "info", "message": f"stateful: {plan.description}; the hidden state carries (detached) from batch to batch, resets each epoch, and validation windows start from zeros"})
    if tbptt_ignored(spec):
        emit({"type": "log", "level": "warning", "message": tbptt_ignored(spec)})
    for note in data.notes:  # how the data file is read (seqlab_data.py): statistics fitted on another file
        emit({"type": "log", "level": "info", "message": note})

    def diverge(what, epoch, step):
        return "diverged", f"Diverged at step {step}, in epoch {epoch}: {what}; {stopping.likely_cause(training, optimizer.param_groups[0]['lr'])}; the last checkpoint (step {progress['committed']}) is kept at {folder.file('model.safetensors') if folder else 'model.safetensors'}."

    status, message = "completed", ""
    clip_norm, clip_value = training.get("clipGradNorm"), training.get("clipGradValue")
    # The throttle of step events runs across epochs: with epochs shorter than --progress-seconds, restarting it
    # each epoch would hold every step event back until the run's last step. The first step is always shown.
    last_step_event = -math.inf
    for epoch in range(1, args.epochs + 1):
        if progress["step"] >= total_steps:
            break
        epoch_started = time.time()
        trained.train()
        order = plan.order if plan else batch_order(train_split, B, epoch_rng(args.seed, epoch), spec["data"].get("bucketByLength", False), drop_last)
        loader = batch_loader(plan.dataset if plan else train_split, [shard(indices, rank, world) for indices in order], args.workers)
        ratio = teacher_forcing_ratio(training.get("teacherForcing"), epoch, args.epochs) if task == "seq2seq" else 1.0
        coins = torch.Generator().manual_seed(args.seed * 1000003 + epoch * 7919)
        loss_sum, loss_count, own_steps, all_steps = 0.0, 0, 0, 0
        window_samples, window_started = 0, time.time()
        flow = None
        for position, batch in enumerate(loader):
            b = {k: v.to(device) for k, v in batch.items()}
            if plan and plan.starts[position]:
                carrier.reset()  # new streams begin (and every epoch starts from zeros)
            if ratio < 1:
                b["decoder_input_ids"], own = scheduled_decoder_inputs(model, b, ratio, coins)
                own_steps += own
                all_steps += b["decoder_input_ids"].shape[1] - 1
            optimizer.zero_grad()
            # The epoch's last step runs the encoder unrolled, to record the gradient flow through time SeqLab shows
            # (of the batch's last chunk under truncated BPTT, as SeqLab's).
            probing = position == len(order) - 1 or progress["step"] + 1 >= total_steps
            probe = RecurrentProbe(model, gradients=True) if probing else None
            share = BatchShare(loss_terms(task, b), distributed, device)
            loss = backpropagate(trained, carrier, spec, b, lambda module, x: compute_loss(task, training, run_model(module, x), x), distributed, last_pass=probe, weight=share.weight)
            if probing:
                flow = gradient_flow(probe, config, share.terms, distributed, share.weight)
            parameters = [p for p in trained.parameters() if p.grad is not None]
            norm_before = float(torch.nn.utils.clip_grad_norm_(parameters, clip_norm if clip_norm is not None else math.inf))
            if clip_value is not None:
                torch.nn.utils.clip_grad_value_(parameters, clip_value)
            norm_after = float(torch.norm(torch.stack([p.grad.norm() for p in parameters]))) if clip_norm is not None or clip_value is not None else norm_before
            # The batch's loss over all ranks (each rank's mean weighted by its terms), as SeqLab computes it;
            # the gradients are already averaged, so every rank decides alike whether the step diverged.
            examples = int(b["lengths"].shape[0])
            figures = torch.tensor([share.weighted_loss(loss), float(examples), float(progress["stop"])], dtype=torch.float64)
            if distributed:
                dist.all_reduce(figures)
            if figures[2] > 0:  # a stop reached some process: all leave before this step changes the weights
                status, message = "stopped", stopped_message() if folder is not None else ""
                break
            batch_loss, batch_examples = float(figures[0]) / max(1.0, share.total), int(figures[1])
            if initial_loss is None:
                initial_loss = batch_loss
            problem = stopping.step_divergence(batch_loss, norm_before, initial_loss, factor)
            if problem:
                status, message = diverge(problem, epoch, progress["step"] + 1)
                break
            optimizer.step()
            problem = stopping.weight_divergence(model)
            if problem:
                status, message = diverge(problem, epoch, progress["step"] + 1)
                break
            loss_sum += batch_loss * batch_examples
            loss_count += batch_examples
            progress["step"] += 1
            window_samples += batch_examples
            now = time.time()
            if now - last_step_event >= args.progress_seconds or progress["step"] >= total_steps:
                rate = window_samples / max(1e-9, now - window_started)
                steps_per_second = progress["step"] / max(1e-9, now - started)
                event = {"type": "step", "epoch": epoch, "step": progress["step"], "totalSteps": total_steps, "loss": batch_loss,
                         "lr": optimizer.param_groups[0]["lr"], "gradNormBefore": norm_before, "gradNormAfter": norm_after,
                         "samplesPerSecond": rate, "etaSeconds": (total_steps - progress["step"]) / max(1e-9, steps_per_second)}
                if task == "seq2seq":
                    event["teacherForcing"] = ratio
                emit(event)
                window_samples, window_started, last_step_event = 0, now, now
            if progress["step"] >= total_steps:
                break
        if status != "completed":
            break
        verdict, validation_loss, metrics, recorder = stopping.CONTINUE, math.nan, {}, None
        validated = stopping.validates_epoch(epoch, training, epoch == args.epochs or progress["step"] >= total_steps)
        if rank == 0 and validated:
            recorder = ValidationRecorder(config)
            validation_loss, metrics = evaluate(model, validation_split, config, training, device, B, on_batch=recorder.add)
            problem = stopping.validation_divergence(validation_loss, initial_loss, factor) if len(validation_split) else None
            if problem:
                status, message = diverge(problem, epoch, progress["step"])
                verdict = stopping.DIVERGED
        validation_loss, verdict = stopping.share_epoch_end(validation_loss, verdict, distributed, device)
        if verdict == stopping.DIVERGED:
            status = "diverged"
            break
        lr_this_epoch = optimizer.param_groups[0]["lr"]
        if schedule:
            schedule.after_epoch(validation_loss if validated else None)
        if rank == 0:
            improved = validated and early.observe(validation_loss, metrics)
            if improved:
                state.update(best_loss=validation_loss, best_epoch=epoch)
            if validated:
                state["metrics"] = metrics
            # An epoch without validation has no validation figures at all (stopping.py).
            line = {"epoch": epoch, "step": progress["step"], "trainLoss": loss_sum / max(1, loss_count), **({"validationLoss": validation_loss} if validated else {}),
                    "metrics": metrics, "best": improved, "lr": lr_this_epoch, "seconds": time.time() - epoch_started}
            if task == "seq2seq":
                line["teacherForcing"] = ratio
                emit({"type": "log", "level": "info", "message": f"epoch {epoch}: teacher forcing {ratio:.4f} (own predictions at {own_steps} of {all_steps} steps)"})
            # As SeqLab commits an epoch: best and metrics first, the checkpoint last.
            refused = improved and folder.weights("best.safetensors", model, epoch, progress["step"], spec["name"])
            if not refused:
                folder.epoch(line)
                refused = folder.weights("model.safetensors", model, epoch, progress["step"], spec["name"])
            if refused:
                status, message = diverge(f"{refused} is not finite", epoch, progress["step"])
                verdict = stopping.DIVERGED
            else:
                progress["epoch"], progress["committed"] = epoch, progress["step"]
                emit(dict(line, type="epoch"))
                # Without validation only the gradient flow: the gates and predictions panels show validation examples.
                for event in epoch_records(model, validation_split if validated else [], config, epoch, progress["step"], flow, recorder, device, B, args.seed):
                    emit(event)
                if validated and early.should_stop:
                    verdict = stopping.EARLY_STOPPED
        else:
            progress["epoch"] = epoch
        _, verdict = stopping.share_epoch_end(validation_loss, verdict, distributed, device)
        if verdict != stopping.CONTINUE:
            status = "diverged" if verdict == stopping.DIVERGED else "early-stopped"
            break
    if rank == 0:
        if status == "completed":
            message = f"trained {progress['epoch']} epochs ({progress['step']} steps) on {world} process{'es' if world > 1 else ''}; best validation loss {state['best_loss']:.4g} at epoch {state['best_epoch']}"
        elif status == "early-stopped":
            message = f"Stopped early after {progress['epoch']} epochs ({progress['step']} steps): {early.reason}; best epoch {state['best_epoch']} (validation loss {stopping.js_precision(state['best_loss'], 4)})."
        if progress["epoch"] > 0 and status != "stopped":
            # The held-out test split, with the weights validation chose (SeqLab's evaluateHeldOutTest).
            state["test"] = evaluate_test_split(evaluate, config, training, device, B, folder, state["best_epoch"], data.split("test"))
            if state["test"]:
                emit(state["test"])
        finish(status, message)
    code = 0 if status in ("completed", "early-stopped", "stopped") else 1
    if distributed:
        # Every file is committed (atomic writes) and every event printed. The processes leave together, once rank 0
        # has reported, and without the process group's teardown: torch 1.13's destroy_process_group can wait
        # forever for a peer that already left (pytorch/pytorch#75097).
        dist.barrier()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
