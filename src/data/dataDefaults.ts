/**
 * The one place that says how text becomes tokens when a spec leaves `tokenizer` or `lowercase` out.
 * The loaders, `seqlab predict` and the JSON schema's `default`s (checked by dataDefaults.schema.test.ts) all
 * read these values, so a prediction tokenises new text exactly as training tokenised the data.
 */
import type { DataSpec } from '../modelSpec/types';
import type { TokenizerKind } from './tokenize';

/** Data sources that tokenise text, with what they do when the spec is silent. */
export const tokenizerDefaults = {
  'text-classification': { tokenizer: 'word', lowercase: true },
  pairs: { tokenizer: 'char', lowercase: false },
  text: { tokenizer: 'char', lowercase: false },
  // CoNLL files are pre-tokenised (one token per line): the spec offers `lowercase` only.
  conll: { tokenizer: 'whitespace', lowercase: false },
} as const satisfies Record<string, { tokenizer: TokenizerKind; lowercase: boolean }>;

export type TokenizingSource = keyof typeof tokenizerDefaults;

/** How a data source tokenises: the spec's own choices, the defaults above for the rest. */
export interface ResolvedTokenizer {
  kind: TokenizerKind;
  lowercase: boolean;
  maxLength?: number;
}

/** The tokenizer a text data spec asks for, defaults filled in; undefined for sources without text (csv, synthetic). */
export function resolveTokenizer(data: DataSpec): ResolvedTokenizer | undefined {
  switch (data.source) {
    case 'text-classification':
    case 'pairs':
    case 'text': {
      const defaults = tokenizerDefaults[data.source];
      return { kind: data.tokenizer ?? defaults.tokenizer, lowercase: data.lowercase ?? defaults.lowercase, maxLength: data.maxLength };
    }
    case 'conll':
      return { kind: tokenizerDefaults.conll.tokenizer, lowercase: data.lowercase ?? tokenizerDefaults.conll.lowercase };
    default:
      return undefined;
  }
}
