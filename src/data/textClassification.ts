/**
 * Text classification: CSV (header with text and label columns, quoted fields) or JSONL (one object per line).
 * Examples are shuffled with the seed before splitting; the vocabulary is built on the training split only.
 */
import type { TextClassificationData } from '../modelSpec/types';
import { ExampleSplit, PackedStore, idArrayFor, type Example, type ExampleStore, type IdArray } from './batching';
import { CsvStreamParser, checkFieldCount, requireColumn } from './csv';
import { growableInt32 } from './growable';
import { forEachLine } from './lines';
import { LabelInterner, shuffledSplits, type LabelledSamplesPlan, type ShuffledSplits } from './labelledSamples';
import { RaggedIds, type RaggedSequences, type RaggedSink } from './raggedIds';
import { splitsByRange } from './splits';
import { TokenInterner } from './tokenStream';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';

/** A text and its label, with the label's position for error messages. */
export interface LabelledText {
  text: string;
  label: string;
  line: number;
  textColumn: number;
  labelColumn: number;
}

/** Calls `onRow` for each data row of a CSV with a header naming the text and label columns. */
export function forEachLabelledCsvRow(chunks: Iterable<string>, file: string, textField: string, labelField: string, onRow: (row: LabelledText) => void): void {
  let indices: { text: number; label: number; fields: number } | undefined;
  const parser = new CsvStreamParser(file, (record) => {
    if (!indices) {
      const table = { header: record, rows: [], columnIndex: (name: string) => record.fields.findIndex((f) => f.text.trim() === name) };
      indices = { text: requireColumn(table, textField, file), label: requireColumn(table, labelField, file), fields: record.fields.length };
      return;
    }
    checkFieldCount(record, indices.fields, file);
    const textCell = record.fields[indices.text];
    const labelCell = record.fields[indices.label];
    onRow({ text: textCell.text, label: labelCell.text.trim(), line: record.line, textColumn: textCell.column, labelColumn: labelCell.column });
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  if (!indices) throw new DataError(file, 1, 1, 'the file is empty (a header row is expected)');
}

/** Calls `onRow` for each line of a JSONL file (one object per line holding the text and label fields). */
export function forEachLabelledJsonlRow(chunks: Iterable<string>, file: string, textField: string, labelField: string, onRow: (row: LabelledText) => void): void {
  forEachLine(chunks, (lineText, line) => {
    if (line === 1) lineText = lineText.replace(/^\uFEFF/, '');
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
    onRow({ text: textValue, label: String(labelValue), line, textColumn: jsonValueColumn(lineText, textField), labelColumn: jsonValueColumn(lineText, labelField) });
  });
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

/** What the one pass over a classification file leaves besides the texts' provisional ids. */
export interface LabelledTextsRead {
  interner: TokenInterner;
  /** The labels in their final order, and provisional label id → final id. */
  labels: string[];
  labelId: Int32Array;
  /** Provisional label id of each row, in file order. */
  rowLabels: Int32Array;
  maxLength: number;
}

/** One pass over the file: texts become provisional token ids in `texts`, labels provisional label ids (first appearance). */
export function readLabelledTexts(chunks: Iterable<string>, data: TextClassificationData, options: TextClassificationOptions, texts: RaggedSink): LabelledTextsRead {
  const { file } = options;
  const textField = data.textField ?? 'text';
  const labelField = data.labelField ?? 'label';
  const format = data.format ?? (file.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'csv');
  const resolved = resolveTokenizer(data)!;
  const interner = new TokenInterner();
  const labelInterner = new LabelInterner(file, 'label', options.labels);
  const rowLabels = growableInt32(1 << 12);
  let maxLength = 0;
  const onRow = (row: LabelledText) => {
    const label = labelInterner.id(row.label, row.line, row.labelColumn);
    const tokens = tokenize(row.text, { tokenizer: resolved.kind, lowercase: resolved.lowercase, maxLength: resolved.maxLength });
    if (tokens.length === 0) throw new DataError(file, row.line, row.textColumn, 'empty text (no tokens)');
    for (const token of tokens) texts.push(interner.id(token));
    texts.close();
    maxLength = Math.max(maxLength, tokens.length);
    rowLabels.push(label);
  };
  if (format === 'jsonl') forEachLabelledJsonlRow(chunks, file, textField, labelField, onRow);
  else forEachLabelledCsvRow(chunks, file, textField, labelField, onRow);
  const { labels, finalId: labelId } = labelInterner.finish();
  return { interner, labels, labelId, rowLabels: rowLabels.trimmed(), maxLength };
}

/** The seeded order, split counts and training vocabulary of the texts read (`shuffledSplits` with this loader's wording). */
export function labelledTextSplits(texts: RaggedSequences, read: LabelledTextsRead, data: TextClassificationData, options: TextClassificationOptions): ShuffledSplits {
  return shuffledSplits(texts, read.interner, {
    file: options.file, seed: options.seed, split: data.split, samplesNoun: 'labelled examples', splitNoun: 'texts', vocabulary: { minFrequency: data.minFrequency, maxSize: data.maxVocab },
  });
}

/** Final class id of each example in split order [start, end), in the narrowest array the labels allow. */
export function classesInOrder(read: LabelledTextsRead, order: ArrayLike<number>, start: number, end: number): IdArray {
  const targetClass = idArrayFor(read.labels.length - 1, end - start);
  for (let k = start; k < end; k++) targetClass[k - start] = read.labelId[read.rowLabels[order[k]]];
  return targetClass;
}

export function loadTextClassification(chunks: Iterable<string>, data: TextClassificationData, options: TextClassificationOptions): PreparedData {
  const texts = new RaggedIds();
  const read = readLabelledTexts(chunks, data, options, texts);
  const { order, counts, vocabulary, finalIds } = labelledTextSplits(texts, read, data, options);
  return textClassificationData(data, { vocabulary, labels: read.labels, maxLength: read.maxLength, counts }, (start, end) => {
    const { ids, offsets } = texts.gather(order, start, end, vocabulary.size - 1, finalIds);
    return new PackedStore({ count: end - start, inputOffsets: offsets, inputIds: ids, targetClass: classesInOrder(read, order, start, end) });
  });
}

/**
 * The prepared data of texts and labels, whatever holds them: `store(start, end)` makes the examples of positions
 * [start, end) of the split order (in memory, or read from the disk cache per batch).
 */
export function textClassificationData(data: TextClassificationData, plan: LabelledSamplesPlan, store: (start: number, end: number) => ExampleStore): PreparedData {
  const { vocabulary, labels, counts } = plan;
  const resolved = resolveTokenizer(data)!;
  const describe = (example: Example) => ({
    input: detokenize(vocabulary.decode(example.inputIds!), resolved.kind),
    target: labels[example.targetClass!],
  });
  const info: DataInfo = {
    kind: 'tokens',
    task: 'classify',
    inputSize: vocabulary.size,
    outputSize: labels.length,
    vocabulary,
    tokenizer: resolved,
    labels,
    maxLength: plan.maxLength,
    trainSize: counts.train,
    validationSize: counts.validation,
    testSize: counts.test,
    denormalizeTargets: () => {},
  };
  return { info, ...splitsByRange(counts, (start, end) => new ExampleSplit(store(start, end), describe)) };
}
