"""What SeqLab's predictions panel shows after each epoch, recorded in PyTorch: SeqLab's 'predictions' event
(src/train/trainer.ts predictionsEvent, src/train/validationRecord.ts, src/train/forecastHistory.ts).

    recorder = ValidationRecorder(config)                   # fed every evaluated validation batch
    evaluate(..., on_batch=recorder.add)
    epoch_records(model, split, config, epoch, step, flow, recorder, device, batch_size, seed)   # after the epoch event

 - forecast / regress: forecasts of the first 5 examples of the first validation batch (history, truth, predicted
   in the data's units) and, when the whole split was evaluated, the series of one-step-ahead predictions against
   the truth in validation order (first target column, first horizon step, at most 2000 points);
 - classify: those examples with the predicted label and its probability, the confusion matrix over the evaluated
   batches with per-class precision, recall, F1 and support, and the 8 most confident mistakes;
 - tag: those examples token by token with true and predicted tags, the confusion matrix and per-tag scores;
 - regress-per-step: those windows step by step (first target column, truth and predicted, in the data's units) and,
   when the whole split was evaluated, the series of each window's last step in validation order (perStep);
 - generate: two texts sampled from <s> (generation.py) with the spec's decoding temperature (default 0.8) and
   maxLength (default 120), drawn by SeqLab's generator seeded as its trainer seeds it for the epoch;
 - seq2seq: those examples' source and reference text and the decoder's output under the spec's decoding (greedy
   or beam, decoding.py).
"""
import torch

from decoding import decode_batch, default_decode_length
from generation import sample_sequence
from recurrent_probe import gate_snapshots
from seqlab_data import BOS_ID, EOS_ID, PAD_ID, Rng, batch_order, collate, epoch_seed, resolve_tokenizer

PREDICTION_SAMPLES = 5
SERIES_LIMIT = 2000
MISTAKES_LIMIT = 8
GENERATED_SAMPLES = 2
PREDICTIONS_SEED = 0x5EED  # src/train/trainer.ts: the epoch's sampling generator is Rng(epochSeed(seed ^ 0x5eed, epoch))


def target_columns(spec):
    data = spec["data"]
    return data.get("target") or [data["columns"][0]]


def normalizer_columns(spec):
    """The columns of the normaliser's statistics: the inputs, then targets that are not inputs."""
    data = spec["data"]
    return data["columns"] + [c for c in target_columns(spec) if c not in data["columns"]]


def denormalize(values, info, spec, anchors):
    """Forecast targets [B, Hz*K] back in the data's units (src/data/series.ts denormalizeTargets), float64."""
    normalizer = info.get("normalizer")
    if not normalizer:
        return values.double()
    columns = normalizer_columns(spec)
    targets = [columns.index(c) for c in target_columns(spec)]
    K = len(targets)
    mean = torch.tensor([normalizer["mean"][k] for k in targets], dtype=torch.float64)
    std = torch.tensor([normalizer["std"][k] for k in targets], dtype=torch.float64)
    v = values.double().reshape(values.shape[0], -1, K) * std + mean
    if anchors is not None:
        v = v + anchors.double()[:, None, :]
    return v.reshape(values.shape[0], -1)


def _float32(values):
    """SeqLab denormalises into Float32Arrays: its figures are float32 values."""
    return values.float().double().tolist()


def forecast_history(inputs, b, length, info, spec, anchors):
    """src/train/forecastHistory.ts: the first target column over example b's window, in the data's units."""
    target = target_columns(spec)[0]
    columns = spec["data"]["columns"]
    if target not in columns:
        return []
    values = inputs[b, :length, columns.index(target)].double()
    normalizer = info.get("normalizer")
    if normalizer:
        k = normalizer_columns(spec).index(target)
        values = values * normalizer["std"][k] + normalizer["mean"][k]
    if anchors is not None:  # windows relative to their last value
        values = values + float(anchors[b, 0])
    return values.tolist()


def decode_text(ids, vocabulary, tokenizer_kind):
    """src/data/vocabulary.ts decode + src/data/tokenize.ts detokenize: ids to text, specials dropped."""
    return ("" if tokenizer_kind == "char" else " ").join(vocabulary_tokens(ids, vocabulary))


def joined_tokens(tokens):
    """src/train/trainer.ts detokenize: characters join directly, words (any token longer than 1) with spaces."""
    return ("" if all(len(t) <= 1 for t in tokens) else " ").join(tokens)


def vocabulary_tokens(ids, vocabulary):
    """src/data/vocabulary.ts decode: the tokens of ids up to </s>, without <pad> and <s>."""
    tokens = []
    for i in ids:
        if i == EOS_ID:
            break
        if i not in (PAD_ID, BOS_ID):
            tokens.append(vocabulary[i] if 0 <= i < len(vocabulary) else "<unk>")
    return tokens


