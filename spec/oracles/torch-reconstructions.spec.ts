// Seed 004's P4 T4 reference agrees with PyTorch: golden float64 values written by the committed generator
// fixtures/golden/generate_reconstructions.py (Debian's python3-torch 1.13) into fixtures/golden/reconstructions.json:
// the seed team's figure (images[0], images[1] and the model's reconstructions of them, 28 x 28) for a Linear(784, h),
// Linear(h, 784), Sigmoid autoencoder and the first batch of a DataLoader(shuffle=False): reconstructionImages.
// The same comparison rejects the catalog's named mistakes and the reference off by a relative 1e-3.
//
// Tolerance: both sides float64, sums of 784 + h products in another order: rtol 1e-9, atol 1e-12.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Matrix } from '../../src/numeric.ts';
import { type NumericTree, tolerance } from '../../src/tolerance.ts';
import { reconstructionImages } from '../../reference/reconstructions.ts';
import { autoencoderReconstructions } from '../reconstructions.suite.ts';
import type { AutoencoderGoldenCase } from './autoencoder-golden.ts';
import { type Oracle, describeOracle, wrong } from './oracle.ts';

interface FigureGolden extends AutoencoderGoldenCase {
  readonly shown: Matrix[];
}

const golden = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'golden', 'reconstructions.json'), 'utf8')) as { torch: string; cases: FigureGolden[] };
const TOLERANCE = tolerance(1e-9, 1e-12, 'float64 on both sides, sums of 784 + h products in another order');

type ImagesFn = typeof reconstructionImages;
const on = (f: ImagesFn) => (c: FigureGolden): NumericTree => f(c.W1, c.b1, c.W2, c.b2, c.images, c.batch_size);

const figureOracle: Oracle<FigureGolden> = {
  name: `torch ${golden.torch}: images[0], images[1], model(images.view(n, -1)).view(-1, 1, 28, 28)[0 and 1], squeezed`,
  inputs: fc.constantFrom(...golden.cases),
  compute: (c) => c.shown,
  tolerance: () => TOLERANCE,
  numRuns: 20,
};

const mistakes = autoencoderReconstructions.mistakes.flatMap((m) => {
  const impl = m.implementation['reconstructionImages'] as ImagesFn | undefined;
  return impl ? [wrong<FigureGolden>(`autoencoder-reconstructions's named mistake ${m.id}`, on(impl))] : [];
});

describeOracle('reconstruction_images vs PyTorch', figureOracle, on(reconstructionImages), mistakes);
