/**
 * A sweep is a folder: `.seqlab/sweeps/<sweepName>-<YYYYMMDD-HHMMSS>/` beside the sweep file:
 *   sweep.json   the sweep file as resolved (base spec path, method, metric, parameters, seeds, trials), written once
 *   state.json   every trial: its parameters, seed, status, rung, metric and run folder; rewritten atomically
 *                (RunIo's temporary file + rename) after each change, so a reader sees the old or the new state
 *   trials/t007  an ordinary run folder per trial (spec.json, model.safetensors, metrics.jsonl, report.json)
 * The runner (sweepRunner.ts) writes it; `seqlab runs`, the extension's Runs view and the runs table read it
 * with `readSweepFolder`, which never throws: a folder being written is read with what is there.
 */
import * as path from 'node:path';
import type { RunIo } from '../runIo';
import { runFolderName, writeJson } from '../runFolder';

export const SWEEP_FILES = { sweep: 'sweep.json', state: 'state.json', trials: 'trials' } as const;

/** A value a sweep sets at a spec path (`model.encoder.cell` → "gru", `training.optimizer.lr` → 0.003). */
export type ParamValue = number | string | boolean;

export type SweepMethod = 'grid' | 'random' | 'asha' | 'tpe';
export type MetricDirection = 'minimize' | 'maximize';
export type Distribution = 'uniform' | 'log-uniform' | 'integer' | 'log-integer';

/** How one spec path varies: a list of values, or a range sampled by `distribution`. */
export type ParameterDomain = { values: ParamValue[] } | { min: number; max: number; distribution: Distribution };

export interface AshaSettings {
  /** η: a rung keeps the best 1/η of the trials that reached it. */
  reductionFactor: number;
  /** Epochs of the first rung; rung k trains minEpochs·η^k epochs, the last rung maxEpochs. */
  minEpochs: number;
  maxEpochs: number;
}

/** The Tree-structured Parzen Estimator's settings (tpe.ts; Optuna's TPESampler names in brackets). */
export interface TpeSettings {
  /** Configurations drawn at random before TPE proposes (n_startup_trials). */
  startupTrials: number;
  /** The share of the finished configurations that counts as good (γ: ⌈γ·n⌉, at most 25). */
  gamma: number;
  /** Values drawn from the good density per proposal; the one most likelier good than bad wins (n_ei_candidates). */
  candidates: number;
  /** Weight of each density's prior kernel over the whole range (prior_weight). */
  priorWeight: number;
}

/** `sweep.json`: the sweep file with every default applied and its base spec resolved to an absolute path. */
export interface ResolvedSweep {
  name: string;
  /** The sweep file it came from and the base spec (absolute paths). */
  sweepFile: string;
  baseSpec: string;
  method: SweepMethod;
  metric: { name: string; direction: MetricDirection };
  /** By spec path, in the file's order (grid order follows it). */
  parameters: Record<string, ParameterDomain>;
  /** `training.seed` of each repeat of a configuration. */
  seeds: number[];
  /** Configurations: sampled (random, tpe, asha) or the grid's size. Trials = trials × seeds.length. */
  trials: number;
  /** Seed of the sampler (random, tpe, asha). */
  samplerSeed: number;
  maxConcurrent: number;
  asha?: AshaSettings;
  /** Present when TPE proposes the configurations (method tpe). */
  tpe?: TpeSettings;
}

export type TrialStatus = 'pending' | 'running' | 'completed' | 'pruned' | 'diverged' | 'failed';

export const TRIAL_STATUSES: readonly TrialStatus[] = ['pending', 'running', 'completed', 'pruned', 'diverged', 'failed'];

export interface SweepTrial {
  /** `t000`, `t001`, … in the order the trials were planned. */
  id: string;
  params: Record<string, ParamValue>;
  seed: number;
  /** The same for every seed of one configuration (see `configKey`). */
  configKey: string;
  status: TrialStatus;
  /** The trial's run folder, relative to the sweep folder (`trials/t007`). */
  runDir: string;
  /** ASHA: the highest rung the trial has finished (0 before); grid and random trials stay at 0. */
  rung: number;
  /** The sweep metric on validation: its best value over the epochs trained so far; null before any epoch. */
  metric: number | null;
  /** How its parameters were chosen when it started (method tpe): drawn at random, or proposed by TPE. */
  sampler?: 'random' | 'tpe';
}

export interface SweepState {
  version: 1;
  trials: SweepTrial[];
}

export interface SweepFolder {
  dir: string;
  /** Undefined when sweep.json is missing or unreadable (`problems` says why). */
  sweep?: ResolvedSweep;
  state: SweepState;
  /** What could not be read, in words; empty for a healthy folder. */
  problems: string[];
}

/** One key per configuration, the same whatever the order of the parameters: sorted paths, JSON values. */
export function configKey(params: Record<string, ParamValue>): string {
  return Object.keys(params).sort().map((key) => `${key}=${JSON.stringify(params[key])}`).join(',');
}

