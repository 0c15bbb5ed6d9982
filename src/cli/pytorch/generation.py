"""Text from a language model as SeqLab samples it (src/train/decoding.ts sampleSequence, sampleFromLogits): from
<s> and the model's initial state, one token at a time fed back, for at most `length` tokens or up to </s>.
Temperature 0 takes the argmax; otherwise token i is drawn with probability ∝ exp(logit_i / temperature), by
SeqLab's own generator (seqlab_data.Rng, xoshiro128**): one uniform number per token, subtracted from the weights in
vocabulary order. Given the same seed and the same logits, both engines draw the same tokens.
"""
import math

import torch

from model import BOS_ID, EOS_ID


def sample_from_logits(logits, temperature, rng):
    """One token id from a row of float32 logits (a list), float64 arithmetic in SeqLab's order."""
    scaled = [v / temperature for v in logits]
    top = max(scaled)
    weights = [math.exp(v - top) for v in scaled]
    total = 0.0
    for w in weights:
        total += w
    u = rng.next_uint32() / 4294967296 * total
    for i, w in enumerate(weights):
        u -= w
        if u <= 0:
            return i
    return len(weights) - 1


def argmax_first(values):
    """The index of the first largest value (SeqLab's argmax)."""
    best = 0
    for i in range(1, len(values)):
        if values[i] > values[best]:
            best = i
    return best


@torch.no_grad()
def sample_sequence(model, length, temperature, rng):
    """Token ids a generator samples (without <s>; </s> ends it and is kept, as SeqLab keeps it)."""
    device = next(model.parameters()).device
    h = c = None
    if model.initial_h is not None:
        h = model.initial_h.contiguous()
        c = model.initial_c.contiguous() if model.initial_c is not None else None
    ids = torch.full((1, 1), BOS_ID, dtype=torch.long, device=device)
    out = []
    for _ in range(length):
        y, h, c = model._run_stack(model.encoder, model.encoder_norms, model.encoder_spec, model.encode_input(ids), None, h, c)
        logits = model.head(y)[0, 0].float().cpu().tolist()
        token = argmax_first(logits) if temperature <= 0 else sample_from_logits(logits, temperature, rng)
        out.append(token)
        if token == EOS_ID:
            break
        ids[0, 0] = token
    return out
