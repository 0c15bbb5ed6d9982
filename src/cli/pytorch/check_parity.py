"""Checks that this PyTorch model reproduces SeqLab's outputs on the same weights: runs the inputs saved in
reference.safetensors through model.py (evaluation mode) and compares with SeqLab's outputs.
Exit code 0 when max |torch − seqlab| / (1 + |seqlab|) <= 1e-5."""
import os
import sys

import torch

from model import HERE, build_model, load_safetensors

TOLERANCE = 1e-5


def main():
    torch.set_grad_enabled(False)
    model = build_model().eval()
    ref = load_safetensors(os.path.join(HERE, "reference.safetensors"))
    inputs = ref["input_ids"].long() if "input_ids" in ref else ref["inputs"]
    decoder_inputs = ref["decoder_input_ids"].long() if "decoder_input_ids" in ref else None
    target_lengths = ref["target_lengths"].long() if "target_lengths" in ref else None
    outputs = model(inputs, ref["lengths"].long(), decoder_inputs, target_lengths)
    expected = ref["outputs"]
    difference = (outputs - expected).abs()
    scaled = (difference / (1 + expected.abs())).max().item()
    print(f"outputs {tuple(outputs.shape)}: max abs difference {difference.max().item():.3e}, scaled {scaled:.3e} (tolerance {TOLERANCE})")
    sys.exit(0 if scaled <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
