// The autoencoder references' argument errors, each by its message (Stryker's survivors on autoencoder.ts: blanked
// argument names, and the epochs check emptied or weakened, passed every test that drew valid arguments only).

import { describe, expect, it } from 'vitest';
import { autoencoderBatchShapes, autoencoderEpochLosses, runAutoencoder } from '../../reference/autoencoder.ts';

// A 3-pixel, 2-unit autoencoder: W1 (2, 3), b1 (2), W2 (3, 2), b2 (3); four images.
const W1 = [
  [0.1, -0.2, 0.3],
  [0.0, 0.2, -0.1],
];
const b1 = [0, 0.1];
const W2 = [
  [0.2, -0.1],
  [0.1, 0.1],
  [-0.3, 0.2],
];
const b2 = [0, 0, 0.1];
const images = [
  [0, 0.5, 1],
  [1, 0, 0.5],
  [0.2, 0.2, 0.2],
  [0.9, 0.1, 0],
];

describe('autoencoder references refuse bad arguments, naming the argument', () => {
  it.each([
    ['runAutoencoder', () => runAutoencoder([], b1, W2, b2, images, 2, 1, 0.01), /^W1 must be a non-empty matrix$/],
    ['runAutoencoder', () => runAutoencoder(W1, [0], W2, b2, images, 2, 1, 0.01), /^b1 must have length 2, got 1$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, [[1, 2]], b2, images, 2, 1, 0.01), /^W2 must have 3 rows, got 1$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, W2, [0], images, 2, 1, 0.01), /^b2 must have length 3, got 1$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, W2, b2, [[0, 1]], 2, 1, 0.01), /^images must have 3 columns, got 2$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, W2, b2, images, 2, 0, 0.01), /^epochs must be a positive integer, got 0$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, W2, b2, images, 2, 1.5, 0.01), /^epochs must be a positive integer, got 1.5$/],
    ['runAutoencoder', () => runAutoencoder(W1, b1, W2, b2, images, 2, 1, 0), /^lr must be a positive finite number, got 0$/],
    ['autoencoderBatchShapes', () => autoencoderBatchShapes([], b1, W2, b2, images, 2, 1, 0.01), /^W1 must be a non-empty matrix$/],
    ['autoencoderBatchShapes', () => autoencoderBatchShapes(W1, b1, W2, b2, [[0, 1]], 2, 1, 0.01), /^images must have 3 columns, got 2$/],
    ['autoencoderBatchShapes', () => autoencoderBatchShapes(W1, b1, W2, b2, images, 2, 0, 0.01), /^epochs must be a positive integer, got 0$/],
    ['autoencoderBatchShapes', () => autoencoderBatchShapes(W1, b1, W2, b2, images, 2, 2.5, 0.01), /^epochs must be a positive integer, got 2.5$/],
    ['autoencoderBatchShapes', () => autoencoderBatchShapes(W1, b1, W2, b2, images, 2, 1, -1), /^lr must be a positive finite number, got -1$/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('one epoch is a valid count: its losses and its batch shapes', () => {
    expect(autoencoderEpochLosses(W1, b1, W2, b2, images, 2, 1, 0.01)).toHaveLength(1);
    expect(autoencoderBatchShapes(W1, b1, W2, b2, images, 3, 1, 0.01)).toEqual([
      [3, 3],
      [1, 3],
    ]);
  });
});
