// TensorFlow.js on the SeqLab workloads, for `npm run bench -- --vs-peers`.
// Usage: node bench/peers/tfjs.mjs <wasm|cpu> '<workloads JSON>' <seconds per measurement> [ids to run, others skipped]
// An empty workload list ('[]') measures GEMM 1024² instead.
// Prints one JSON object per line: { framework, workload, mode, samplesPerSecond, steps } or { framework, gemm1024 }.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const [backend, workloadsJson, secondsText, onlyText] = process.argv.slice(2);
const workloads = JSON.parse(workloadsJson);
const seconds = Number(secondsText ?? 2);
const only = onlyText ? new Set(onlyText.split(',')) : null;
const framework = `tfjs-${backend}`;
await tf.setBackend(backend);
await tf.ready();
const emit = (o) => console.log(JSON.stringify({ framework, ...o }));

const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/**
 * Steps per CPU-second of this process (as SeqLab measures itself on a shared machine): one warm-up step,
 * then steps until `seconds` of CPU have been used (at least two).
 */
async function rate(step) {
  await step();
  let steps = 0;
  const start = cpuSeconds(), wallStart = performance.now();
  while (steps < 2 || (cpuSeconds() - start < seconds && performance.now() - wallStart < 20000 * seconds)) {
    await step();
    steps++;
  }
  return { perSecond: steps / (cpuSeconds() - start), steps };
}

function buildModel(w) {
  const model = tf.sequential();
  const recurrent = (units, returnSequences, extra = {}) => {
    // glorot instead of the default orthogonal initializer: tfjs's QR takes tens of seconds at H = 256.
    const options = { units, returnSequences, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', ...extra };
    return w.cell === 'lstm' ? tf.layers.lstm(options) : tf.layers.gru(options);
  };
  // tfjs-backend-wasm lacks UnsortedSegmentSum (the embedding's gradient): there the table is frozen, which
  // only makes the peer faster. Reported in the `note` field.
  const trainable = !(w.embedding && backend === 'wasm');
  if (w.embedding) model.add(tf.layers.embedding({ inputDim: w.embedding.vocab, outputDim: w.embedding.dim, inputLength: w.T, trainable }));
  for (let l = 0; l < w.layers; l++) {
    const returnSequences = w.head === 'perStep' || l < w.layers - 1;
    const first = l === 0 && !w.embedding ? { inputShape: [w.T, w.inputSize] } : {};
    if (w.bidirectional) model.add(tf.layers.bidirectional({ layer: recurrent(w.hidden, returnSequences), mergeMode: 'concat', ...first }));
    else model.add(recurrent(w.hidden, returnSequences, first));
  }
  const activation = w.loss === 'ce' ? 'softmax' : 'linear';
  const dense = tf.layers.dense({ units: w.outputs, activation });
  model.add(w.head === 'perStep' ? tf.layers.timeDistributed({ layer: dense }) : dense);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: w.loss === 'ce' ? 'categoricalCrossentropy' : 'meanSquaredError' });
  return model;
}

function batch(w) {
  const x = w.embedding
    ? tf.randomUniform([w.B, w.T], 0, w.embedding.vocab, 'int32').cast('float32')
    : tf.randomNormal([w.B, w.T, w.inputSize]);
  const rows = w.head === 'perStep' ? [w.B, w.T] : [w.B];
  const y = w.loss === 'ce'
    ? tf.oneHot(tf.randomUniform(rows, 0, w.outputs, 'int32'), w.outputs).cast('float32')
    : tf.randomNormal([...rows, w.outputs]);
  return { x, y };
}

for (const w of workloads) {
  if (only && !only.has(w.id)) {
    emit({ workload: w.id, skipped: 'too slow on this backend (minutes per step)' });
    continue;
  }
  const model = buildModel(w);
  const { x, y } = batch(w);
  const train = await rate(async () => { await model.trainOnBatch(x, y); });
  const note = w.embedding && backend === 'wasm' ? 'embedding frozen (no UnsortedSegmentSum in tfjs-wasm)' : undefined;
  emit({ workload: w.id, mode: 'train', samplesPerSecond: train.perSecond * w.B, steps: train.steps, note });
  const infer = await rate(async () => { const p = model.predict(x); await p.data(); p.dispose(); });
  emit({ workload: w.id, mode: 'infer', samplesPerSecond: infer.perSecond * w.B, steps: infer.steps });
  model.dispose();
}

// An empty workload list measures GEMM 1024² instead.
const n = 1024;
if (workloads.length > 0) process.exit(0);
const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
const gemm = await rate(async () => { const c = tf.matMul(a, b); await c.data(); c.dispose(); });
emit({ gemm1024: (2 * n ** 3 * gemm.perSecond) / 1e9 });
