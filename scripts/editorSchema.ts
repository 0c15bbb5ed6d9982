// Writes dist/seqmodel.editor.schema.json (the schema VS Code's JSON service gets) from the spec schema; run by
// scripts/build.mjs, so it always follows schemas/seqmodel.schema.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { EDITOR_SCHEMA_FILE, editorSchemaText } from '../src/modelSpec/editorSchema';
import { specSchema } from '../src/modelSpec/schemaValidation';

mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL(`../${EDITOR_SCHEMA_FILE}`, import.meta.url), editorSchemaText(specSchema));
