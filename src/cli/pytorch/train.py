"""Train the exported SeqLab model in PyTorch, on one process or many:

    python train.py --epochs 5                                   # one process (CPU or one GPU)
    torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 train.py --epochs 5
                                                                 # DistributedDataParallel, one process per GPU/core

'--redirects 1 --tee 1' works around torch 1.13's launcher on Python >= 3.11 (Debian's python3-torch): it parses
its default '--redirects 0 --tee 0' into None (Python 3.11 no longer lists the zero and alias members of an
IntFlag) and crashes with "'NoneType' object has no attribute 'get'" before starting any worker. With these flags
each worker's stdout also goes to a log file and is shown prefixed '[default<rank>]:'; newer torch needs nothing.

The data is the one SeqLab prepared (data.safetensors: padded arrays and lengths, the same vocabulary and
z-score), so no loader needs porting. Starts from model.safetensors unless --from-scratch; rank 0 writes the
weights to --out as safetensors that 'seqlab predict --weights' reads back. seq2seq decoders follow the spec's
teacher-forcing schedule (training.teacherForcing: start, end, decay, epochs) as SeqLab does: one coin per decoder
step, shared by the batch; where it says "not forcing", the step is fed the model's own previous argmax.
"""
import argparse
import math
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from model import HERE, PAD_ID, build_model, load_config, load_safetensors, save_safetensors

FIELDS = ["inputs", "input_ids", "lengths", "targets", "target_ids", "decoder_input_ids", "target_lengths"]
INTEGER_FIELDS = {"input_ids", "lengths", "target_ids", "decoder_input_ids", "target_lengths"}


def split_tensors(data, split):
    names = [f for f in FIELDS if f"{split}.{f}" in data]
    tensors = [data[f"{split}.{f}"].long() if f in INTEGER_FIELDS else data[f"{split}.{f}"] for f in names]
    return names, tensors


def trim(batch, names):
    """Cut the padding beyond the longest sequence of the batch, as SeqLab's batches are padded."""
    b = dict(zip(names, batch))
    steps = int(b["lengths"].max())
    for key in ("inputs", "input_ids"):
        if key in b:
            b[key] = b[key][:, :steps]
    if "target_ids" in b and b["target_ids"].dim() == 2 and "target_lengths" in b:
        target_steps = int(b["target_lengths"].max())
        b["target_ids"] = b["target_ids"][:, :target_steps]
        if "decoder_input_ids" in b:
            b["decoder_input_ids"] = b["decoder_input_ids"][:, :target_steps]
    return b


def make_optimizer(params, spec):
    kind, lr = spec["type"], spec["lr"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=spec.get("momentum", 0), nesterov=spec.get("nesterov", False),
                               weight_decay=spec.get("weightDecay", 0), dampening=spec.get("dampening", 0))
    betas = tuple(spec.get("betas", (0.9, 0.999)))
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=betas, eps=spec.get("eps", 1e-8), weight_decay=spec.get("weightDecay", 1e-2))
    return torch.optim.Adam(params, lr=lr, betas=betas, eps=spec.get("eps", 1e-8), weight_decay=spec.get("weightDecay", 0))


def compute_loss(task, training, outputs, b):
    if task in ("forecast", "regress"):
        kind = training.get("loss", "mse")
        fn = F.l1_loss if kind == "l1" else F.huber_loss if kind == "huber" else F.mse_loss
        return fn(outputs, b["targets"])
    classes = outputs.shape[-1]
    return F.cross_entropy(outputs.reshape(-1, classes), b["target_ids"].reshape(-1), ignore_index=-1,
                           label_smoothing=training.get("labelSmoothing", 0.0))


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


def main():
    config = load_config()
    training = config["spec"]["training"]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=training["epochs"])
    parser.add_argument("--batch-size", type=int, default=training["batchSize"], help="per process")
    parser.add_argument("--lr", type=float, default=training["optimizer"]["lr"])
    parser.add_argument("--seed", type=int, default=training.get("seed", 0))
    parser.add_argument("--from-scratch", action="store_true", help="do not start from model.safetensors")
    parser.add_argument("--out", default=os.path.join(HERE, "trained.safetensors"))
    args = parser.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed)

    model = build_model(config, weights=None if args.from_scratch else os.path.join(HERE, "model.safetensors")).to(device)
    trained = DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None) if distributed else model
    data = load_safetensors(os.path.join(HERE, "data.safetensors"))
    names, tensors = split_tensors(data, "train")
    dataset = TensorDataset(*tensors)
    sampler = DistributedSampler(dataset, shuffle=True, seed=args.seed) if distributed else None
    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler)
    val_names, val_tensors = split_tensors(data, "validation")
    optimizer_spec = dict(training["optimizer"], lr=args.lr)
    optimizer = make_optimizer(trained.parameters(), optimizer_spec)
    task = config["spec"]["task"]["type"]

    for epoch in range(1, args.epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        trained.train()
        total, count = 0.0, 0
        ratio = teacher_forcing_ratio(training.get("teacherForcing"), epoch, args.epochs) if task == "seq2seq" else 1.0
        coins = torch.Generator().manual_seed(args.seed * 1000003 + epoch * 7919 + rank)
        own_steps, all_steps = 0, 0
        for batch in loader:
            b = {k: v.to(device) for k, v in trim(batch, names).items()}
            if ratio < 1:
                b["decoder_input_ids"], own = scheduled_decoder_inputs(model, b, ratio, coins)
                own_steps += own
                all_steps += b["decoder_input_ids"].shape[1] - 1
            optimizer.zero_grad()
            loss = compute_loss(task, training, run_model(trained, b), b)
            loss.backward()
            if training.get("clipGradNorm") is not None:
                torch.nn.utils.clip_grad_norm_(trained.parameters(), training["clipGradNorm"])
            if training.get("clipGradValue") is not None:
                torch.nn.utils.clip_grad_value_(trained.parameters(), training["clipGradValue"])
            optimizer.step()
            total += loss.item() * len(batch[0])
            count += len(batch[0])
        if rank == 0:
            model.eval()
            with torch.no_grad():
                vb = {k: v.to(device) for k, v in trim(val_tensors, val_names).items()} if val_tensors else None
                val = compute_loss(task, training, run_model(model, vb), vb).item() if vb else float("nan")
            forcing = f"  teacher forcing {ratio:.4f} (own predictions at {own_steps} of {all_steps} steps)" if task == "seq2seq" else ""
            print(f"epoch {epoch}: train loss {total / max(1, count):.6g}  validation loss {val:.6g}{forcing}", flush=True)
    if rank == 0:
        save_safetensors(model.state_dict(), args.out, {"format": "pt"})
        print(f"wrote {args.out}")
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
