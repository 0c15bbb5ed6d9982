"""What SeqLab's gate and gradient-flow panels show, recorded in PyTorch: the encoder's recurrent layers run step
by step (same weights, same gate formulas as nn.RNN / nn.LSTM / nn.GRU), so every h_t and every gate exists as a
tensor of its own, which the fused modules do not expose.

    with RecurrentProbe(model, gradients=True) as probe:   # the last training step of an epoch
        loss = compute_loss(...); loss.backward()
    flow = probe.gradient_flow(...)                         # SeqLab's 'gradFlow' norms: per layer, ||dL/dh_t||

    gate_snapshots(model, batch, config, epoch, step)      # SeqLab's 'gates' events: one per layer

Meaning (src/train/gateSnapshots.ts, gateSaturation.ts, src/nn/recurrent/fusedRecurrent.ts):
 - gradient flow: for each encoder layer and step t, the norm over the batch (both directions) of the whole gradient
   of the batch's loss reaching h_t (from the layer above and from step t+1), padding steps left out; the row is
   as long as the batch's longest sequence;
 - gates: the first example of the batch, forward direction, its real steps, [T,H] row-major per gate (LSTM input,
   forget, cell, output and the cell state c; GRU reset, update, candidate; RNN hidden), with each gate's share
   of saturated values under SeqLab's rules.
While no probe is open, the model runs its fused modules as before.
"""
import math
from decimal import ROUND_HALF_UP, Decimal

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

import model as model_module

# src/train/gateSaturation.ts: the rule of each kind of gate value and its words.
SIGMOID_GATES = {"input", "forget", "output", "reset", "update"}
TANH_GATES = {"cell", "candidate"}
SIGMOID_LOW, SIGMOID_HIGH, TANH_BOUND = 0.1, 0.9, 0.9
SATURATION_RULES = {"sigmoid": f"below {SIGMOID_LOW} or above {SIGMOID_HIGH}", "tanh": f"|value| above {TANH_BOUND}",
                    "cellState": f"|tanh(c)| above {TANH_BOUND}"}
GATE_NAMES = {"lstm": ["input", "forget", "cell", "output"], "gru": ["reset", "update", "candidate"], "rnn": ["hidden"]}


def saturation_kind(gate, nonlinearity="tanh"):
    if gate in SIGMOID_GATES:
        return "sigmoid"
    if gate in TANH_GATES:
        return "tanh"
    if gate == "hidden":
        return "tanh" if nonlinearity == "tanh" else None  # a ReLU has no upper flat part
    if gate == "cellState":
        return "cellState"
    return None


def saturation_share(kind, values):
    """Share of saturated values (0 for none): sigmoid gates outside [0.1, 0.9], tanh values and tanh(c) beyond 0.9."""
    if values.numel() == 0:
        return 0.0
    v = values.double()
    if kind == "sigmoid":
        saturated = (v < SIGMOID_LOW) | (v > SIGMOID_HIGH)
    else:
        bound = TANH_BOUND if kind == "tanh" else math.atanh(TANH_BOUND)
        saturated = v.abs() > bound
    return int(saturated.sum()) / values.numel()


def js_fixed2(value):
    """JavaScript's value.toFixed(2) (half away from zero on the exact value; -0 prints as 0.00)."""
    text = str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return "0.00" if value == 0 else text


# ------------------------------------------------------------------------------------------ the unrolled layers

def _cell_kind(module):
    return "lstm" if isinstance(module, nn.LSTM) else "gru" if isinstance(module, nn.GRU) else "rnn"


