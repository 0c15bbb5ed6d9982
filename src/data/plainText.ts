/**
 * Plain text for language modelling (character-level by default). The token stream is split in time order
 * (training text first, then validation, then test, so no window straddles two splits) and cut into windows
 * of `window` tokens. Each window is a generator run from its start token: inputs `<s> x1 … x(W-1)`, targets
 * `x1 … xW` (the inputs shifted by one), so training matches sampling, which starts from `<s>` too.
 * Training windows overlap by half (twice the examples from a small text); held-out windows do not overlap.
 *
 * The text is read chunk by chunk into one array of token ids (a byte each for a character vocabulary); a
 * window is a start offset into it (`TokenWindowStore`).
 */
import type { PlainTextData } from '../modelSpec/types';
import type { Batch } from './types';
import { ExampleSplit, type BatchFields, type Example, type ExampleStore, type IdArray } from './batching';
import { GrowableIds } from './growable';
import { splitCounts } from './splits';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize, type TokenizerKind } from './tokenize';
import { TokenInterner } from './tokenStream';
import { DataError, type DataInfo, type PreparedData } from './types';
import { BOS_ID, Vocabulary } from './vocabulary';

export interface PlainTextOptions {
  file: string;
  /** The file's size, when known: a character stream has at most that many tokens, so its ids are reserved once. */
  byteLength?: number;
}

/** Windows of W tokens every `stride` tokens over ids[start, start+length): inputs `<s>` + the window shifted right. */
export class TokenWindowStore implements ExampleStore {
  readonly fields: BatchFields = { inputIds: true, targetIds: true };
  readonly count: number;

  constructor(
    readonly ids: IdArray,
    readonly start: number,
    length: number,
    readonly window: number,
    readonly stride: number,
  ) {
    this.count = length >= window ? Math.floor((length - window) / stride) + 1 : 0;
  }

  length(): number {
    return this.window;
  }

  targetLength(): number {
    return this.window;
  }

  write(i: number, batch: Batch, b: number): void {
    const W = this.window;
    const from = this.start + i * this.stride;
    const ids = this.ids;
    const inputIds = batch.inputIds!;
    const targetIds = batch.targetIds!;
    const row = b * batch.steps;
    const targetRow = b * batch.targetSteps!;
    inputIds[row] = BOS_ID;
    for (let t = 0; t < W; t++) {
      targetIds[targetRow + t] = ids[from + t]; // x1 … xW
      if (t + 1 < W) inputIds[row + t + 1] = ids[from + t]; // <s> x1 … x(W-1)
    }
  }

  example(i: number): Example {
    const W = this.window;
    const from = this.start + i * this.stride;
    const targetIds = Int32Array.from(this.ids.subarray(from, from + W));
    const inputIds = new Int32Array(W);
    inputIds[0] = BOS_ID;
    inputIds.set(targetIds.subarray(0, W - 1), 1);
    return { length: W, inputIds, targetIds };
  }
}

/** Longest stretch of text without a line break that is tokenised in one piece before it is cut at a space. */
const LONGEST_PIECE = 1 << 20;

/**
 * Tokenises the text piece by piece into provisional ids. Pieces end at line breaks (CRLF and CR become LF, so a
 * CRLF file and an LF file give the same model), or at a space in a very long line, so no token is cut.
 */
function readTokenIds(chunks: Iterable<string>, tokenizer: TokenizerKind, lowercase: boolean, interner: TokenInterner, byteLength?: number): IdArray {
  const ids = new GrowableIds(1 << 20);
  if (tokenizer === 'char' && byteLength !== undefined) ids.reserve(byteLength);
  forEachTokenId(chunks, tokenizer, lowercase, interner, (id) => ids.push(id));
  return ids.trimmed();
}

