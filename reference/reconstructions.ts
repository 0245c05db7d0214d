// Seed 004's P4 T4: visualize_reconstructions(model, test_loader, num_images=2) shows two test images and the
// model's reconstructions of them. The catalog states the model and the images in numbers, as for P4 T3
// (reference/autoencoder.ts): a staff autoencoder Linear(d, h), Linear(h, d), Sigmoid with W1, b1, W2, b2, and
// images of d = 28 x 28 pixels handed over by a DataLoader(batch_size, shuffle=False). What the figure shows is
// read back as a list of images (28 x 28 matrices) and their places [figure, row, column] in the subplot grids.
// The reference is the seed team's figure: a 2 x 2 grid, originals 1 and 2 on the top row and their
// reconstructions below them.

import type { Matrix, Vector } from '../src/numeric.ts';
import { requireAutoencoder } from './autoencoder.ts';
import { stableSigmoid } from './mytorch.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** The staff autoencoder's output for one flattened image x: sigmoid(W2 (W1 x + b1) + b2), in float64. */
export function reconstruct(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, x: Vector): Vector {
  const { d } = requireAutoencoder(W1, b1, W2, b2);
  requireVector('x', x, d);
  const code = W1.map((row, j) => row.reduce((s, w, p) => s + w * x[p]!, b1[j]!));
  return W2.map((row, p) => stableSigmoid(row.reduce((s, w, j) => s + w * code[j]!, b2[p]!)));
}

/** A flattened square image as its rows. */
export function asSquare(flat: Vector): Matrix {
  const side = Math.round(Math.sqrt(flat.length));
  if (side * side !== flat.length) throw new Error(`an image of ${flat.length} pixels is not square`);
  return Array.from({ length: side }, (_, r) => flat.slice(r * side, (r + 1) * side));
}

/** The number of images the handout's call asks for (num_images=2). */
export const NUM_IMAGES = 2;

function requireFirstBatch(images: Matrix, batchSize: number): void {
  requireMatrix('images', images);
  if (!Number.isInteger(batchSize) || batchSize < NUM_IMAGES) throw new Error(`batch_size must be an integer of at least ${NUM_IMAGES}, got ${batchSize}`);
  if (images.length < NUM_IMAGES) throw new Error(`the loader must hold at least ${NUM_IMAGES} images`);
}

/** The images of the team's figure in axes order (top row, then bottom row): image 1, image 2, their reconstructions. */
export function reconstructionImages(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix, batchSize: number): Matrix[] {
  requireFirstBatch(images, batchSize);
  const originals = images.slice(0, NUM_IMAGES);
  return [...originals.map(asSquare), ...originals.map((x) => asSquare(reconstruct(W1, b1, W2, b2, x)))];
}

/** Their places [figure, row, column]: originals on row 0, each reconstruction below its original. */
export function reconstructionPlaces(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix, batchSize: number): Matrix {
  requireFirstBatch(images, batchSize);
  return [0, 1].flatMap((row) => Array.from({ length: NUM_IMAGES }, (_, col) => [0, row, col]));
}
