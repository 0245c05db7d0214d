// autoencoder-reconstructions (seed 004, P4 T4): visualize_reconstructions(model, test_loader, num_images=2)
// draws a figure with 2 test images and the model's reconstructions of them. The adapter hands over the staff
// autoencoder of P4 T3 (Linear(784, h), Linear(h, 784), Sigmoid, float32, with the catalog's weights) and a loader
// of the catalog's images ((1, 28, 28) each, shuffle=False), calls the function on matplotlib's Agg backend and
// reads back every image of every figure (AxesImage arrays) with its place [figure, row, column] in its subplot
// grid. Any layout will do (2 x 2, 1 x 4, two rows, one figure per pair, separate figures): the checks find
// which shown image is which, not where it must be.
//
// - shows-originals: at least 2 different images of the loader are shown, each as its 28 x 28 pixels;
// - shows-reconstructions: the reconstruction of every original shown (the model's output for it, reshaped to
//   28 x 28, from reference/reconstructions.ts in float64) is shown too, 2 at least;
// - pairs-each-with-its-reconstruction: each reconstruction sits where its own original's does, moved the same
//   way for every pair (below it, beside it, in the next figure): a figure that puts image 2's reconstruction
//   beside image 1 pairs them wrongly.
//
// Cases are P4 T3's (spec/autoencoder.suite.ts: h 2 or 3, images a prototype plus noise), 2 or 3 a batch.
// Tolerance: the model runs in float32, each output a sigmoid of sums of 784 products of order 1e-2 and h of
// order 1: about 1e-7 absolute off float64 (measured below 3e-7 on these cases); rtol 1e-5 and atol 1e-5 leave
// 30x, while another image's reconstruction differs by 1e-3 or more at some pixel and a transposed one by 0.1.

import fc from 'fast-check';
import { expectThat } from '../src/laws.ts';
import type { Matrix } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { type Tolerance, compare, tolerance } from '../src/tolerance.ts';
import { NUM_IMAGES, asSquare, reconstruct, reconstructionImages } from '../reference/reconstructions.ts';
import { autoencoderCase } from './autoencoder.suite.ts';
import { autoencoderReconstructionsMistakes, autoencoderReconstructionsPlantedMistakes } from './reconstructions.mistakes.ts';

export const RECONSTRUCTION_TOLERANCE = tolerance(1e-5, 1e-5, 'the staff autoencoder in float32: sigmoids of sums of 784 float32 products, about 1e-7 off float64');

interface ReconstructionCase {
  readonly W1: Matrix;
  readonly b1: number[];
  readonly W2: Matrix;
  readonly b2: number[];
  readonly images: Matrix;
  readonly batchSize: number;
}

const reconstructionCase: fc.Arbitrary<ReconstructionCase> = autoencoderCase.map(({ W1, b1, W2, b2, images, batchSize }) => ({ W1, b1, W2, b2, images, batchSize }));

type ReconstructionArgs = Parameters<typeof reconstructionImages>;
const args = (c: ReconstructionCase): ReconstructionArgs => [c.W1, c.b1, c.W2, c.b2, c.images, c.batchSize];
const SIGNATURE = '(W1, b1, W2, b2, images, batch_size)';

/** What one shown image is: image k of the loader, the model's reconstruction of image k, or neither. */
interface Identity {
  readonly kind: 'original' | 'reconstruction';
  readonly k: number;
}

function identify(shown: unknown, c: ReconstructionCase, tol: Tolerance): (Identity | undefined)[] {
  const originals = c.images.map(asSquare);
  const reconstructions = c.images.map((x) => asSquare(reconstruct(c.W1, c.b1, c.W2, c.b2, x)));
  const match = (image: unknown, candidates: Matrix[]) => candidates.findIndex((m) => compare(image as Matrix, m, tol).ok);
  return (Array.isArray(shown) ? shown : []).map((image): Identity | undefined => {
    const o = match(image, originals);
    if (o >= 0) return { kind: 'original', k: o };
    const r = match(image, reconstructions);
    return r >= 0 ? { kind: 'reconstruction', k: r } : undefined;
  });
}

/** The loader's images of which the figure shows the original (or the reconstruction), each once. */
const shown = (ids: readonly (Identity | undefined)[], kind: Identity['kind']) => [...new Set(ids.flatMap((i) => (i?.kind === kind ? [i.k] : [])))];

