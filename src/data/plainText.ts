/**
 * Plain text for language modelling (character-level by default). The token stream is split in time order
 * (training text first, then validation, then test, so no window straddles two splits) and cut into windows
 * of `window` tokens. Each window is a generator run from its start token: inputs `<s> x1 … x(W-1)`, targets
 * `x1 … xW` (the inputs shifted by one), so training matches sampling, which starts from `<s>` too.
 * Training windows overlap by half (twice the examples from a small text); held-out windows do not overlap.
 */
import type { PlainTextData } from '../spec/types';
import { ExampleSplit, type Example } from './batching';
import { splitCounts } from './splits';
import { resolveTokenizer } from './dataDefaults';
import { detokenize, tokenize } from './tokenize';
import { DataError, type DataInfo, type PreparedData } from './types';
import { BOS_ID, Vocabulary } from './vocabulary';

export interface PlainTextOptions {
  file: string;
}

export function loadPlainText(text: string, data: PlainTextData, options: PlainTextOptions): PreparedData {
  const { file } = options;
  const W = data.window;
  if (!Number.isInteger(W) || W < 1) throw new DataError(file, 1, 1, `window must be a positive integer, got ${W}`);
  const { kind: tokenizer, lowercase } = resolveTokenizer(data)!;
  // Normalise line ends so a CRLF file and an LF file give the same model.
  const tokens = tokenize(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), { tokenizer, lowercase });
  const counts = splitCounts(tokens.length, data.split, 'tokens');
  const trainTokens = tokens.slice(0, counts.train);
  const validationTokens = tokens.slice(counts.train, counts.train + counts.validation);
  const testTokens = tokens.slice(counts.train + counts.validation);
  const vocabulary = Vocabulary.build([trainTokens], { minFrequency: data.minFrequency, maxSize: data.maxVocab });

  const windows = (part: string[], stride: number, what: string): Example[] => {
    if (part.length < W && part.length > 0) {
      throw new DataError(file, 1, 1, `the ${what} text has ${part.length} tokens, fewer than the window (${W}); lower the window or change the split`);
    }
    const ids = Int32Array.from(vocabulary.encode(part));
    const out: Example[] = [];
    for (let start = 0; start + W <= ids.length; start += stride) {
      const targetIds = ids.slice(start, start + W); // [W] x1 … xW
      const inputIds = new Int32Array(W); // [W] <s> x1 … x(W-1)
      inputIds[0] = BOS_ID;
      inputIds.set(targetIds.subarray(0, W - 1), 1);
      out.push({ length: W, inputIds, targetIds });
    }
    return out;
  };
  const train = windows(trainTokens, Math.max(1, Math.floor(W / 2)), 'training');
  const validation = windows(validationTokens, W, 'validation');
  const test = windows(testTokens, W, 'test');
  const describe = (example: Example) => ({
    input: detokenize(vocabulary.decode(example.inputIds!), tokenizer),
    target: detokenize(vocabulary.decode(example.targetIds!), tokenizer),
  });
  const layout = { featureCount: 1, targetWidth: 1 };
  const info: DataInfo = {
    kind: 'tokens',
    task: 'generate',
    inputSize: vocabulary.size,
    outputSize: vocabulary.size,
    vocabulary,
    targetVocabulary: vocabulary,
    tokenizer: { kind: tokenizer, lowercase },
    maxLength: W,
    trainSize: train.length,
    validationSize: validation.length,
    testSize: test.length,
    denormalizeTargets: () => {},
  };
  return {
    info,
    train: ExampleSplit.fromExamples(train, layout, describe),
    validation: ExampleSplit.fromExamples(validation, layout, describe),
    test: test.length > 0 ? ExampleSplit.fromExamples(test, layout, describe) : undefined,
  };
}
