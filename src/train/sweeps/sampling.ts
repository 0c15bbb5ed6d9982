/**
 * Where a sweep's configurations come from: the grid (every combination of the listed values, the last
 * parameter varying fastest, as nested loops in the file's order) or seeded random sampling (each range by its
 * distribution: uniform, log-uniform, integer, log-integer; each list uniformly). Pure: no clock, no I/O; the
 * same sweep file and sampler seed give the same configurations on every machine.
 */
import { Rng } from '../../tensor';
import type { ParamValue, ParameterDomain } from './sweepFolder';

export type Configuration = Record<string, ParamValue>;

/** Every combination of the parameters' values; undefined when a parameter is a range (a grid needs lists). */
export function gridConfigurations(parameters: Record<string, ParameterDomain>): Configuration[] | undefined {
  let configurations: Configuration[] = [{}];
  for (const [name, domain] of Object.entries(parameters)) {
    if (!('values' in domain)) return undefined;
    configurations = configurations.flatMap((partial) => domain.values.map((value) => ({ ...partial, [name]: value })));
  }
  return configurations;
}

/** The number of grid points (the product of the list lengths), without building them. */
export function gridSize(parameters: Record<string, ParameterDomain>): number {
  return Object.values(parameters).reduce((n, domain) => n * ('values' in domain ? domain.values.length : Infinity), 1);
}

/** `count` configurations drawn with `Rng(seed)`, parameters drawn in the file's order. */
export function randomConfigurations(parameters: Record<string, ParameterDomain>, count: number, seed: number): Configuration[] {
  const rng = new Rng(seed);
  const configurations: Configuration[] = [];
  for (let i = 0; i < count; i++) {
    const configuration: Configuration = {};
    for (const [name, domain] of Object.entries(parameters)) configuration[name] = sampleDomain(domain, rng);
    configurations.push(configuration);
  }
  return configurations;
}

/**
 * One value of a domain. Ranges include both ends for integers ([min, max]) and the lower end for reals
 * ([min, max)); log scales draw the logarithm uniformly, so each decade is as likely as the next.
 */
export function sampleDomain(domain: ParameterDomain, rng: Rng): ParamValue {
  if ('values' in domain) return domain.values[rng.int(domain.values.length)];
  const { min, max, distribution } = domain;
  switch (distribution) {
    case 'uniform':
      return rng.uniform(min, max);
    case 'log-uniform':
      return Math.exp(rng.uniform(Math.log(min), Math.log(max)));
    case 'integer':
      return Math.ceil(min) + rng.int(Math.floor(max) - Math.ceil(min) + 1);
    case 'log-integer': {
      // Uniform in log over [min - 0.5, max + 0.5), rounded: every integer gets the share of its log-width.
      const low = Math.log(Math.max(Math.ceil(min) - 0.5, 1e-12));
      const high = Math.log(Math.floor(max) + 0.5);
      return Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(Math.exp(rng.uniform(low, high)))));
    }
  }
}
