// One parameter count everywhere: the editor's (CodeLens, hover), `seqlab check`'s and training's are the same
// number, PyTorch's sum(p.numel()), for every example; where the editor cannot know the data's sizes yet it shows
// the data-dependent terms, until a check or run has recorded them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../tensor';
import { formatParameterCount, type SpecContext } from '../modelSpec';
import { DATA_HEAD_BYTES } from '../modelSpec/dataFiles';
import { probeDataFileSync } from './dataFileProbe';
import { analyzeSpecWithKnownSizes, dataSizesRecordPath, recordDataSizes } from './knownDataSizes';
import { SequenceModel } from './model';
import { nodeRunIo } from './runIo';
import { validateRun } from './validateRun';

const examplesDir = path.join(new URL('.', import.meta.url).pathname, '..', '..', 'examples');

/** The examples in a folder of their own, so the records a check writes land there. */
function examplesCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-counts-'));
  fs.cpSync(examplesDir, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.seqlab`) });
  return dir;
}

/** What the editor sees of files: their stat and first 64 KB (here read synchronously, as `seqlab check` does). */
const editorContext = (specPath: string): SpecContext => ({ specPath, dataFile: (absolutePath) => probeDataFileSync(absolutePath) });

/** Training's count: the model built from the data as the trainer builds it, summed like sum(p.numel()). */
function trainedCount(specPath: string): { count: number; checked: ReturnType<typeof validateRun> } {
  const checked = validateRun({ specPath, specText: fs.readFileSync(specPath, 'utf8'), checkResources: false }, nodeRunIo);
  assert.equal(checked.refusal, undefined, checked.refusal?.message);
  const model = new SequenceModel(checked.analysis.spec!, checked.data!.info, new Rng(1));
  return { count: model.namedParameters().reduce((sum, p) => sum + p.parameter.value.data.length, 0), checked };
}

test('every example: the editor, seqlab check and training count the same parameters', () => {
  const dir = examplesCopy();
  try {
    const specs = fs.readdirSync(dir).filter((f) => f.endsWith('.seqmodel.json')).sort();
    assert.ok(specs.length >= 10);
    const pendingBeforeCheck: string[] = [];
    for (const name of specs) {
      const specPath = path.join(dir, name);
      const text = fs.readFileSync(specPath, 'utf8');
      const { count, checked } = trainedCount(specPath);
      assert.equal(checked.analysis.totals.parameters, count, `${name}: seqlab check`);
      assert.equal(checked.analysis.totals.parameterFormula, undefined, `${name}: seqlab check knows every size`);

      let editor = analyzeSpecWithKnownSizes(text, editorContext(specPath)).totals;
      if (editor.parameterFormula) {
        pendingBeforeCheck.push(name);
        // Not known yet: the known part and the terms, never a number passed off as the whole count.
        assert.ok(editor.parameters < count, `${name}: ${editor.parameters}`);
        assert.match(formatParameterCount(editor.parameters, editor.parameterFormula), /^[\d,]+ \+ .*vocab/);
        recordDataSizes(nodeRunIo, specPath, checked.analysis.spec!, checked.dataSizes!); // what `seqlab check` and a run do
        editor = analyzeSpecWithKnownSizes(text, editorContext(specPath)).totals;
      }
      assert.equal(editor.parameterFormula, undefined, `${name}: the editor knows every size`);
      assert.equal(editor.parameters, count, `${name}: the editor's count`);
    }
    // Only a data file larger than the editor's head waits for a check or run (the tagger's CoNLL file, 69 KB).
    assert.deepEqual(pendingBeforeCheck, ['tagger.seqmodel.json']);
    assert.ok(fs.statSync(path.join(dir, 'data', 'tagger.conll')).size > DATA_HEAD_BYTES);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a recorded size is used only for the same data file and data section', () => {
  const dir = examplesCopy();
  try {
    const specPath = path.join(dir, 'tagger.seqmodel.json');
    const text = fs.readFileSync(specPath, 'utf8');
    const { checked } = trainedCount(specPath);
    recordDataSizes(nodeRunIo, specPath, checked.analysis.spec!, checked.dataSizes!);
    assert.ok(fs.existsSync(dataSizesRecordPath(specPath)));
    assert.equal(analyzeSpecWithKnownSizes(text, editorContext(specPath)).totals.parameterFormula, undefined);
    // Another data section (the vocabulary could differ): the terms again.
    const edited = text.replace('"source": "conll"', '"source": "conll", "lowercase": true');
    assert.notEqual(edited, text);
    assert.ok(analyzeSpecWithKnownSizes(edited, editorContext(specPath)).totals.parameterFormula);
    // The data file changed since: the terms again.
    const dataFile = path.join(dir, 'data', 'tagger.conll');
    fs.appendFileSync(dataFile, '\n');
    assert.ok(analyzeSpecWithKnownSizes(text, editorContext(specPath)).totals.parameterFormula);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hand-computed PyTorch counts: a 2-layer LSTM classifier and the seq2seq example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-numel-'));
  try {
    // Words good, film, bad, plot + <pad>, <unk>, <bos>, <eos>: V = 8.
    fs.writeFileSync(path.join(dir, 'reviews.csv'), `text,label\n${'good film,positive\nbad plot,negative\n'.repeat(20)}`);
    const spec = {
      name: 'classifier', task: { type: 'classify', labels: ['negative', 'positive'] },
      data: { source: 'text-classification', path: 'reviews.csv', format: 'csv', textField: 'text', labelField: 'label', tokenizer: 'word', split: { validation: 0.2 } },
      model: { embedding: { dim: 16 }, encoder: { cell: 'lstm', hiddenSize: 32, numLayers: 2 }, readout: 'hN' },
      training: { epochs: 1, batchSize: 4, optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross-entropy', clipGradNorm: 1 },
    };
    const specPath = path.join(dir, 'classifier.seqmodel.json');
    fs.writeFileSync(specPath, JSON.stringify(spec, null, 2));
    // nn.Embedding(8, 16) + nn.LSTM(16, 32, num_layers=2) + nn.Linear(32, 2):
    // 8·16 + [4·32·(16+32) + 2·4·32] + [4·32·(32+32) + 2·4·32] + (32·2 + 2)
    const classifier = 8 * 16 + (4 * 32 * (16 + 32) + 2 * 4 * 32) + (4 * 32 * (32 + 32) + 2 * 4 * 32) + (32 * 2 + 2);
    assert.equal(classifier, 15042);
    assert.equal(trainedCount(specPath).count, classifier, 'training');
    assert.equal(analyzeSpecWithKnownSizes(fs.readFileSync(specPath, 'utf8'), editorContext(specPath)).totals.parameters, classifier, 'the editor');

    // seq2seq: a shared character vocabulary of 30 (26 symbols + 4 specials), nn.Embedding(30, 32),
    // encoder and decoder nn.LSTM(32, 128), nn.Linear(128, 30).
    const lstm = 4 * 128 * (32 + 128) + 2 * 4 * 128;
    const seq2seq = 30 * 32 + 2 * lstm + (128 * 30 + 30);
    assert.equal(seq2seq, 170718);
    const seq2seqPath = path.join(examplesDir, 'seq2seq.seqmodel.json');
    assert.equal(trainedCount(seq2seqPath).count, seq2seq, 'training');
    assert.equal(analyzeSpecWithKnownSizes(fs.readFileSync(seq2seqPath, 'utf8'), editorContext(seq2seqPath)).totals.parameters, seq2seq, 'the editor');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
