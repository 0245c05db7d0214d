// The part of a golden autoencoder case that torch's generators write alike (generate_training.py's autoencoder
// runs, generate_reconstructions.py's figures): the staff autoencoder's weights and the images it is given.

import type { Matrix, Vector } from '../../src/numeric.ts';

export interface AutoencoderGoldenCase {
  readonly id: string;
  readonly W1: Matrix;
  readonly b1: Vector;
  readonly W2: Matrix;
  readonly b2: Vector;
  readonly images: Matrix;
  readonly batch_size: number;
}
