// A SeqLab model for each workload, assembled from the real layers (src/nn), with one training step
// (forward, loss, backward, Adam) and one inference step (forward only) on a fixed synthetic batch.
import { kernels, Rng, Tensor } from '../src/tensor';
import { Adam, CrossEntropyLoss, Embedding, Linear, MSELoss, prefixed, type NamedParameter } from '../src/nn';
import { GRU, LSTM } from '../src/nn/recurrent';
import type { Workload } from './workloads';

export interface WorkloadRunner {
  trainStep(): number; // returns the loss
  inferStep(): void;
}

/**
 * Build the model and a batch for `w`. `lengths` (optional, per sequence) turns the batch into a packed
 * variable-length one: the recurrent layer then skips the padding.
 */
export function buildSeqlabWorkload(w: Workload, seed = 1, lengths?: Int32Array): WorkloadRunner {
  const rng = new Rng(seed);
  const { B, T, hidden: H, outputs: O } = w;
  const D = w.bidirectional ? 2 : 1;
  const LD = w.layers * D;
  const embedding = w.embedding ? new Embedding(w.embedding.vocab, w.embedding.dim, rng) : undefined;
  const recurrentOptions = { inputSize: w.inputSize, hiddenSize: H, numLayers: w.layers, bidirectional: w.bidirectional };
  const rnn = w.cell === 'lstm' ? new LSTM(recurrentOptions, rng) : new GRU(recurrentOptions, rng);
  const head = new Linear(D * H, O, rng);
  const params: NamedParameter[] = [
    ...(embedding ? prefixed('embedding', embedding.namedParameters()) : []),
    ...prefixed('rnn', rnn.namedParameters()),
    ...prefixed('head', head.namedParameters()),
  ];
  const optimizer = new Adam(params, { lr: 1e-3 });

  // The batch: token ids [B,T] or features [B,T,I]; targets per sequence or per step.
  const ids = new Int32Array(B * T);
  for (let i = 0; i < ids.length; i++) ids[i] = Math.floor(rng.uniform() * (w.embedding?.vocab ?? 1));
  const features = Tensor.zeros([B, T, w.inputSize], ['batch', 'time', 'input']);
  rng.fillNormal(features.data);
  const targetRows = w.head === 'perStep' ? B * T : B;
  const classTargets = new Int32Array(targetRows);
  for (let i = 0; i < targetRows; i++) classTargets[i] = Math.floor(rng.uniform() * O);
  const regressionTargets = Tensor.zeros([targetRows, O]);
  rng.fillNormal(regressionTargets.data);
  const mse = new MSELoss();
  const ce = new CrossEntropyLoss();

  // Workspaces for the head on the top layer's final state: hLast [B,H], and dhN [L·D,B,H] (zero but that slice).
  const hLast = Tensor.zeros([B, D * H]);
  const dhN = Tensor.zeros([LD, B, H]);
  const lastOffset = (w.layers - 1) * D * B * H;
  const forwardOptions = lengths ? { lengths } : {};
  const needInputGradient = Boolean(embedding); // raw features train nothing below the recurrent layer

  function forward(): Tensor {
    const x = embedding ? embedding.forward(ids, [B, T]) : features;
    const result = rnn.forward(x, forwardOptions);
    if (w.head === 'perStep') return head.forward(new Tensor(result.output.data, [B * T, D * H]));
    kernels().copy(hLast.data, 0, result.hN.data, lastOffset, B * H); // unidirectional heads only
    return head.forward(hLast);
  }

  return {
    trainStep() {
      optimizer.zeroGrad();
      const prediction = forward();
      const loss = w.loss === 'ce' ? ce.forward(prediction, classTargets) : mse.forward(prediction, regressionTargets);
      const dPrediction = w.loss === 'ce' ? ce.backward() : mse.backward();
      const dHead = head.backward(dPrediction);
      const recurrentGrads = w.head === 'perStep'
        ? rnn.backward({ dOutput: new Tensor(dHead.data, [B, T, D * H]), needInputGradient })
        : (kernels().copy(dhN.data, lastOffset, dHead.data, 0, B * H), rnn.backward({ dhN, needInputGradient }));
      if (embedding && recurrentGrads.dInput) embedding.backward(recurrentGrads.dInput);
      optimizer.step();
      return loss;
    },
    inferStep() {
      forward();
    },
  };
}