class ValidationRecorder:
    """Gathers, batch by batch, the series (forecast), the confusion matrix and the worst mistakes (classify)."""

    def __init__(self, config):
        self.config = config
        self.spec, self.info = config["spec"], config["info"]
        self.task = self.spec["task"]["type"]
        self.points = []  # (index, truth, predicted)
        self.mistakes = []  # dicts with index, truth, predicted, confidence; most confident first
        self.examples = 0
        C = self.info["outputSize"]
        self.confusion = torch.zeros(C, C, dtype=torch.long) if self.task in ("classify", "tag") else None

    def add(self, b, outputs):
        """One evaluated batch (collated, as evaluate() ran it) and the model's outputs for it."""
        outputs = outputs.detach().cpu()
        indices = b["indices"].tolist()
        self.examples += len(indices)
        if self.task == "forecast":
            anchors = b.get("anchors")
            anchors = None if anchors is None else anchors.cpu()
            predicted = _float32(denormalize(outputs, self.info, self.spec, anchors))
            truth = _float32(denormalize(b["targets"].cpu(), self.info, self.spec, anchors))
            for row, index in enumerate(indices):
                if len(self.points) >= SERIES_LIMIT:
                    break
                self.points.append((index, truth[row][0], predicted[row][0]))
        if self.task == "regress-per-step":
            # Each window's last real step: windows advance one row at a time, so each row appears once.
            lengths = b["lengths"].cpu()
            last = outputs[torch.arange(len(indices)), lengths - 1]
            truth_last = b["targets"].cpu().view(outputs.shape)[torch.arange(len(indices)), lengths - 1]
            predicted, truth = _float32(denormalize(last, self.info, self.spec, None)), _float32(denormalize(truth_last, self.info, self.spec, None))
            for row, index in enumerate(indices):
                if len(self.points) >= SERIES_LIMIT:
                    break
                self.points.append((index, truth[row][0], predicted[row][0]))
        if self.confusion is not None:
            truth = b["target_ids"].reshape(-1).cpu()
            predicted = outputs.reshape(-1, outputs.shape[-1]).argmax(-1)
            real = truth >= 0
            self.confusion.index_put_((truth[real], predicted[real]), torch.ones_like(truth[real]), accumulate=True)
        if self.task == "classify":
            probabilities = torch.softmax(outputs.double(), -1)
            best = outputs.argmax(-1).tolist()
            truth = b["target_ids"].tolist()
            for row, index in enumerate(indices):
                if best[row] == truth[row] or truth[row] < 0:
                    continue
                self._keep_mistake(index, truth[row], best[row], float(probabilities[row, best[row]]))

    def _keep_mistake(self, index, truth, predicted, confidence):
        if len(self.mistakes) >= MISTAKES_LIMIT and confidence <= self.mistakes[-1]["confidence"]:
            return
        labels = self.info.get("labels") or []
        label = lambda i: labels[i] if i < len(labels) else str(i)
        self.mistakes.append({"index": index, "truth": label(truth), "predicted": label(predicted), "confidence": confidence})
        self.mistakes.sort(key=lambda m: -m["confidence"])  # stable, as Array.prototype.sort
        del self.mistakes[MISTAKES_LIMIT:]

    def series(self):
        if not self.points:
            return None
        ordered = sorted(self.points, key=lambda p: p[0])
        series = {"target": target_columns(self.spec)[0], "truth": [p[1] for p in ordered], "predicted": [p[2] for p in ordered]}
        return dict(series, perStep=True) if self.task == "regress-per-step" else series

    def worst_mistakes(self, split):
        vocabulary = self.info.get("vocabulary") or []
        kind = resolve_tokenizer(self.spec["data"])["kind"]
        return [{"input": decode_text(split[m["index"]]["input_ids"].tolist(), vocabulary, kind), "truth": m["truth"],
                 "predicted": m["predicted"], "confidence": m["confidence"]} for m in self.mistakes]


def class_scores(confusion):
    """src/train/metrics.ts perClassScores: per class precision, recall, F1, support (and predicted count)."""
    scores = []
    C = confusion.shape[0]
    for c in range(C):
        tp, support, predicted = int(confusion[c, c]), int(confusion[c].sum()), int(confusion[:, c].sum())
        scores.append({"precision": tp / predicted if predicted > 0 else 0, "recall": tp / support if support > 0 else 0,
                       "f1": 2 * tp / (support + predicted) if support + predicted > 0 else 0, "support": support, "predicted": predicted})
    return scores


@torch.no_grad()
def predictions_event(model, b, split, config, epoch, recorder, seed):
    """SeqLab's 'predictions' event after an epoch from `b`, the first validation batch (collated); `seed` is the
    run's (generation draws from a generator derived from it and the epoch, as SeqLab's trainer does)."""
    was_training = model.training
    model.eval()
    try:
        return _predictions(model, b, split, config, epoch, recorder, seed)
    finally:
        model.train(was_training)


