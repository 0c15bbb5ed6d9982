"""Token examples kept once read, up to a memory budget: later epochs (and the first, for what the index pass read)
take them from memory instead of the file.

A text classification, CoNLL or pairs example read from its file is a seek, a read, a CSV or JSON parse, the
tokeniser and the vocabulary lookup: 30 µs, about a third of a sentiment classifier's training step at batch 32
(exported project, 5 Dec). The index pass already tokenises every text (for the lengths that bucketing needs), so it
hands its examples here too. Beyond BUDGET_BYTES (counted as the arrays' bytes plus PER_EXAMPLE_BYTES for the
Python objects) examples are read from the file each time, as before: a data set larger than memory still streams.
Each process (torchrun rank, DataLoader worker) keeps its own.
"""
import numpy as np

BUDGET_BYTES = 256 << 20
PER_EXAMPLE_BYTES = 400


class ExampleCache:
    def __init__(self, budget=BUDGET_BYTES):
        self.budget, self.used, self.examples = budget, 0, {}

    def offer(self, i, example):
        """Keep file example i (a dict of ints and numpy arrays, never changed afterwards) while the budget allows."""
        if i in self.examples:
            return
        size = PER_EXAMPLE_BYTES + sum(v.nbytes for v in example.values() if isinstance(v, np.ndarray))
        if self.used + size <= self.budget:
            self.examples[i] = example
            self.used += size

    def reader(self, read):
        """read(i), answered from memory when example i is kept (a fresh dict each time: callers add to it)."""
        def cached(i):
            example = self.examples.get(i)
            if example is None:
                example = read(i)
                self.offer(i, example)
            return dict(example)
        return cached
