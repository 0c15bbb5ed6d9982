/**
 * Token ↔ id maps with fixed specials: `<pad>`=0, `<unk>`=1, `<s>`=2, `</s>`=3. Built from the training split
 * only (so validation measures generalisation to unseen words through `<unk>`).
 */
export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<s>';
export const EOS = '</s>';
export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;
export const EOS_ID = 3;
export const SPECIAL_TOKENS: readonly string[] = [PAD, UNK, BOS, EOS];

export interface VocabularyOptions {
  /** Keep tokens seen at least this often (default 1). */
  minFrequency?: number;
  /** Cap on the total size, specials included (most frequent kept; ties broken by first appearance). */
  maxSize?: number;
}

export class Vocabulary {
  private readonly idByToken = new Map<string, number>();

  constructor(readonly tokens: readonly string[]) {
    tokens.forEach((token, id) => {
      if (this.idByToken.has(token)) throw new Error(`Vocabulary: duplicate token ${JSON.stringify(token)}`);
      this.idByToken.set(token, id);
    });
    for (let id = 0; id < SPECIAL_TOKENS.length; id++) {
      if (tokens[id] !== SPECIAL_TOKENS[id]) throw new Error(`Vocabulary: id ${id} must be ${SPECIAL_TOKENS[id]}`);
    }
  }

  /** Counts tokens over the given sequences and keeps the frequent ones after the four specials. */
  static build(sequences: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const counts = new Map<string, number>(); // insertion order = first appearance, the tie-breaker
    for (const sequence of sequences) {
      for (const token of sequence) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    return Vocabulary.fromCounts(counts.entries(), options);
  }

  /** The same from counts already made: `[token, count]` in order of first appearance (the tie-breaker). */
  static fromCounts(counts: Iterable<[string, number]>, options: VocabularyOptions = {}): Vocabulary {
    const minFrequency = Math.max(1, options.minFrequency ?? 1);
    let kept = [...counts].filter(([token, count]) => count >= minFrequency && !SPECIAL_TOKENS.includes(token));
    kept.sort((a, b) => b[1] - a[1]); // stable: equal counts keep first-appearance order
    if (options.maxSize !== undefined) kept = kept.slice(0, Math.max(0, options.maxSize - SPECIAL_TOKENS.length));
    return new Vocabulary([...SPECIAL_TOKENS, ...kept.map(([token]) => token)]);
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.idByToken.has(token);
  }

  /** Id of a token, `<unk>` when unknown. */
  id(token: string): number {
    return this.idByToken.get(token) ?? UNK_ID;
  }

  token(id: number): string {
    return this.tokens[id] ?? UNK;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.id(token));
  }

  /** Tokens of the ids, stopping at `</s>` and skipping `<pad>` and `<s>`. */
  decode(ids: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === EOS_ID) break;
      if (id === PAD_ID || id === BOS_ID) continue;
      out.push(this.token(id));
    }
    return out;
  }

  toJSON(): { tokens: readonly string[] } {
    return { tokens: this.tokens };
  }

  /** The inverse of `toJSON` (a vocabulary saved with a run). */
  static fromJSON(json: { tokens: readonly string[] }): Vocabulary {
    return new Vocabulary(json.tokens);
  }
}
