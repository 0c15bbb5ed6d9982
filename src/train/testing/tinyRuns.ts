// Small specs and a recorder shared by the trainer tests: quick synthetic problems that train in well under a second.
import type { SeqModelSpec } from '../../modelSpec/types';
import type { TrainerEvent } from '../protocol';
import { prepareData } from '../../data';
import type { PreparedData } from '../../data/types';

export function tinyAddingSpec(overrides: Partial<SeqModelSpec['training']> = {}): SeqModelSpec {
  return {
    name: 'tiny-adding',
    task: { type: 'regress' },
    data: { source: 'synthetic', generator: 'adding', samples: 60, length: 8, seed: 3, split: { validation: 0.25 } },
    model: { encoder: { cell: 'lstm', hiddenSize: 6 } },
    training: { epochs: 3, batchSize: 16, seed: 11, optimizer: { type: 'adam', lr: 0.01 }, clipGradNorm: 1, ...overrides },
  };
}

export function prepareSynthetic(spec: SeqModelSpec): PreparedData {
  return prepareData(spec, '/nowhere', { readTextFile: (p) => { throw new Error(`unexpected read of ${p}`); } });
}

export function recorder(): { events: TrainerEvent[]; emit: (e: TrainerEvent) => void; of<K extends TrainerEvent['type']>(type: K): Extract<TrainerEvent, { type: K }>[] } {
  const events: TrainerEvent[] = [];
  return {
    events,
    emit: (e) => events.push(e),
    of: <K extends TrainerEvent['type']>(type: K) => events.filter((e): e is Extract<TrainerEvent, { type: K }> => e.type === type),
  };
}

/** A clock that advances 1 s per reading, so every step passes the progress rate limit deterministically. */
export function steppingClock(): () => number {
  let t = 0;
  return () => (t += 1000);
}