def _predictions(model, b, split, config, epoch, recorder, seed):
    spec, info = config["spec"], config["info"]
    task = spec["task"]["type"]
    decoding = spec["training"].get("decoding") or {}
    n = min(PREDICTION_SAMPLES, int(b["lengths"].shape[0]))
    vocabulary = info.get("vocabulary") or []
    if task == "generate":
        temperature = decoding.get("temperature", 0.8)
        rng = Rng(epoch_seed(seed ^ PREDICTIONS_SEED, epoch))
        texts = [sample_sequence(model, decoding.get("maxLength", 120), temperature, rng) for _ in range(GENERATED_SAMPLES)]
        samples = [{"kind": "generate", "text": joined_tokens(vocabulary_tokens(ids, vocabulary)), "temperature": temperature} for ids in texts]
        return {"type": "predictions", "epoch": epoch, "samples": samples}
    if task == "seq2seq":
        kind = resolve_tokenizer(spec["data"])["kind"]
        targets = info.get("targetVocabulary") or []
        outputs = decode_batch(model, b["input_ids"], b["lengths"], spec["training"].get("decoding"), default_decode_length(b, info.get("paddedTargetSteps", 0)))
        samples = []
        for row in range(n):
            example = split[int(b["indices"][row])]
            samples.append({"kind": "seq2seq", "source": decode_text(example["input_ids"].tolist(), vocabulary, kind),
                            "target": decode_text(example["target_ids"].tolist(), targets, kind),
                            "output": joined_tokens(vocabulary_tokens(outputs[row], targets))})
        return {"type": "predictions", "epoch": epoch, "samples": samples}
    inputs = b["input_ids"] if "input_ids" in b else b["inputs"]
    outputs = model(inputs, b["lengths"]).cpu()
    b = {k: v.cpu() for k, v in b.items()}
    labels = info.get("labels") or []
    label = lambda i: labels[i] if 0 <= i < len(labels) else str(i)
    samples = []
    if task in ("forecast", "regress"):
        anchors = b.get("anchors")
        predicted = _float32(denormalize(outputs, info, spec, anchors))
        truth = _float32(denormalize(b["targets"], info, spec, anchors))
        for row in range(n):
            history = forecast_history(b["inputs"], row, int(b["lengths"][row]), info, spec, anchors)
            samples.append({"kind": "forecast", "history": history, "truth": truth[row], "predicted": predicted[row]})
    elif task == "regress-per-step":
        K = info["outputSize"]
        truths = b["targets"].view(outputs.shape)
        for row in range(n):
            steps = min(outputs.shape[1], int(b["lengths"][row]))
            predicted = _float32(denormalize(outputs[row:row + 1, :steps].reshape(1, -1), info, spec, None))[0]
            truth = _float32(denormalize(truths[row:row + 1, :steps].reshape(1, -1), info, spec, None))[0]
            samples.append({"kind": "steps", "target": target_columns(spec)[0], "truth": truth[0::K], "predicted": predicted[0::K]})
    elif task == "classify":
        kind = resolve_tokenizer(spec["data"])["kind"]
        probabilities = torch.softmax(outputs.double(), -1)
        for row in range(n):
            best = int(outputs[row].argmax())
            text = decode_text(b["input_ids"][row, :int(b["lengths"][row])].tolist(), vocabulary, kind)
            samples.append({"kind": "classify", "input": text, "truth": label(int(b["target_ids"][row])), "predicted": label(best),
                            "confidence": float(probabilities[row, best])})
    else:
        predicted = outputs.argmax(-1)
        for row in range(n):
            length = int(b["lengths"][row])
            ids = b["input_ids"][row, :length].tolist()
            samples.append({"kind": "tag", "tokens": [vocabulary[i] if 0 <= i < len(vocabulary) else "<unk>" for i in ids],
                            "truth": [label(int(t)) for t in b["target_ids"][row, :length]],
                            "predicted": [label(int(p)) for p in predicted[row, :length]]})
    event = {"type": "predictions", "epoch": epoch, "samples": samples}
    if recorder.confusion is not None and labels:
        event["confusion"] = {"labels": labels, "counts": recorder.confusion.tolist()}
        event["classScores"] = class_scores(recorder.confusion)
    # Only a record of the whole split (not of a validation budget's sample) is a series.
    if recorder.examples == len(split):
        series = recorder.series()
        if series:
            event["series"] = series
        if task == "classify":
            event["mistakes"] = recorder.worst_mistakes(split)
    return event


def epoch_records(model, split, config, epoch, step, flow, recorder, device, batch_size, seed):
    """The panels' events after an epoch's 'epoch' event, in SeqLab's order: the gradient flow of the epoch's last
    step (`flow`, from recurrent_probe.gradient_flow), the gates on the first validation example, the predictions."""
    events = []
    if flow is not None:
        events.append({"type": "gradFlow", "epoch": epoch, "step": step, "norms": flow})
    if len(split) > 0:
        first = batch_order(split, batch_size)[0]
        b = {k: v.to(device) for k, v in collate([split[i] for i in first]).items()}
        events.extend(gate_snapshots(model, b, config, epoch, step))
        events.append(predictions_event(model, b, split, config, epoch, recorder, seed))
    return events
