/**
 * Messages between the extension host and the sweep check's worker (sweepCheckWorker.ts): one request, the
 * trials checked so far, then one answer. Plain data: they cross threads by structured clone.
 */
import type { SweepPreparation } from './sweepStart';

/** The sweep file as the editor has it, and every spec the editor has open (unsaved edits count, as they do while typing). */
export interface SweepCheckRequest {
  type: 'checkSweep';
  sweepPath: string;
  sweepText: string;
  /** Absolute path → text of the spec files open in the editor; any other spec is read from the disk. */
  openSpecs: Record<string, string>;
}

export type SweepCheckMessage =
  /** After each trial's check: `checked` of `total` trials. */
  | { type: 'sweepCheckProgress'; checked: number; total: number }
  | { type: 'sweepChecked'; preparation: SweepPreparation }
  /** The check itself broke (not a problem of the sweep: those are diagnostics of `sweepChecked`). */
  | { type: 'sweepCheckFailed'; message: string };
