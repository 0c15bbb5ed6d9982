/**
 * Token data read piece by piece into provisional ids (one per distinct token, numbered by first appearance), so
 * a file becomes one Int32Array of ids and a list of distinct tokens, never an array of token strings. Once the
 * training part is known, `finalIds` maps the provisional ids through the vocabulary built from it into the
 * narrowest typed array that vocabulary allows.
 */
import { ownString } from './lines';
import type { IdArray } from './batching';
import { idArrayFor } from './batching';
import { Vocabulary, type VocabularyOptions } from './vocabulary';

export class TokenInterner {
  /** Distinct tokens in order of first appearance; the provisional id is the index. */
  readonly tokens: string[] = [];
  private readonly idByToken = new Map<string, number>();
  /** Fast path for single UTF-16 unit tokens (characters): provisional id + 1, 0 when unseen. */
  private readonly idByCharCode = new Int32Array(0x10000);

  id(token: string): number {
    if (token.length === 1) {
      const code = token.charCodeAt(0);
      const known = this.idByCharCode[code];
      if (known > 0) return known - 1;
      const id = this.add(token);
      this.idByCharCode[code] = id + 1;
      return id;
    }
    const known = this.idByToken.get(token);
    return known !== undefined ? known : this.add(token);
  }

  private add(token: string): number {
    const id = this.tokens.length;
    const own = ownString(token);
    this.tokens.push(own);
    this.idByToken.set(own, id);
    return id;
  }

  /**
   * The vocabulary of the training tokens, which `eachTrainingId` visits in training order (as provisional ids):
   * the same vocabulary `Vocabulary.build` makes from those token sequences (counts, first-appearance ties).
   */
  vocabulary(eachTrainingId: (visit: (id: number) => void) => void, options: VocabularyOptions): Vocabulary {
    const counts = new Float64Array(this.tokens.length);
    const order: number[] = [];
    eachTrainingId((id) => {
      if (counts[id]++ === 0) order.push(id);
    });
    return Vocabulary.fromCounts(
      order.map((id): [string, number] => [this.tokens[id], counts[id]]),
      options,
    );
  }

  /**
   * Final ids of `ids` through `vocabulary` (unknown tokens → `<unk>`), in the narrowest array; in place when
   * `ids` already has that type (a character stream is mapped without a second copy of it).
   */
  finalIds(ids: IdArray, vocabulary: Vocabulary): IdArray {
    const map = this.finalIdMap(vocabulary);
    const narrow = idArrayFor(vocabulary.size - 1, 0);
    const out = narrow.constructor === ids.constructor ? ids : idArrayFor(vocabulary.size - 1, ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = map[ids[i]];
    return out;
  }

  /** Provisional id → final id. */
  finalIdMap(vocabulary: Vocabulary): Int32Array {
    return Int32Array.from(this.tokens, (token) => vocabulary.id(token));
  }
}
