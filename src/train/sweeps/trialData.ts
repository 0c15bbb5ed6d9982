/**
 * Trials of a sweep mostly train on one data set. `prepareData` reads only the spec's task, data section and
 * training seed (and resolves paths against the spec's folder), so trials that agree on those get the very same
 * PreparedData: a trial worker keeps the last one it prepared, with its baselines, and hands it to the next trial
 * with the same key instead of reading and checking the file again. One entry, so a worker holds at most one
 * data set, as when each trial had its own worker. Stores are read-only to training (batches are written into
 * buffers the store reuses, filled whole every time), so a run on kept data is bitwise a run on fresh data.
 */
import type { PreparedData } from '../../data/types';

/** What trials with the same key share: the prepared data and the baselines computed from it. */
export interface TrialData {
  data: PreparedData;
  baselines: Record<string, number>;
}

/** The key of a trial's data: the spec's path (relative data paths) and the sections `prepareData` reads. */
export function dataKey(specPath: string, specText: string): string | undefined {
  try {
    const raw = JSON.parse(specText) as { task?: unknown; data?: unknown; training?: { seed?: unknown } };
    return JSON.stringify([specPath, raw.task, raw.data, raw.training?.seed]);
  } catch {
    return undefined; // not JSON: validation will say why; nothing to share
  }
}

/** The last data set prepared, by key; replacing or clearing it closes what it read from (disk-cache files). */
export class TrialDataCache {
  private entry: ({ key: string } & TrialData) | undefined;

  get(key: string | undefined): TrialData | undefined {
    return key !== undefined && this.entry?.key === key ? this.entry : undefined;
  }

  keep(key: string | undefined, trialData: TrialData): void {
    if (key === undefined || this.entry?.data === trialData.data) return;
    this.clear();
    this.entry = { key, ...trialData };
  }

  clear(): void {
    this.entry?.data.close?.();
    this.entry = undefined;
  }
}
