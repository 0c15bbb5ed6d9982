"""This process's share of a training batch under torchrun, weighted so that the processes together take SeqLab's step.

SeqLab's loss of a batch is the mean over all its terms: examples, or real target tokens for per-step tasks
(train.py loss_terms). Each process computes the mean over the terms of its own rows, and DistributedDataParallel
averages the processes' gradients: that is the whole batch's gradient only when every process holds as many terms,
which an odd batch size (3 rows and 2) or ragged sentences (different token counts) break. Scaled by
world · n_r / N before backward, the average becomes Σ_r (n_r / N) ∇L_r, the gradient of the whole batch's mean
loss; the batch's loss is Σ_r n_r L_r / N.
"""
import torch
import torch.distributed as dist


class BatchShare:
    def __init__(self, terms, distributed, device):
        self.terms = terms
        self.total = float(terms)
        self.weight = 1.0  # the factor of this process's mean loss before backward
        if distributed:
            total = torch.tensor([float(terms)], dtype=torch.float64, device=device)
            dist.all_reduce(total)
            self.total = float(total[0])
            self.weight = dist.get_world_size() * terms / max(1.0, self.total)

    def weighted_loss(self, local_loss):
        """This process's part of the batch's loss sum (all-reduced, then divided by `total`, it is the batch's loss)."""
        return local_loss * self.terms
