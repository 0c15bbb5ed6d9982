"""The network exported by 'seqlab export --to pytorch': the same layers, order and parameter names as SeqLab,
so 'model.safetensors' loads with 'load_state_dict(strict=True)' and the outputs match SeqLab's.

CONFIG (in config.json) holds the spec and the data's sizes; 'SeqModel(CONFIG)' builds the network.
Shape letters: B batch, T steps, T' target steps, E embedding, H hidden, D directions, L layers.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
PAD_ID, BOS_ID, EOS_ID = 0, 2, 3


def load_config(path=os.path.join(HERE, "config.json")):
    with open(path) as f:
        return json.load(f)


# ------------------------------------------------------------------------------------------ safetensors (F32)

def load_safetensors(path):
    """Reads a safetensors file of F32 tensors (the format SeqLab writes) without the 'safetensors' package."""
    with open(path, "rb") as f:
        data = f.read()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_size])
    base = 8 + header_size
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32")
        start, end = entry["data_offsets"]
        if end == start:
            tensors[name] = torch.zeros(entry["shape"], dtype=torch.float32)
        else:
            tensors[name] = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=torch.float32).reshape(entry["shape"]).clone()
    return tensors


def save_safetensors(tensors, path, metadata=None):
    """Writes F32 tensors as safetensors (names sorted, header padded to 8 bytes), loadable by SeqLab."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu", torch.float32).contiguous()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------------ layers

def cell_options(cell, nonlinearity, proj_size):
    """The keyword arguments only one kind of cell takes: the RNN's nonlinearity, the LSTM's proj_size."""
    if cell == "rnn":
        return {"nonlinearity": nonlinearity}
    return {"proj_size": proj_size} if proj_size else {}


class SplitStack(nn.Module):
    """Residual connections / layer norm between stacked layers: one single-layer module per layer, whose
    parameters are registered here under the multi-layer names (weight_ih_l{k}), as SeqLab names them."""

    def __init__(self, cell, input_size, hidden, layers, bidirectional, dropout, nonlinearity, residual, bias=True, proj_size=0):
        super().__init__()
        directions = 2 if bidirectional else 1
        width = directions * (proj_size or hidden)
        self.layers, self.residual = [], []
        self.dropout = dropout
        for k in range(layers):
            layer_input = input_size if k == 0 else width
            kwargs = cell_options(cell, nonlinearity, proj_size)
            module = CELLS[cell](layer_input, hidden, num_layers=1, bidirectional=bidirectional, batch_first=True, bias=bias, **kwargs)
            for name, parameter in list(module.named_parameters()):
                self.register_parameter(name.replace("_l0", f"_l{k}"), parameter)
            self.layers.append(module)
            self.residual.append(residual and layer_input == width)


def run_recurrent(module, x, lengths, h0=None, c0=None):
    """One recurrent module with pack_padded_sequence semantics (lengths None: run over the padding too)."""
    state = None
    if h0 is not None:
        state = (h0, c0 if c0 is not None else torch.zeros_like(h0)) if isinstance(module, nn.LSTM) else h0
    if lengths is None or bool((lengths == x.shape[1]).all()):
        # No padding (fixed windows): packing would change nothing but cost several times the time.
        output, final = module(x, state)
    else:
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        output, final = module(packed, state)
        output, _ = pad_packed_sequence(output, batch_first=True, total_length=x.shape[1])
    if isinstance(module, nn.LSTM):
        return output, final[0], final[1]
    return output, final, None


class Head(nn.Module):
    """Dropout → Linear → activation for each hidden layer, then dropout → Linear to the outputs."""

    def __init__(self, input_size, output_size, spec):
        super().__init__()
        spec = spec or {}
        widths = [input_size] + list(spec.get("hidden", []))
        self.hidden = nn.ModuleList(nn.Linear(widths[k], widths[k + 1]) for k in range(len(widths) - 1))
        self.output = nn.Linear(widths[-1], output_size)
        self.dropout = nn.Dropout(spec.get("dropout", 0))
        self.activation = torch.relu if spec.get("activation", "relu") == "relu" else torch.tanh

    def forward(self, x):
        for layer in self.hidden:
            x = self.activation(layer(self.dropout(x)))
        return self.output(self.dropout(x))


class SeqModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        spec, info = config["spec"], config["info"]
        model = spec["model"]
        self.task = spec["task"]["type"]
        self.info = info
        self.readout = model.get("readout", "hN")
        self.tokens = info["kind"] == "tokens"
        embedding = model.get("embedding")
        encoder_input = info["inputSize"]
        self.embedding = None
        self.embedding_dropout = nn.Dropout(embedding.get("dropout", 0) if embedding else 0)
        if self.tokens and embedding:
            vocab = embedding.get("vocabSize", info["inputSize"])
            padding = PAD_ID if embedding.get("paddingIdx", True) else None
            self.embedding = nn.Embedding(vocab, embedding["dim"], padding_idx=padding)
            encoder_input = embedding["dim"]
        self.encoder_spec = model["encoder"]
        self.encoder, self.encoder_norms = self._stack(model["encoder"], encoder_input, "encoder")
        out_width = self._width(model["encoder"])
        self.initial_h = self.initial_c = None
        if model.get("initialState") == "learned":
            e = model["encoder"]
            rows = e.get("numLayers", 1) * (2 if e.get("bidirectional") else 1)
            self.initial_h = nn.Parameter(torch.zeros(rows, 1, self._state(e)))
            if e["cell"] == "lstm":
                self.initial_c = nn.Parameter(torch.zeros(rows, 1, e["hiddenSize"]))
        self.decoder = None
        if self.task == "seq2seq":
            target_vocab = info["targetVocabSize"]
            shared = spec["data"].get("source") == "pairs" and spec["data"].get("sharedVocabulary") is True
            self.decoder_embedding = None
            self.shared_embedding = bool(shared and embedding)
            decoder_input = target_vocab
            if embedding:
                decoder_input = embedding["dim"]
                if not shared:
                    padding = PAD_ID if embedding.get("paddingIdx", True) else None
                    self.decoder_embedding = nn.Embedding(target_vocab, embedding["dim"], padding_idx=padding)
            self.target_vocab = target_vocab
            self.decoder_spec = model["decoder"]
            self.decoder, self.decoder_norms = self._stack(model["decoder"], decoder_input, "decoder")
            out_width = self._width(model["decoder"])
        self.head = Head(out_width, info["outputSize"], model.get("head"))

    @staticmethod
    def _state(spec):
        """Width of h_t: the LSTM's projSize when it projects (c_t stays hiddenSize), else hiddenSize."""
        return spec.get("projSize", 0) or spec["hiddenSize"]

    @staticmethod
    def _width(spec):
        return SeqModel._state(spec) * (2 if spec.get("bidirectional") else 1)

    def _stack(self, spec, input_size, name):
        layers = spec.get("numLayers", 1)
        nonlinearity = spec.get("nonlinearity", "tanh")
        if spec.get("residual") or spec.get("layerNorm"):
            stack = SplitStack(spec["cell"], input_size, spec["hiddenSize"], layers, spec.get("bidirectional", False),
                               spec.get("dropout", 0), nonlinearity, bool(spec.get("residual")), spec.get("bias", True),
                               spec.get("projSize", 0))
            norms = nn.ModuleList(nn.LayerNorm(self._width(spec)) for _ in range(layers)) if spec.get("layerNorm") else None
            return stack, norms
        kwargs = cell_options(spec["cell"], nonlinearity, spec.get("projSize", 0))
        module = CELLS[spec["cell"]](input_size, spec["hiddenSize"], num_layers=layers, batch_first=True,
                                    bidirectional=spec.get("bidirectional", False),
                                    dropout=spec.get("dropout", 0) if layers > 1 else 0, bias=spec.get("bias", True), **kwargs)
        return module, None

    def _run_stack(self, stack, norms, spec, x, lengths, h0=None, c0=None):
        if spec.get("packed", True) is False and lengths is not None:
            # Unpacked, as on a batch padded to its own longest sequence: every sequence runs up to that length
            # (over padding); steps past it, padding that only keeps shapes fixed, are not run.
            lengths = torch.full_like(lengths, int(lengths.max()))
        if not isinstance(stack, SplitStack):
            return run_recurrent(stack, x, lengths, h0, c0)
        directions = 2 if spec.get("bidirectional") else 1
        hs, cs = [], []
        for k, layer in enumerate(stack.layers):
            layer_input = F.dropout(x, stack.dropout, self.training) if k > 0 else x
            rows = slice(k * directions, (k + 1) * directions)
            y, h, c = run_recurrent(layer, layer_input, lengths,
                                    None if h0 is None else h0[rows].contiguous(),
                                    None if c0 is None else c0[rows].contiguous())
            if stack.residual[k]:
                y = y + x
            if norms is not None:
                y = norms[k](y)
            hs.append(h)
            if c is not None:
                cs.append(c)
            x = y
        return x, torch.cat(hs, 0), (torch.cat(cs, 0) if cs else None)

    def _tokens(self, ids, embedding, vocab):
        if embedding is None:
            return F.one_hot(ids.long(), vocab).float()
        return self.embedding_dropout(embedding(ids.long()))

    def encode_input(self, inputs):
        if self.tokens:
            return self._tokens(inputs, self.embedding, self.info["inputSize"])
        return inputs

    def encode(self, inputs, lengths):
        x = self.encode_input(inputs)
        h0 = c0 = None
        if self.initial_h is not None:
            h0 = self.initial_h.expand(-1, x.shape[0], -1).contiguous()
            c0 = self.initial_c.expand(-1, x.shape[0], -1).contiguous() if self.initial_c is not None else None
        return self._run_stack(self.encoder, self.encoder_norms, self.encoder_spec, x, lengths, h0, c0)

    def bridge(self, h_n, c_n):
        """Encoder h_n [L·D,B,H] → decoder h0 [L,B,D·H] (both directions of a layer concatenated)."""
        e = self.encoder_spec
        layers, directions = e.get("numLayers", 1), (2 if e.get("bidirectional") else 1)

        def convert(s):
            rows, batch, hidden = s.shape
            return s.view(layers, directions, batch, hidden).permute(0, 2, 1, 3).reshape(layers, batch, directions * hidden)

        h0 = convert(h_n)
        c0 = None
        if self.decoder_spec["cell"] == "lstm":
            # c is hiddenSize wide (h is projSize wide when the LSTM projects).
            zeros = h0.new_zeros(h0.shape[0], h0.shape[1], self.decoder_spec["hiddenSize"])
            c0 = convert(c_n) if (c_n is not None and e["cell"] == "lstm") else zeros
        return h0, c0

    def decoder_tokens(self, ids):
        embedding = self.embedding if self.shared_embedding else self.decoder_embedding
        return self._tokens(ids, embedding, self.target_vocab)

    def readout_features(self, output, h_n, lengths):
        e = self.encoder_spec
        directions = 2 if e.get("bidirectional") else 1
        if self.readout == "hN":
            return torch.cat([h_n[-directions + d] for d in range(directions)], dim=1)
        if self.readout == "last":
            return output[:, -1]
        mask = (torch.arange(output.shape[1], device=output.device)[None, :] < lengths[:, None].to(output.device)).float()
        return (output * mask[:, :, None]).sum(1) / lengths[:, None].to(output.device).float()

    def forward(self, inputs, lengths, decoder_inputs=None, target_lengths=None):
        """Outputs as SeqLab computes them: [B,C] many-to-one, [B,T,C] per step (tag, regress-per-step, generate),
        seq2seq teacher-forced [B,T',V]."""
        output, h_n, c_n = self.encode(inputs, lengths)
        if self.task == "seq2seq":
            h0, c0 = self.bridge(h_n, c_n)
            y, _, _ = self._run_stack(self.decoder, self.decoder_norms, self.decoder_spec, self.decoder_tokens(decoder_inputs),
                                      target_lengths, h0, c0)
            return self.head(y)
        if self.task in ("tag", "regress-per-step", "generate"):
            return self.head(output)
        return self.head(self.readout_features(output, h_n, lengths))

    @torch.no_grad()
    def greedy_decode(self, inputs, lengths, max_length):
        """seq2seq: greedy decoding from <s>, one step at a time."""
        _, h_n, c_n = self.encode(inputs, lengths)
        h, c = self.bridge(h_n, c_n)
        ids = torch.full((inputs.shape[0], 1), BOS_ID, dtype=torch.long, device=inputs.device)
        steps = []
        for _ in range(max_length):
            y, h, c = self._run_stack(self.decoder, self.decoder_norms, self.decoder_spec, self.decoder_tokens(ids), None, h, c)
            ids = self.head(y).argmax(-1)
            steps.append(ids)
        return torch.cat(steps, 1)


def build_model(config=None, weights=os.path.join(HERE, "model.safetensors")):
    config = config or load_config()
    model = SeqModel(config)
    if weights and os.path.exists(weights):
        # A SeqLab run's model.safetensors is its checkpoint: it also holds the optimizer's buffers ('optimizer.*').
        tensors = {k: v for k, v in load_safetensors(weights).items() if not k.startswith("optimizer.")}
        model.load_state_dict(tensors, strict=True)
    return model
