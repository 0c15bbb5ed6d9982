import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, detokenize } from './tokenize';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocabulary } from './vocabulary';

test('vocabulary: specials come first with fixed ids, then tokens by frequency (ties by first appearance)', () => {
  const vocabulary = Vocabulary.build([['b', 'a', 'c', 'a'], ['c', 'a', 'd']]);
  assert.deepEqual(vocabulary.tokens, ['<pad>', '<unk>', '<s>', '</s>', 'a', 'c', 'b', 'd']);
  assert.deepEqual([PAD_ID, UNK_ID, BOS_ID, EOS_ID], [0, 1, 2, 3]);
  assert.equal(vocabulary.id('<pad>'), 0);
  assert.equal(vocabulary.id('never seen'), UNK_ID);
});

test('vocabulary: minimum frequency and maximum size (specials included) drop rare tokens to <unk>', () => {
  const sequences = [['x', 'x', 'x', 'y', 'y', 'z']];
  assert.deepEqual(Vocabulary.build(sequences, { minFrequency: 2 }).tokens.slice(4), ['x', 'y']);
  const capped = Vocabulary.build(sequences, { maxSize: 5 });
  assert.equal(capped.size, 5);
  assert.deepEqual(capped.encode(['x', 'y', 'z']), [4, UNK_ID, UNK_ID]);
});

test('vocabulary: specials in the data are not duplicated; decode stops at </s> and skips <pad> and <s>', () => {
  const vocabulary = Vocabulary.build([['<s>', 'hi', '</s>']]);
  assert.deepEqual(vocabulary.tokens, ['<pad>', '<unk>', '<s>', '</s>', 'hi']);
  assert.deepEqual(vocabulary.decode([BOS_ID, 4, PAD_ID, 4, EOS_ID, 4]), ['hi', 'hi']);
});

test('vocabulary: a token list without the specials in place is rejected', () => {
  assert.throws(() => new Vocabulary(['a', '<pad>', '<unk>', '<s>', '</s>']), /id 0 must be <pad>/);
});

test('tokenize: words keep inner apostrophes and hyphens and split punctuation; chars keep everything', () => {
  assert.deepEqual(tokenize("It's well-made, isn't it?!", { tokenizer: 'word', lowercase: true }), [
    "it's", 'well-made', ',', "isn't", 'it', '?', '!',
  ]);
  assert.deepEqual(tokenize('Ab c', { tokenizer: 'char' }), ['A', 'b', ' ', 'c']);
  assert.deepEqual(tokenize('one two three', { tokenizer: 'word', maxLength: 2 }), ['one', 'two']);
  assert.equal(detokenize(['a', 'b'], 'char'), 'ab');
  assert.equal(detokenize(['a', 'b'], 'word'), 'a b');
});