/** Calls reconstruction_images and identifies what it shows. */
async function figure(subject: Subject, c: ReconstructionCase, tol: Tolerance) {
  const call = { fn: 'reconstruction_images', args: args(c) };
  const received = await subject.call(call.fn, call.args);
  return { call, received, ids: identify(received, c, tol) };
}

const describeShown = (ids: readonly (Identity | undefined)[]) =>
  ids.map((i) => (i === undefined ? 'neither an image of the loader nor its reconstruction' : `${i.kind} ${i.k + 1}`)).join('; ') || 'no image';

/**
 * Cases a check runs in the catalog (`verify`, the kill matrix; an assignment sets its own, 2 for seed 004): each
 * is a 784-pixel autoencoder's forward pass and its figure, and every named mistake fails on any case, so 30
 * cases test as much as the default 200 at a seventh of the time.
 */
const CASES = 30;

export const autoencoderReconstructions: Problem = {
  id: 'autoencoder-reconstructions',
  title: "visualize_reconstructions(model, test_loader, num_images=2): a figure of 2 test images, each paired with the model's reconstruction of it",
  source: 'seed 004, problem 4, task 4',
  signatures: [`reconstruction_images${SIGNATURE}`, `reconstruction_places${SIGNATURE}`],
  checks: [
    defineCheck({
      id: 'shows-originals',
      title: `the figure shows ${NUM_IMAGES} different images of the test loader, each as its 28 x 28 pixels`,
      arbitrary: reconstructionCase,
      numRuns: CASES,
      tolerance: RECONSTRUCTION_TOLERANCE,
      run: async (subject, c, context) => {
        const { call, received, ids } = await figure(subject, c, context.tol(RECONSTRUCTION_TOLERANCE));
        expectThat(shown(ids, 'original').length >= NUM_IMAGES, { message: `the figure must show ${NUM_IMAGES} images of the loader; it shows: ${describeShown(ids)}`, call, received });
      },
    }),
    defineCheck({
      id: 'shows-reconstructions',
      title: "the figure shows the model's reconstruction of each image it shows (the output for the flattened image, reshaped to 28 x 28)",
      arbitrary: reconstructionCase,
      numRuns: CASES,
      tolerance: RECONSTRUCTION_TOLERANCE,
      comparesWithReference: ['reconstruction_images'],
      run: async (subject, c, context) => {
        const { call, received, ids } = await figure(subject, c, context.tol(RECONSTRUCTION_TOLERANCE));
        const reconstructed = shown(ids, 'reconstruction');
        const missing = shown(ids, 'original').filter((k) => !reconstructed.includes(k));
        expectThat(reconstructed.length >= NUM_IMAGES && missing.length === 0, {
          message: `the figure must show the model's reconstruction of each image it shows, ${NUM_IMAGES} at least; it shows: ${describeShown(ids)}`,
          call,
          received,
        });
      },
    }),
    defineCheck({
      id: 'pairs-each-with-its-reconstruction',
      title: 'each reconstruction is placed by its own original, the same way for every pair (below it, beside it, in the next figure)',
      arbitrary: reconstructionCase,
      numRuns: CASES,
      tolerance: RECONSTRUCTION_TOLERANCE,
      run: async (subject, c, context) => {
        const { call, received, ids } = await figure(subject, c, context.tol(RECONSTRUCTION_TOLERANCE));
        const places = await subject.call('reconstruction_places', args(c));
        const at = (kind: Identity['kind'], k: number) => (places as number[][])[ids.findIndex((i) => i?.kind === kind && i.k === k)];
        // How each reconstruction is moved from its original ([figure, row, column]); pairs are the images both shown.
        const paired = shown(ids, 'original').filter((k) => shown(ids, 'reconstruction').includes(k));
        const moves = paired.map((k) => at('reconstruction', k)!.map((x, i) => x - at('original', k)![i]!).join(','));
        expectThat(Array.isArray(places) && places.length === ids.length, { message: 'every image shown has a place', call: { fn: 'reconstruction_places', args: args(c) }, received: places });
        expectThat(new Set(moves).size <= 1, {
          message: `each reconstruction must sit by its own original, as the others do; the figure shows: ${ids.map((i, n) => `${i === undefined ? 'another image' : `${i.kind} ${i.k + 1}`} at [${(places as number[][])[n]!.join(', ')}]`).join('; ')}`,
          call,
          received,
        });
      },
    }),
  ],
  mistakes: autoencoderReconstructionsMistakes,
  planted: autoencoderReconstructionsPlantedMistakes,
};