def _step(kind, module, xi, h, c, w_hh, b_hh, w_hr):
    """One step of a cell from its input projection xi = x W_ih^T + b_ih: (h', c', gates by name)."""
    hh = F.linear(h, w_hh, b_hh)
    if kind == "lstm":
        i, f, g, o = (xi + hh).chunk(4, dim=-1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        if w_hr is not None:
            h = F.linear(h, w_hr)
        return h, c, {"input": i, "forget": f, "cell": g, "output": o, "cellState": c}
    if kind == "gru":
        xr, xz, xn = xi.chunk(3, dim=-1)
        hr, hz, hn = hh.chunk(3, dim=-1)
        r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
        n = torch.tanh(xn + r * hn)
        return (1 - z) * n + z * h, None, {"reset": r, "update": z, "candidate": n}
    h = torch.tanh(xi + hh) if module.nonlinearity == "tanh" else torch.relu(xi + hh)
    return h, None, {"hidden": h}


class RecurrentProbe:
    """While open, the encoder's recurrent modules run unrolled (model.run_recurrent is swapped for this probe's),
    recording what the panels show: the gates of example 0 (forward direction) and, with gradients=True,
    sum over the batch of (dL/dh_t)^2 per layer and step, through hooks on each step's h."""

    def __init__(self, seq_model, gradients=False, gates=False):
        encoder = seq_model.encoder
        # A split stack (residual / layer norm) calls run_recurrent once per layer; a fused stack once for all.
        self.modules = list(encoder.layers) if isinstance(encoder, model_module.SplitStack) else [encoder]
        self.gradients, self.record_gates = gradients, gates
        self.squares = {}  # (layer, t) -> float64 tensor: sum of squared gradient over batch, hidden and directions
        self.gates = {}  # layer -> {gate: [T,H]} of example 0, forward direction
        self.steps = 0
        self._original = None

    def __enter__(self):
        self._original = model_module.run_recurrent
        original = self._original

        def run(module, x, lengths, h0=None, c0=None):
            for position, probed in enumerate(self.modules):
                if module is probed:
                    return self._unrolled(module, position, x, lengths, h0, c0)
            return original(module, x, lengths, h0, c0)

        model_module.run_recurrent = run
        return self

    def __exit__(self, *exc):
        model_module.run_recurrent = self._original
        return False

    def _unrolled(self, module, position, x, lengths, h0, c0):
        kind = _cell_kind(module)
        L, D = module.num_layers, 2 if module.bidirectional else 1
        H = module.hidden_size
        S = getattr(module, "proj_size", 0) or H
        B, T = x.shape[0], x.shape[1]
        if lengths is None:
            lengths = torch.full((B,), T, dtype=torch.long)
        real = torch.arange(T, device=x.device)[None, :] < lengths.to(x.device)[:, None]  # [B,T]
        self.steps = max(self.steps, int(lengths.max()))
        layer_input = x
        finals_h, finals_c = [], []
        for l in range(L):
            layer = position + l  # index in the stack (a split stack's modules are one layer each)
            outputs = []
            for d in range(D):
                suffix = f"_l{l}" + ("_reverse" if d else "")
                w_ih, w_hh = getattr(module, "weight_ih" + suffix), getattr(module, "weight_hh" + suffix)
                b_ih = getattr(module, "bias_ih" + suffix) if module.bias else None
                b_hh = getattr(module, "bias_hh" + suffix) if module.bias else None
                w_hr = getattr(module, "weight_hr" + suffix, None)
                row = l * D + d
                h = h0[row] if h0 is not None else x.new_zeros(B, S)
                c = (c0[row] if c0 is not None else x.new_zeros(B, H)) if kind == "lstm" else None
                xi = F.linear(layer_input, w_ih, b_ih)  # [B,T,G]
                out = [None] * T
                for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
                    keep = real[:, t, None]
                    h_new, c_new, gates = _step(kind, module, xi[:, t], h, c, w_hh, b_hh, w_hr)
                    if self.gradients and h_new.requires_grad:
                        h_new.register_hook(self._square_hook(layer, t))
                    if self.record_gates and d == 0 and bool(real[0, t]):
                        for name, value in gates.items():
                            self.gates.setdefault(layer, {}).setdefault(name, {})[t] = value[0].detach()
                    # Packed semantics: a sequence past its length keeps its state and outputs zeros; its h_new is
                    # not used, so no gradient reaches it (SeqLab's packed rows have no padding steps at all).
                    h = torch.where(keep, h_new, h)
                    if c is not None:
                        c = torch.where(keep, c_new, c)
                    out[t] = torch.where(keep, h_new, torch.zeros_like(h_new))
                outputs.append(torch.stack(out, 1))
                finals_h.append(h)
                if c is not None:
                    finals_c.append(c)
            y = torch.cat(outputs, -1) if D > 1 else outputs[0]
            if l < L - 1 and module.dropout and module.training:
                y = F.dropout(y, module.dropout, True)
            layer_input = y
        return layer_input, torch.stack(finals_h, 0), (torch.stack(finals_c, 0) if finals_c else None)

    def _square_hook(self, layer, t):
        def hook(grad):
            value = grad.detach().double().pow(2).sum()
            key = (layer, t)
            self.squares[key] = self.squares[key] + value if key in self.squares else value
        return hook

    def gradient_squares(self, layers, steps):
        """[layers, steps] float64: the recorded sums of squares (0 where no gradient came)."""
        out = torch.zeros(layers, steps, dtype=torch.float64)
        for (layer, t), value in self.squares.items():
            if layer < layers and t < steps:
                out[layer, t] = value.cpu()
        return out


def encoder_layers(config):
    return config["spec"]["model"]["encoder"].get("numLayers", 1)


def gradient_flow(probe, config, loss_terms, distributed=False, weight=1.0):
    """SeqLab's gradFlow norms ([layer][t], t up to the batch's longest sequence) after a probed backward.

    Under torchrun each rank holds part of the batch and the gradient of `weight` times its own mean loss (over its
    `loss_terms` examples or tokens): scaled back, then by its share of the batch's terms, that is its part of the
    gradient of the whole batch's loss, as SeqLab computes it; the squares of all ranks are then summed (every rank
    must call this)."""
    steps, total = probe.steps, float(loss_terms)
    if distributed:
        longest = torch.tensor([steps], dtype=torch.long)
        dist.all_reduce(longest, op=dist.ReduceOp.MAX)
        terms = torch.tensor([total], dtype=torch.float64)
        dist.all_reduce(terms)
        steps, total = int(longest[0]), float(terms[0])
    scale = loss_terms / max(1.0, total) / weight if weight else 0.0
    squares = probe.gradient_squares(encoder_layers(config), steps) * (scale * scale)
    if distributed:
        dist.all_reduce(squares)
    return squares.sqrt().tolist()


@torch.no_grad()
def gate_snapshots(seq_model, batch, config, epoch, step):
    """SeqLab's 'gates' events for the first example of `batch` (the first validation batch), one per layer."""
    was_training = seq_model.training
    seq_model.eval()
    inputs = batch["input_ids"] if "input_ids" in batch else batch["inputs"]
    with RecurrentProbe(seq_model, gates=True) as probe:
        seq_model.encode(inputs, batch["lengths"])
    seq_model.train(was_training)
    encoder = config["spec"]["model"]["encoder"]
    cell, nonlinearity = encoder["cell"], encoder.get("nonlinearity", "tanh")
    info = config["info"]
    T = int(batch["lengths"][0])
    if "input_ids" in batch:
        vocabulary = info.get("vocabulary") or []
        ids = batch["input_ids"][0, :T].tolist()
        time_labels = [vocabulary[i] if 0 <= i < len(vocabulary) else "<unk>" for i in ids] if vocabulary else [str(i) for i in ids]
    else:
        time_labels = [js_fixed2(float(v)) for v in batch["inputs"][0, :T, 0].tolist()]
    snapshots = []
    for layer in range(encoder_layers(config)):
        recorded = probe.gates.get(layer, {})
        names = GATE_NAMES[cell] + (["cellState"] if cell == "lstm" else [])
        gates, saturation, rules = {}, {}, {}
        for name in names:
            values = torch.stack([recorded[name][t] for t in range(T)]) if T else torch.zeros(0, encoder["hiddenSize"])
            values = values.float().cpu()
            gates[name] = values.reshape(-1).tolist()
            kind = saturation_kind(name, nonlinearity)
            if kind is not None:
                saturation[name] = saturation_share(kind, values)
                rules[name] = SATURATION_RULES[kind]
        snapshots.append({"type": "gates", "epoch": epoch, "step": step, "cell": cell, "layer": layer,
                          "hiddenSize": encoder["hiddenSize"], "steps": T, "timeLabels": time_labels, "gates": gates,
                          "saturation": saturation, "saturationRule": rules})
    return snapshots
