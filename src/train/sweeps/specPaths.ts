/**
 * Spec paths as a sweep names them (`model.encoder.hiddenSize`): whether the spec format has such a property
 * (read from schemas/seqmodel.schema.json, through `$ref` and every `if`/`then` branch), and the spec a trial
 * trains — the base spec's JSON with each path set, `training.seed` the trial's seed.
 */
import { specSchema } from '../../modelSpec';
import type { ParamValue } from './sweepFolder';

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  allOf?: { then?: SchemaNode; else?: SchemaNode }[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
}

const definitions = (specSchema as { definitions?: Record<string, SchemaNode> }).definitions ?? {};

function resolve(node: SchemaNode): SchemaNode {
  return node.$ref ? definitions[node.$ref.replace('#/definitions/', '')] ?? {} : node;
}

/** Every schema node a property of `node` may be described by (all branches). */
function propertyNodes(node: SchemaNode, name: string): SchemaNode[] {
  const n = resolve(node);
  const found: SchemaNode[] = [];
  if (n.properties?.[name]) found.push(n.properties[name]);
  for (const branch of [...(n.allOf ?? []).flatMap((b) => [b.then, b.else]), ...(n.anyOf ?? []), ...(n.oneOf ?? [])]) {
    if (branch) found.push(...propertyNodes(branch, name));
  }
  return found;
}

/** The property names the schema allows at `path` (for "did you mean"). */
export function propertyNamesAt(path: readonly string[]): string[] {
  let nodes: SchemaNode[] = [specSchema as SchemaNode];
  for (const part of path) nodes = nodes.flatMap((n) => propertyNodes(n, part));
  const names = new Set<string>();
  const collect = (node: SchemaNode) => {
    const n = resolve(node);
    for (const name of Object.keys(n.properties ?? {})) names.add(name);
    for (const branch of [...(n.allOf ?? []).flatMap((b) => [b.then, b.else]), ...(n.anyOf ?? []), ...(n.oneOf ?? [])]) if (branch) collect(branch);
  };
  nodes.forEach(collect);
  return [...names];
}

/** True when the spec format has a property at this dotted path (in some branch: `data.window` is csv's). */
export function specHasPath(path: readonly string[]): boolean {
  let nodes: SchemaNode[] = [specSchema as SchemaNode];
  for (const part of path) {
    nodes = nodes.flatMap((n) => propertyNodes(n, part));
    if (nodes.length === 0) return false;
  }
  return true;
}

/** The spec JSON a trial trains: the base with every parameter set (missing objects created) and its seed. */
export function trialSpec(base: Record<string, unknown>, params: Record<string, ParamValue>, seed: number, epochs?: number): Record<string, unknown> {
  const spec = structuredClone(base);
  const set = (path: string[], value: unknown) => {
    let node = spec;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  };
  for (const [name, value] of Object.entries(params)) set(name.split('.'), value);
  set(['training', 'seed'], seed);
  if (epochs !== undefined) set(['training', 'epochs'], epochs);
  return spec;
}
