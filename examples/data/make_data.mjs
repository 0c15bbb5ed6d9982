#!/usr/bin/env node
// Regenerates the small example data sets next to this file from a fixed seed:
//   load.csv        hourly electricity load with daily and weekly seasons, temperature and noise (forecaster)
//   sentiment.csv   labelled review sentences from templates with real sentiment words, negation and "but" (sentiment)
//   tagger.conll    part-of-speech-like tags from a small grammar with ambiguous words (tagger)
//   reverse.tsv     short letter strings and their reversals (seq2seq)
// coriolanus.txt (generator) is not generated: it is the opening of Shakespeare's Coriolanus (public domain).
// Usage: node examples/data/make_data.mjs   (the output is identical on every run)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** mulberry32: a tiny seeded generator, so the files are reproducible byte for byte. */
function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => {
      let u = 0;
      while (u === 0) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

// ------------------------------------------------------------------------------------------- load.csv
function makeLoad() {
  const rng = makeRng(1949);
  const hours = 24 * 7 * 8; // eight weeks, hourly
  const start = Date.UTC(2024, 0, 1); // a Monday
  const lines = ['time,load,temperature'];
  let noise = 0;
  for (let t = 0; t < hours; t++) {
    const hourOfDay = t % 24;
    const dayOfWeek = Math.floor(t / 24) % 7; // 0 = Monday
    const weekend = dayOfWeek >= 5;
    const temperature = 8 + 5 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24) + 3 * Math.sin((2 * Math.PI * t) / (24 * 20)) + 0.8 * rng.normal();
    // Morning and evening peaks, lower and later on weekends; more heating when it is cold.
    const daily = 18 * Math.exp(-((hourOfDay - 8) ** 2) / 6) + 24 * Math.exp(-((hourOfDay - 19) ** 2) / 8) + 10 * Math.sin((Math.PI * hourOfDay) / 24);
    noise = 0.7 * noise + 2.5 * rng.normal();
    const load = 60 + (weekend ? 0.7 : 1) * daily + 1.2 * Math.max(0, 12 - temperature) + noise;
    const time = new Date(start + t * 3600_000).toISOString().slice(0, 16);
    lines.push(`${time},${load.toFixed(1)},${temperature.toFixed(1)}`);
  }
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------ sentiment.csv
function makeSentiment() {
  const rng = makeRng(1977);
  const subjects = ['the movie', 'this film', 'the plot', 'the acting', 'the soundtrack', 'the ending', 'the cast', 'the script',
    'the dialogue', 'the cinematography', 'the story', 'the main character', 'the pacing', 'the sequel', 'the humour'];
  const positive = ['good', 'great', 'excellent', 'wonderful', 'brilliant', 'delightful', 'moving', 'superb', 'charming',
    'enjoyable', 'fantastic', 'memorable', 'clever', 'beautiful', 'gripping', 'funny'];
  const negative = ['bad', 'terrible', 'awful', 'boring', 'dull', 'poor', 'weak', 'painful', 'disappointing', 'mediocre',
    'forgettable', 'clumsy', 'tedious', 'predictable', 'bland', 'messy'];
  const intensifiers = ['', '', 'really ', 'very ', 'truly ', 'quite ', 'absolutely ', 'rather '];
  const lovedVerbs = ['loved', 'enjoyed', 'liked', 'adored', 'admired'];
  const hatedVerbs = ['hated', 'disliked', 'regretted', 'could not stand', 'was bored by'];
  const adjective = (polarity) => rng.pick(polarity === 'positive' ? positive : negative);
  const flip = (polarity) => (polarity === 'positive' ? 'negative' : 'positive');
  const templates = [
    (p) => [`${rng.pick(subjects)} was ${rng.pick(intensifiers)}${adjective(p)}.`, p],
    (p) => [`${rng.pick(subjects)} was not ${adjective(flip(p))}.`, p],
    (p) => [`${rng.pick(subjects)} was ${adjective(flip(p))}, but ${rng.pick(subjects)} was ${rng.pick(intensifiers)}${adjective(p)}.`, p],
    (p) => [`i ${rng.pick(p === 'positive' ? lovedVerbs : hatedVerbs)} ${rng.pick(subjects)}.`, p],
    (p) => [`${rng.pick(subjects)} was ${adjective(p)} and ${adjective(p)}!`, p],
    (p) => [`what a ${adjective(p)} film, i would ${p === 'positive' ? '' : 'not '}recommend it.`, p],
    (p) => [`the critics called it "${adjective(flip(p))}", but i found it ${adjective(p)}.`, p],
    (p) => [`i did not think ${rng.pick(subjects)} was ${adjective(flip(p))} at all.`, p],
  ];
  const seen = new Set();
  const rows = [];
  let attempts = 0;
  while (rows.length < 600 && attempts++ < 100000) {
    const polarity = rows.length % 2 === 0 ? 'positive' : 'negative';
    const [text, label] = rng.pick(templates)(polarity);
    if (seen.has(text)) continue;
    seen.add(text);
    rows.push([text, label]);
  }
  const quote = (field) => (/[",\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return ['text,label', ...rows.map(([text, label]) => `${quote(text)},${label}`)].join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------- tagger.conll
function makeTagger() {
  const rng = makeRng(1984);
  // Words listed under several tags ("watch", "light", "saw", "fly", "book", "play", "fast", "well") need context.
  const lexicon = {
    DET: ['the', 'a', 'this', 'that', 'every'],
    ADJ: ['old', 'young', 'quick', 'light', 'dark', 'small', 'fast', 'green', 'quiet', 'happy'],
    NOUN: ['dog', 'cat', 'watch', 'light', 'saw', 'fly', 'book', 'play', 'river', 'garden', 'teacher', 'child', 'house', 'train'],
    PRON: ['they', 'we', 'you', 'i'],
    VERB: ['watch', 'light', 'fly', 'book', 'play', 'see', 'like', 'find', 'read', 'open'], // base form
    VERB_PAST: ['saw', 'watched', 'booked', 'played', 'found', 'read', 'opened', 'liked'],
    AUX: ['can', 'will', 'must'],
    ADV: ['fast', 'well', 'quietly', 'often', 'today'],
    ADP: ['in', 'near', 'with', 'by', 'under'],
    CONJ: ['and', 'but'],
  };
  const tagOf = { VERB_PAST: 'VERB' };
  const word = (category) => [rng.pick(lexicon[category]), tagOf[category] ?? category];
  const nounPhrase = () => {
    const phrase = [word('DET')];
    if (rng.next() < 0.5) phrase.push(word('ADJ'));
    phrase.push(word('NOUN'));
    return phrase;
  };
  const clause = () => {
    const subject = rng.next() < 0.4 ? [word('PRON')] : nounPhrase();
    const roll = rng.next();
    // A bare base-form verb follows only a pronoun ("they watch"); a noun phrase takes a past form or an auxiliary.
    const verb =
      roll < 0.4 ? [word('VERB_PAST')] : roll < 0.8 || subject[0][1] !== 'PRON' ? [word('AUX'), word('VERB')] : [word('VERB')];
    const phrase = [...subject, ...verb, ...nounPhrase()];
    if (rng.next() < 0.35) phrase.push(word('ADP'), ...nounPhrase());
    if (rng.next() < 0.3) phrase.push(word('ADV'));
    return phrase;
  };
  const sentence = () => {
    const tokens = clause();
    if (rng.next() < 0.25) tokens.push(word('CONJ'), ...clause());
    tokens.push(['.', 'PUNCT']);
    return tokens;
  };
  const blocks = [];
  const seen = new Set();
  while (blocks.length < 700) {
    const tokens = sentence();
    const key = tokens.map(([w, t]) => `${w}/${t}`).join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    blocks.push(tokens.map(([w, t]) => `${w} ${t}`).join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

// -------------------------------------------------------------------------------------------- reverse.tsv
function makeReverse() {
  const rng = makeRng(2014);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const seen = new Set();
  const lines = [];
  while (lines.length < 3000) {
    const length = 3 + rng.int(6); // 3..8 letters
    let word = '';
    for (let i = 0; i < length; i++) word += letters[rng.int(letters.length)];
    if (seen.has(word)) continue;
    seen.add(word);
    lines.push(`${word}\t${[...word].reverse().join('')}`);
  }
  return lines.join('\n') + '\n';
}

const outputs = {
  'load.csv': makeLoad(),
  'sentiment.csv': makeSentiment(),
  'tagger.conll': makeTagger(),
  'reverse.tsv': makeReverse(),
};
for (const [name, text] of Object.entries(outputs)) {
  writeFileSync(join(here, name), text);
  console.log(`${name}: ${text.length} bytes`);
}
