// Seed 004's P4 T1: prepare_data(batch_size=128) -> (train_loader, test_loader) over torchvision's FashionMNIST
// with transforms.ToTensor(). What the loaders hold follows from the handout's numbers alone: 60,000 train and
// 10,000 test images of shape (1, 28, 28), float tensors in [0, 1], batch_size images a batch. The adapter's
// stand-in data set puts a 0 and a 255 in every image, so a batch spans [0, 1] exactly.

import type { Matrix, Vector } from '../src/numeric.ts';

export const FASHION_MNIST = { train: 60_000, test: 10_000, side: 28 } as const;

function requireBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch_size must be a positive integer, got ${batchSize}`);
}

/** [len(train set), len(test set), the train loader's split, the test loader's split] (1 train, 0 test). */
export function fashionMnistDatasets(batchSize: number): Vector {
  requireBatchSize(batchSize);
  return [FASHION_MNIST.train, FASHION_MNIST.test, 1, 0];
}

/** Per loader (train, test): its first batch's shape (batch, 1, 28, 28) and its number of batches. */
export function fashionMnistBatches(batchSize: number): Matrix {
  requireBatchSize(batchSize);
  return [FASHION_MNIST.train, FASHION_MNIST.test].map((n) => [Math.min(batchSize, n), 1, FASHION_MNIST.side, FASHION_MNIST.side, Math.ceil(n / batchSize)]);
}

/** Per loader: its first batch is a float tensor (1), its smallest and largest pixel (ToTensor: 0 and 1). */
export function fashionMnistPixels(batchSize: number): Matrix {
  requireBatchSize(batchSize);
  return [[1, 0, 1], [1, 0, 1]];
}
