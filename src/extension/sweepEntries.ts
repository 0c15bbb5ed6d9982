/**
 * The sweeps of a workspace folder for the Runs view and the runs table: each `.seqlab/sweeps/<sweep>` read with
 * `readSweepFolder` (src/train/sweeps/sweepFolder.ts, which never throws), each trial joined with its run
 * folder's record when the folder exists. Node only, no `vscode`.
 */
import { basename, join } from 'node:path';
import { nodeRunIo } from '../train/runIo';
import { listSweepFolders, readSweepFolder, trialRunDir } from '../train/sweeps/sweepFolder';
import { awaitsProposal } from '../train/sweeps/tpeSweep';
import { runStatus, type RunRecordReader } from './runRecords';
import type { SweepEntry, TrialEntry } from './runsTreeModel';

/** `live`: run folder → the host's run id, for trials this window trains. */
export function readSweepEntries(root: string, reader: RunRecordReader, live: ReadonlyMap<string, string>, nowMs: number): SweepEntry[] {
  return listSweepFolders(join(root, '.seqlab', 'sweeps'), nodeRunIo).map((dir) => {
    const folder = readSweepFolder(dir, nodeRunIo);
    const trials = folder.state.trials.map((trial): TrialEntry => {
      const runDir = trialRunDir(dir, trial);
      const record = reader.readRun(runDir);
      const liveRunId = live.get(runDir);
      const status = record ? runStatus(record, { live: liveRunId !== undefined, nowMs, sweepStatus: trial.status }) : trial.status;
      return {
        id: trial.id, params: trial.params, seed: trial.seed, configKey: trial.configKey, status, metric: trial.metric, runDir,
        ...(record ? { record } : {}), ...(liveRunId ? { liveRunId } : {}),
        ...(folder.sweep && awaitsProposal(folder.sweep, folder.state.trials, trial) ? { awaitsProposal: true } : {}),
      };
    });
    return { dir, name: folder.sweep?.name ?? basename(dir), ...(folder.sweep ? { metric: folder.sweep.metric, baseSpec: folder.sweep.baseSpec } : {}), trials };
  });
}