/** Calls `push` with the provisional id of every token of the text, in order (see `readTokenIds`). */
export function forEachTokenId(chunks: Iterable<string>, tokenizer: TokenizerKind, lowercase: boolean, interner: TokenInterner, push: (id: number) => void): void {
  const add = (piece: string) => {
    if (piece === '') return;
    const text = lowercase ? piece.toLowerCase() : piece;
    if (tokenizer === 'char') {
      // Characters without an array of one-character strings: code points straight into ids.
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        const pair = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
        push(interner.id(pair ? text.slice(i, ++i + 1) : text[i]));
      }
      return;
    }
    for (const token of tokenize(text, { tokenizer })) push(interner.id(token));
  };
  let carry = '';
  let first = true;
  let afterCr = false;
  for (let chunk of chunks) {
    if (first) (chunk = chunk.replace(/^\uFEFF/, '')), (first = false);
    if (afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    afterCr = chunk.endsWith('\r');
    let text = carry + chunk.replace(/\r\n?/g, '\n');
    let cut = text.lastIndexOf('\n') + 1;
    if (cut === 0 && text.length > LONGEST_PIECE) {
      // No line break in a long stretch: cut after a space (or anywhere, for characters), never inside a pair.
      cut = tokenizer === 'char' ? text.length : text.search(/\s\S*$/) + 1;
      if (cut > 0 && /[\ud800-\udbff]/.test(text[cut - 1])) cut--;
    }
    add(text.slice(0, cut));
    carry = text.slice(cut);
    text = '';
  }
  add(carry);
}

export function loadPlainText(chunks: Iterable<string>, data: PlainTextData, options: PlainTextOptions): PreparedData {
  const { file } = options;
  const { tokenizer, lowercase } = planPlainText(data, file);
  const interner = new TokenInterner();
  const provisional = readTokenIds(chunks, tokenizer, lowercase, interner, options.byteLength);
  const counts = splitCounts(provisional.length, data.split, 'tokens');
  const vocabulary: Vocabulary = interner.vocabulary((visit) => {
    for (let i = 0; i < counts.train; i++) visit(provisional[i]);
  }, { minFrequency: data.minFrequency, maxSize: data.maxVocab });
  const ids = interner.finalIds(provisional, vocabulary);
  return plainTextData(data, file, vocabulary, provisional.length, (start, length, stride) => new TokenWindowStore(ids, start, length, data.window, stride));
}

/** The tokenizer of a text spec, once its window is checked. */
export function planPlainText(data: PlainTextData, file: string): { tokenizer: TokenizerKind; lowercase: boolean } {
  const W = data.window;
  if (!Number.isInteger(W) || W < 1) throw new DataError(file, 1, 1, `window must be a positive integer, got ${W}`);
  const { kind: tokenizer, lowercase } = resolveTokenizer(data)!;
  return { tokenizer, lowercase };
}

/**
 * The prepared data of a token stream of `tokenCount` final ids, whatever holds them: `store(start, length,
 * stride)` makes the windows over ids [start, start+length) (in memory, or read from the disk cache per batch).
 */
export function plainTextData(data: PlainTextData, file: string, vocabulary: Vocabulary, tokenCount: number, store: (start: number, length: number, stride: number) => ExampleStore): PreparedData {
  const W = data.window;
  const { tokenizer, lowercase } = planPlainText(data, file);
  const counts = splitCounts(tokenCount, data.split, 'tokens');
  const parts = [
    { what: 'training', start: 0, length: counts.train, stride: Math.max(1, Math.floor(W / 2)) },
    { what: 'validation', start: counts.train, length: counts.validation, stride: W },
    { what: 'test', start: counts.train + counts.validation, length: tokenCount - counts.train - counts.validation, stride: W },
  ];
  for (const part of parts) {
    if (part.length < W && part.length > 0) {
      throw new DataError(file, 1, 1, `the ${part.what} text has ${part.length} tokens, fewer than the window (${W}); lower the window or change the split`);
    }
  }
  const [train, validation, test] = parts.map((part) => store(part.start, part.length, part.stride));
  const describe = (example: Example) => ({
    input: detokenize(vocabulary.decode(example.inputIds!), tokenizer),
    target: detokenize(vocabulary.decode(example.targetIds!), tokenizer),
  });
  const info: DataInfo = {
    kind: 'tokens',
    task: 'generate',
    inputSize: vocabulary.size,
    outputSize: vocabulary.size,
    vocabulary,
    targetVocabulary: vocabulary,
    tokenizer: { kind: tokenizer, lowercase },
    maxLength: W,
    trainSize: train.count,
    validationSize: validation.count,
    testSize: test.count,
    denormalizeTargets: () => {},
  };
  return {
    info,
    train: new ExampleSplit(train, describe),
    validation: new ExampleSplit(validation, describe),
    test: test.count > 0 ? new ExampleSplit(test, describe) : undefined,
  };
}
