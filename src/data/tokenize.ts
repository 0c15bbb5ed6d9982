/**
 * Char and word tokenisers. The word tokeniser keeps words (letters, digits, inner apostrophes and hyphens)
 * and splits punctuation into tokens of its own, so "great!" is ["great", "!"].
 */
/** `whitespace` splits on spaces only (pre-tokenised input such as CoNLL tokens). */
export type TokenizerKind = 'char' | 'word' | 'whitespace';

export interface TokenizeOptions {
  tokenizer: TokenizerKind;
  lowercase?: boolean;
  /** Keep at most this many tokens (from the start). */
  maxLength?: number;
}

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string, options: TokenizeOptions): string[] {
  const source = options.lowercase ? text.toLowerCase() : text;
  const tokens =
    options.tokenizer === 'char' ? Array.from(source) : options.tokenizer === 'whitespace' ? source.split(/\s+/).filter(Boolean) : source.match(WORD_PATTERN) ?? [];
  return options.maxLength !== undefined && tokens.length > options.maxLength ? tokens.slice(0, options.maxLength) : tokens;
}

/** The inverse for display: chars are joined as they are, words with single spaces. */
export function detokenize(tokens: readonly string[], tokenizer: TokenizerKind): string {
  return tokens.join(tokenizer === 'char' ? '' : ' ');
}
