"""seq2seq decoding for the exact-match metric and the predictions panel, as SeqLab decodes (src/train/decoding.ts
decodeBatch): greedy, or beam search when training.decoding.strategy is "beam" (beamWidth, default 4), for at most
training.decoding.maxLength steps (default: the batch's target steps + 5, where SeqLab's batches are padded to the
longest target of the training and validation splits: see padded_target_steps). Each output is the token ids after
<s>, up to and without </s>.
"""
import torch

from model import BOS_ID, EOS_ID


def decode_batch(model, inputs, lengths, decoding, default_max_length):
    decoding = decoding or {}
    max_length = decoding.get("maxLength", default_max_length)
    if decoding.get("strategy") == "beam":
        return beam_decode(model, inputs, lengths, decoding.get("beamWidth", 4), max_length)
    decoded = model.greedy_decode(inputs, lengths, max_length).tolist()
    return [row[:row.index(EOS_ID)] if EOS_ID in row else row for row in decoded]


@torch.no_grad()
def beam_decode(model, inputs, lengths, beam_width, max_length):
    """One example at a time, its hypotheses forming the decoder's batch. Scores are summed log-probabilities
    (float64, as SeqLab sums them); a finished hypothesis competes with its score divided by its length. Ties keep
    SeqLab's order (hypothesis, then token), sorts being stable in both."""
    _, h_n, c_n = model.encode(inputs, lengths)
    h_all, c_all = model.bridge(h_n, c_n)
    results = []
    for b in range(inputs.shape[0]):
        beams = [([], 0.0)]
        h = h_all[:, b:b + 1].contiguous()
        c = None if c_all is None else c_all[:, b:b + 1].contiguous()
        finished = []
        for _ in range(max_length):
            if not beams:
                break
            ids = torch.tensor([[tokens[-1] if tokens else BOS_ID] for tokens, _ in beams], dtype=torch.long, device=inputs.device)
            y, h_next, c_next = model._run_stack(model.decoder, model.decoder_norms, model.decoder_spec, model.decoder_tokens(ids), None, h, c)
            log_probabilities = torch.log_softmax(model.head(y)[:, 0].double(), dim=-1).cpu().tolist()
            candidates = []
            for k, (tokens, score) in enumerate(beams):
                for v, lp in enumerate(log_probabilities[k]):
                    candidates.append((tokens + [v], score + lp, k))
            candidates.sort(key=lambda candidate: -candidate[1])
            kept = []
            for tokens, score, k in candidates:
                if tokens[-1] == EOS_ID:
                    finished.append((tokens[:-1], score / len(tokens)))
                else:
                    kept.append((tokens, score, k))
                if len(kept) >= beam_width:
                    break
            if len(finished) >= beam_width:
                break
            beams = [(tokens, score) for tokens, score, _ in kept]
            chosen = torch.tensor([k for _, _, k in kept], dtype=torch.long, device=inputs.device)
            h = h_next.index_select(1, chosen)
            c = None if c_next is None else c_next.index_select(1, chosen)
        finished += [(tokens, score / max(1, len(tokens))) for tokens, score in beams]
        finished.sort(key=lambda hypothesis: -hypothesis[1])
        results.append(finished[0][0] if finished else [])
    return results


def padded_target_steps(*splits):
    """The target steps of every seq2seq batch in SeqLab's trainer: it pads them to the longest target (with its
    </s>) of the training and validation splits (src/train/fixedShapes.ts), so an untrained decoder that never says
    </s> runs that + 5 steps. Reads every example once (the index of a pairs file has read them all already)."""
    return max((len(split[i]["target_ids"]) for split in splits for i in range(len(split))), default=0)


def default_decode_length(batch, padded_steps):
    """The default decoding length of a collated batch: its target steps, padded as SeqLab pads them, + 5."""
    return max(int(batch["target_ids"].shape[1]), padded_steps) + 5


def target_tokens(row):
    """A target row's tokens up to (without) </s> or the padding: what a decoded output must equal."""
    out = []
    for t in row:
        if t == EOS_ID or t < 0:
            break
        out.append(t)
    return out
