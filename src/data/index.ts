export * from './types';
export { prepareData, resolveDataPath } from './prepare';
export { baselines } from './baselines';
export { Vocabulary, PAD, UNK, BOS, EOS, PAD_ID, UNK_ID, BOS_ID, EOS_ID, SPECIAL_TOKENS } from './vocabulary';
export { ZScore } from './normalize';
export { tokenize, detokenize, type TokenizerKind } from './tokenize';
export { parseCsv, parseCsvWithHeader } from './csv';
export { ExampleSplit, type Example } from './batching';
export { encodeText, encodeSeries } from './encode';
