"""The numbers of a CSV series, parsed once: a training window is an index into them, not a parse of its rows.

Read lazily, window by window, a W-row window re-parses each of its rows (W times per epoch for each row) and builds
its arrays alone, which in the exported train.py cost more than the model's step (5 ms per batch of 32 windows of
30 rows). Here rows are parsed in blocks of BLOCK_ROWS when a window first touches them, kept as float64 (the
values the per-window reader gave, so the batches are bitwise the same) and a batch of windows is one gather.

Memory: the values take 8 bytes per row and column; up to MEMORY_LIMIT_BYTES they are held in memory, beyond it in an
unlinked temporary file (mapped: the OS keeps in memory what fits, so a series larger than memory still trains).
Each process (torchrun rank, DataLoader worker started by spawn) parses the blocks it touches itself.
"""
import tempfile

import numpy as np

BLOCK_ROWS = 4096
MEMORY_LIMIT_BYTES = 512 << 20


class SeriesTable:
    """Rows [0, rows) of `columns` numbers each, `parse(first, count)` giving rows [first, first+count) as float64."""

    def __init__(self, parse, rows, columns, memory_limit=MEMORY_LIMIT_BYTES):
        self.parse, self.row_count, self.columns, self.memory_limit = parse, rows, columns, memory_limit
        self._reset()

    def _reset(self):
        self._values = None
        self._parsed = np.zeros((self.row_count + BLOCK_ROWS - 1) // BLOCK_ROWS, dtype=bool)
        self._complete = False

    def __getstate__(self):  # a process started by spawn parses for itself (the values are not sent)
        return {"parse": self.parse, "row_count": self.row_count, "columns": self.columns, "memory_limit": self.memory_limit}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._reset()

    def _storage(self):
        if self._values is None:
            shape = (self.row_count, self.columns)
            if self.row_count * self.columns * 8 <= self.memory_limit:
                self._values = np.empty(shape, dtype=np.float64)
            else:
                self._values = np.memmap(tempfile.TemporaryFile(prefix="seqlab-series-"), dtype=np.float64, mode="w+", shape=shape)
        return self._values

    def _ensure(self, first_block, last_block):
        values = self._storage()
        for block in range(first_block, last_block + 1):
            if not self._parsed[block]:
                start = block * BLOCK_ROWS
                count = min(BLOCK_ROWS, self.row_count - start)
                values[start:start + count] = self.parse(start, count)
                self._parsed[block] = True
        self._complete = bool(self._parsed.all())

    def rows(self, first, count):
        """Rows [first, first+count), float64 (a view: not to be written)."""
        if not self._complete:
            self._ensure(first // BLOCK_ROWS, (first + count - 1) // BLOCK_ROWS)
        return self._values[first:first + count]

    def windows(self, firsts, length):
        """[len(firsts), length, columns] float64: the rows of each window starting at firsts[i]."""
        firsts = np.asarray(firsts, dtype=np.int64)
        if not self._complete:
            for first_block, last_block in set(zip((firsts // BLOCK_ROWS).tolist(), ((firsts + length - 1) // BLOCK_ROWS).tolist())):
                self._ensure(first_block, last_block)
        return self._values[firsts[:, None] + np.arange(length, dtype=np.int64)]
