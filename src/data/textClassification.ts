/**
 * Text classification: CSV (header with text and label columns, quoted fields) or JSONL (one object per line).
 * Examples are shuffled with the seed before splitting; the vocabulary is built on the training split only.
 */
import type { TextClassificationData } from '../spec/types';
import { ExampleSplit, type Example } from './batching';
import { parseCsvWithHeader, requireColumn } from './csv';
import { seededPermutation, splitCounts, takeSplits } from './splits';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize, type TokenizerKind } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';
import { Vocabulary } from './vocabulary';

/** A text and its label, with the label's position for error messages. */
export interface LabelledText {
  text: string;
  label: string;
  line: number;
  textColumn: number;
  labelColumn: number;
}

export function readLabelledCsv(text: string, file: string, textField: string, labelField: string): LabelledText[] {
  const table = parseCsvWithHeader(text, file);
  const textIndex = requireColumn(table, textField, file);
  const labelIndex = requireColumn(table, labelField, file);
  return table.rows.map((row) => ({
    text: row.fields[textIndex].text,
    label: row.fields[labelIndex].text.trim(),
    line: row.line,
    textColumn: row.fields[textIndex].column,
    labelColumn: row.fields[labelIndex].column,
  }));
}

export function readLabelledJsonl(text: string, file: string, textField: string, labelField: string): LabelledText[] {
  const out: LabelledText[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      // V8 says "... at position N" (0-based); point at it when present.
      const match = /position (\d+)/.exec(String((error as Error).message));
      const column = match ? Number(match[1]) + 1 : 1;
      throw new DataError(file, line, column, `invalid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(file, line, 1, 'expected a JSON object per line');
    }
    const record = value as Record<string, unknown>;
    const textValue = record[textField];
    const labelValue = record[labelField];
    if (typeof textValue !== 'string') throw new DataError(file, line, 1, `field ${JSON.stringify(textField)} must be a string`);
    if (typeof labelValue !== 'string' && typeof labelValue !== 'number' && typeof labelValue !== 'boolean') {
      throw new DataError(file, line, 1, `field ${JSON.stringify(labelField)} must be a string, number or boolean`);
    }
    const labelColumn = jsonValueColumn(lineText, labelField);
    const textColumn = jsonValueColumn(lineText, textField);
    out.push({ text: textValue, label: String(labelValue), line, textColumn, labelColumn });
  });
  return out;
}

/** 1-based column of the value of `"key":` on a JSON line (a good-enough locator for error messages), else 1. */
function jsonValueColumn(lineText: string, key: string): number {
  const keyAt = lineText.indexOf(JSON.stringify(key));
  if (keyAt < 0) return 1;
  const match = /^\s*:\s*/.exec(lineText.slice(keyAt + JSON.stringify(key).length));
  return match ? keyAt + JSON.stringify(key).length + match[0].length + 1 : keyAt + 1;
}

export interface TextClassificationOptions {
  file: string;
  seed: number;
  /** Fixed label order from the spec; inferred (sorted) from the data when absent. */
  labels?: string[];
}

export function loadTextClassification(text: string, data: TextClassificationData, options: TextClassificationOptions): PreparedData {
  const { file } = options;
  const textField = data.textField ?? 'text';
  const labelField = data.labelField ?? 'label';
  const format = data.format ?? (file.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'csv');
  const rows = format === 'jsonl' ? readLabelledJsonl(text, file, textField, labelField) : readLabelledCsv(text, file, textField, labelField);
  if (rows.length < 2) throw new DataError(file, 1, 1, `need at least 2 labelled examples, found ${rows.length}`);

  const labels = options.labels ?? [...new Set(rows.map((row) => row.label))].sort();
  const labelId = new Map(labels.map((label, id) => [label, id]));
  const resolved = resolveTokenizer(data)!;
  const tokenizer: TokenizerKind = resolved.kind;
  const tokenized = rows.map((row) => {
    const id = labelId.get(row.label);
    if (id === undefined) {
      throw new DataError(file, row.line, row.labelColumn, `label ${JSON.stringify(row.label)} is not one of the task's labels (${labels.join(', ')})`);
    }
    const tokens = tokenize(row.text, { tokenizer, lowercase: resolved.lowercase, maxLength: resolved.maxLength });
    if (tokens.length === 0) throw new DataError(file, row.line, row.textColumn, 'empty text (no tokens)');
    return { tokens, label: id };
  });

  const order = seededPermutation(tokenized.length, options.seed);
  const shuffled = Array.from(order, (i) => tokenized[i]);
  const counts = splitCounts(shuffled.length, data.split, 'texts');
  const parts = takeSplits(shuffled, counts);
  const vocabulary = Vocabulary.build(parts.train.map((row) => row.tokens), { minFrequency: data.minFrequency, maxSize: data.maxVocab });

  const toExample = (row: { tokens: string[]; label: number }): Example => ({
    length: row.tokens.length,
    inputIds: Int32Array.from(vocabulary.encode(row.tokens)),
    targetClass: row.label,
  });
  const describe = (example: Example) => ({
    input: detokenize(vocabulary.decode(example.inputIds!), tokenizer),
    target: labels[example.targetClass!],
  });
  const layout = { featureCount: 1, targetWidth: 1 };
  const split = (items: typeof tokenized) => ExampleSplit.fromExamples(items.map(toExample), layout, describe);
  const info: DataInfo = {
    kind: 'tokens',
    task: 'classify',
    inputSize: vocabulary.size,
    outputSize: labels.length,
    vocabulary,
    tokenizer: resolved,
    labels,
    maxLength: tokenized.reduce((longest, row) => Math.max(longest, row.tokens.length), 0),
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return {
    info,
    train: split(parts.train),
    validation: split(parts.validation),
    test: counts.test > 0 ? split(parts.test) : undefined,
  };
}
