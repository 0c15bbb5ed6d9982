#!/usr/bin/env node
// Re-extracts the two real data sets next to this file from the npm package they ship in, and checks that they
// are byte for byte the committed ones:
//   co2-concentration.csv   monthly CO2 at Mauna Loa, 1958-2020 (Scripps CO2 Program; CC BY 4.0)
//   seattle-weather.csv     daily Seattle weather, 2012-2015 (NOAA; U.S. Government work)
// Provenance and licences: examples/README.md. Needs the npm registry (`npm pack`) and `tar`.
// Usage: node examples/data/extract_vega_datasets.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'vega-datasets@3.2.1';
const FILES = {
  'co2-concentration.csv': 'c1a4a970864145940a28225cae288618b156cb32f9a2a1b6606ba7124134febb',
  'seattle-weather.csv': '0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be',
};

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'seqlab-vega-'));
try {
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', scratch], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', join(scratch, tarball), '-C', scratch]);
  for (const [name, sha256] of Object.entries(FILES)) {
    const bytes = readFileSync(join(scratch, 'package', 'data', name));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new Error(`${PACKAGE} data/${name}: sha256 ${actual}, expected ${sha256}`);
    writeFileSync(join(here, name), bytes);
    console.log(`${name}: ${bytes.length} bytes from ${PACKAGE}, sha256 ${actual}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
