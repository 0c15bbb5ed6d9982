// The real file system with a fault hook before every stage of every atomic write: tests crash or fail a run at
// any chosen point of a checkpoint commit and then inspect what is left on disk.
import { nodeRunIo, writeFileAtomicSync, type AtomicWriteStage, type RunIo } from '../runIo';
import { withFileErrors } from '../fileErrors';

export interface FaultPoint {
  /** Position among all stages of all writes of the run, from 0. */
  index: number;
  stage: AtomicWriteStage;
  file: string;
}

/** Thrown by a fault hook to stop the process's work at that point, as a kill would. */
export class SimulatedCrash extends Error {
  constructor(readonly point: FaultPoint) {
    super(`simulated crash before ${point.stage} of ${point.file}`);
  }
}

/** An OS error with its code, as fs throws it (withFileErrors turns it into a sentence naming the file). */
export function osError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** nodeRunIo, except that `fault(point)` runs before each stage of each write; `points` records them all. */
export function faultyRunIo(fault: (point: FaultPoint) => void = () => {}): RunIo & { points: FaultPoint[] } {
  const points: FaultPoint[] = [];
  return {
    ...nodeRunIo,
    points,
    writeFileAtomic: (filePath, contents) => withFileErrors(filePath, 'write', () => writeFileAtomicSync(filePath, contents, (stage, file) => {
      const point = { index: points.length, stage, file };
      points.push(point);
      fault(point);
    })),
  };
}
