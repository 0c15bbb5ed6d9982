/**
 * The loss of each task over the model's outputs and a batch's targets, using the nn losses:
 * regression (MSE / L1 / Huber) on [B,O], or on the real steps of [B,T,K] (regress-per-step); cross-entropy on [B,C] (classify) or on every real step of [B,T,C]
 * (tag, generate, seq2seq: padding targets are -1 and ignored, so the mean is over real steps only).
 */
import { Tensor } from '../tensor';
import { MSELoss, L1Loss, HuberLoss, CrossEntropyLoss } from '../nn/losses';
import type { SeqModelSpec } from '../modelSpec/types';
import type { Batch, DataInfo } from '../data/types';
import { perStepRegressionLoss } from './perStepRegressionLoss';

/** The padding value of per-step target ids (see `Batch`). */
export const IGNORED_TARGET = -1;

export interface TaskLoss {
  /** Mean loss over the batch's loss terms, and the number of terms (examples or real target steps). */
  forward(outputs: Tensor, batch: Batch): { loss: number; count: number };
  /** d(scale · mean loss)/d(outputs), shaped like the outputs. */
  backward(scale?: number): Tensor;
}

export function isRegression(spec: SeqModelSpec): boolean {
  return spec.task.type === 'forecast' || spec.task.type === 'regress' || spec.task.type === 'regress-per-step';
}

export function createTaskLoss(spec: SeqModelSpec, info: DataInfo): TaskLoss {
  if (isRegression(spec)) {
    const kind = spec.training.loss ?? 'mse';
    const loss = kind === 'l1' ? new L1Loss() : kind === 'huber' ? new HuberLoss() : new MSELoss();
    if (kind !== 'mse' && kind !== 'l1' && kind !== 'huber') throw new Error(`training.loss '${kind}' does not fit the ${spec.task.type} task; use mse, l1 or huber`);
    if (spec.task.type === 'regress-per-step') return perStepRegressionLoss(loss);
    let targetView: Tensor | undefined;
    return {
      forward(outputs, batch) {
        if (!batch.targets) throw new Error('regression batch has no targets');
        const [B, O] = outputs.shape;
        targetView = new Tensor(batch.targets.subarray(0, B * O), [B, O]);
        return { loss: loss.forward(outputs, targetView), count: B };
      },
      backward: (scale = 1) => loss.backward(scale),
    };
  }
  const crossEntropy = new CrossEntropyLoss({ ignoreIndex: IGNORED_TARGET, labelSmoothing: spec.training.labelSmoothing ?? 0 });
  let outputShape: readonly number[] = [];
  void info;
  return {
    forward(outputs, batch) {
      if (!batch.targetIds) throw new Error(`${spec.task.type} batch has no targetIds`);
      outputShape = outputs.shape;
      const C = outputs.shape[outputs.rank - 1];
      const N = outputs.size / C;
      const targets = batch.targetIds.subarray(0, N);
      let count = 0;
      for (let i = 0; i < N; i++) if (targets[i] !== IGNORED_TARGET) count++;
      const loss = crossEntropy.forward(outputs.reshape([N, C]), targets);
      return { loss, count };
    },
    backward: (scale = 1) => {
      const g = crossEntropy.backward(scale);
      return g.reshape(outputShape);
    },
  };
}