/** `cells-20261205-131500`: named like run folders (UTC, so names sort by time). */
export function sweepFolderName(sweepName: string, time: Date): string {
  return runFolderName(sweepName, time);
}

/** `.seqlab/sweeps` beside a sweep file: where its sweep folders go. */
export function sweepsFolderBeside(sweepFile: string): string {
  return path.join(path.dirname(path.resolve(sweepFile)), '.seqlab', 'sweeps');
}

/** The trial's run folder as an absolute path. */
export function trialRunDir(sweepDir: string, trial: Pick<SweepTrial, 'runDir'>): string {
  return path.resolve(sweepDir, trial.runDir);
}

type ReadIo = Pick<RunIo, 'exists' | 'readTextFile'>;

/** Replace state.json whole (atomic: readers see the previous state or this one). */
export function writeSweepState(io: RunIo, dir: string, state: SweepState): void {
  writeJson(io, path.join(dir, SWEEP_FILES.state), state);
}

/**
 * Read a sweep folder as it is now. Never throws: a missing or damaged file becomes a problem sentence and an
 * empty part. A state.json that does not parse (a reader on a file system without atomic rename, or a copy in
 * progress) is read again a few times before it is reported.
 */
export function readSweepFolder(dir: string, io: ReadIo): SweepFolder {
  const problems: string[] = [];
  const sweepPath = path.join(dir, SWEEP_FILES.sweep);
  const statePath = path.join(dir, SWEEP_FILES.state);
  const sweepJson = readJson(io, sweepPath, problems);
  const sweep = sweepJson === undefined ? undefined : asResolvedSweep(sweepJson, sweepPath, problems);
  let stateJson: unknown;
  let stateProblems: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    stateProblems = [];
    stateJson = readJson(io, statePath, stateProblems);
    if (stateJson !== undefined || !io.exists(statePath)) break; // read, or nothing to wait for
  }
  problems.push(...stateProblems);
  const state = stateJson === undefined ? { version: 1 as const, trials: [] } : asSweepState(stateJson, statePath, problems);
  return { dir, ...(sweep ? { sweep } : {}), state, problems };
}

/** The sweep folders in `sweepsDir` (a `.seqlab/sweeps`: folders holding a sweep.json), newest first. */
export function listSweepFolders(sweepsDir: string, io: ReadIo & Pick<RunIo, 'listDirectory'>): string[] {
  let names: string[];
  try {
    names = io.listDirectory(sweepsDir);
  } catch {
    return []; // no sweeps yet
  }
  return names.filter((name) => io.exists(path.join(sweepsDir, name, SWEEP_FILES.sweep))).sort().reverse().map((name) => path.join(sweepsDir, name));
}

function readJson(io: ReadIo, file: string, problems: string[]): unknown {
  if (!io.exists(file)) {
    problems.push(`${file}: missing`);
    return undefined;
  }
  try {
    return JSON.parse(io.readTextFile(file)) as unknown;
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as Error).message})`);
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isParamValue = (value: unknown): value is ParamValue => typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';

function asResolvedSweep(json: unknown, file: string, problems: string[]): ResolvedSweep | undefined {
  const ok = isObject(json) && typeof json.name === 'string' && typeof json.baseSpec === 'string'
    && (json.method === 'grid' || json.method === 'random' || json.method === 'asha' || json.method === 'tpe')
    && isObject(json.metric) && typeof json.metric.name === 'string'
    && (json.metric.direction === 'minimize' || json.metric.direction === 'maximize')
    && isObject(json.parameters) && Array.isArray(json.seeds) && typeof json.trials === 'number';
  if (!ok) {
    problems.push(`${file}: not a resolved sweep (name, baseSpec, method, metric, parameters, seeds, trials)`);
    return undefined;
  }
  return json as unknown as ResolvedSweep;
}

/** Trials that do not have the contract's shape are left out (and said), the others kept. */
function asSweepState(json: unknown, file: string, problems: string[]): SweepState {
  if (!isObject(json) || json.version !== 1 || !Array.isArray(json.trials)) {
    problems.push(`${file}: not a sweep state of version 1`);
    return { version: 1, trials: [] };
  }
  const trials: SweepTrial[] = [];
  json.trials.forEach((trial: unknown, index: number) => {
    if (isTrial(trial)) trials.push(trial);
    else problems.push(`${file}: trial ${index + 1} is malformed and is left out`);
  });
  return { version: 1, trials };
}

function isTrial(value: unknown): value is SweepTrial {
  return isObject(value) && typeof value.id === 'string' && isObject(value.params) && Object.values(value.params).every(isParamValue)
    && typeof value.seed === 'number' && typeof value.configKey === 'string'
    && TRIAL_STATUSES.includes(value.status as TrialStatus) && typeof value.runDir === 'string'
    && typeof value.rung === 'number' && (value.metric === null || typeof value.metric === 'number');
}
