/**
 * pack_padded_sequence costs nothing for the padding: a backend that counts the work it is given (the reference
 * kernels, wrapped) sees GEMM volume and cell rows that scale with the sum of the lengths, not with B·T.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, referenceKernels, withKernels, type Kernels } from '../../tensor';
import { makeLayer, randomTensor } from './testing';

const lengths = [3, 6, 1, 4];
const [B, T] = [4, 6];

test('padding costs no work: GEMM volume and cell-kernel rows scale with Σ lengths, not B·T', () => {
  let gemmVolume = 0, cellRows = 0;
  const counting: Kernels = {
    ...referenceKernels,
    gemm(...args: Parameters<Kernels['gemm']>) {
      gemmVolume += args[2] * args[3] * args[4]; // M·N·K
      referenceKernels.gemm(...args);
    },
    gemmPrepackedB(...args: Parameters<Kernels['gemmPrepackedB']>) {
      gemmVolume += args[2] * args[3] * args[4]; // the per-step GEMMs on the prepacked W_hhᵀ
      referenceKernels.gemmPrepackedB(...args);
    },
    lstmCellForward(...args: Parameters<Kernels['lstmCellForward']>) {
      cellRows += args[8];
      referenceKernels.lstmCellForward(...args);
    },
    lstmStepForward(...args: Parameters<Kernels['lstmStepForward']>) {
      const [n, H] = [args[11], args[12]];
      gemmVolume += n * 4 * H * H; // the step's [n,H]·[H,4H] GEMM on the prepacked W_hhᵀ, then its cell
      cellRows += n;
      referenceKernels.lstmStepForward(...args);
    },
  };
  withKernels(counting, () => {
    const [I1, H1] = [3, 4];
    const lstm = makeLayer('lstm', { inputSize: I1, hiddenSize: H1, bidirectional: true });
    const x = randomTensor(new Rng(6), [B, T, I1]);
    const realSteps = lengths.reduce((a, b) => a + b, 0); // 14 of B·T = 24
    lstm.forward(x, { lengths });
    const G = 4 * H1;
    // Per direction: the input GEMM over the real steps [N,I]·[I,G], then one [bs_t,H]·[H,G] per step.
    assert.equal(gemmVolume, 2 * (realSteps * G * I1 + realSteps * G * H1));
    assert.equal(cellRows, 2 * realSteps);
  });
});
