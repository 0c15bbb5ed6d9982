/** Status bar text for a training run. Pure (no `vscode`), so it is unit tested. */
import type { RunFinished, StepProgress } from '../train/protocol';
import { statusWord } from './runFolders';
import { formatDuration } from '../format/display';

export interface TrainingStatusInput {
  specName: string;
  state: 'queued' | 'running' | 'paused' | 'stopping' | 'finished';
  latestStep?: StepProgress;
  finished?: RunFinished;
  /** Active runs other than this one. */
  otherActiveRuns: number;
}

function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return String(loss);
  return Math.abs(loss) >= 0.01 ? loss.toFixed(4) : loss.toExponential(2);
}

export function describeTrainingStatus(input: TrainingStatusInput): { text: string; tooltip: string } {
  const others = input.otherActiveRuns > 0 ? ` (+${input.otherActiveRuns})` : '';
  const step = input.latestStep;
  const percent = step && step.totalSteps > 0 ? Math.min(100, Math.floor((100 * step.step) / step.totalSteps)) : 0;
  switch (input.state) {
    case 'queued':
      return { text: `$(clock) ${input.specName} queued${others}`, tooltip: 'Waiting for a free training slot. Click for the dashboard.' };
    case 'finished': {
      const status = input.finished?.status ?? 'finished';
      const word = statusWord(status);
      const icon = status === 'completed' || status === 'early-stopped' ? '$(check)' : status === 'stopped' ? '$(debug-stop)' : '$(error)';
      const best = input.finished && Number.isFinite(input.finished.bestValidationLoss) ? ` · best val ${formatLoss(input.finished.bestValidationLoss)}` : '';
      // The tooltip is the trainer's one-sentence outcome (src/train/runOutcome.ts), as it is.
      return { text: `${icon} ${input.specName} ${word}${best}${others}`, tooltip: `${input.finished?.message ?? ''}\nClick for the dashboard.`.trim() };
    }
    default: {
      const icon = input.state === 'paused' ? '$(debug-pause)' : '$(sync~spin)';
      const loss = step ? ` · loss ${formatLoss(step.loss)}` : '';
      const paused = input.state === 'paused' ? ' paused' : input.state === 'stopping' ? ' stopping' : '';
      const eta = step && input.state === 'running' ? `, ETA ${formatDuration(step.etaSeconds)}` : '';
      return {
        text: `${icon} ${input.specName} ${percent}%${loss}${paused}${others}`,
        tooltip: step ? `Epoch ${step.epoch}, step ${step.step}/${step.totalSteps}${eta}, ${Math.round(step.samplesPerSecond)} samples/s. Click for the dashboard.` : 'Starting… Click for the dashboard.',
      };
    }
  }
}
