// fashion-mnist-loaders (seed 004, P4 T1): prepare_data(batch_size=128) -> (train_loader, test_loader) over
// torchvision.datasets.FashionMNIST(train=True / train=False) with transforms.ToTensor(). torchvision is not
// installed where the grader runs: the adapter serves the student's torchvision names a stand-in data set of the
// real lengths (60,000 / 10,000 generated 28 x 28 uint8 images, each holding a 0 and a 255, labels 0-9) and
// transforms (ToTensor divides by 255 into (1, 28, 28) float32), calls prepare_data(batch_size=B) and reads back
// the data sets' lengths and splits, each loader's first batch and its number of batches.
//
// Every answer follows from the handout's numbers alone (reference/fashion-mnist.ts), so each check states them
// itself. batch_size is drawn in 16..300 (128, the default, almost never: a batch_size the function ignores is seen
// on the first case), small enough that reading one batch of stand-in images takes milliseconds.
// Tolerance: none; lengths, shapes and counts are integers, and ToTensor maps 0 and 255 to 0 and 1 exactly.

import fc from 'fast-check';
import { matchesOracle } from '../src/laws.ts';
import type { Problem } from '../src/problem.ts';
import { tolerance } from '../src/tolerance.ts';
import { FASHION_MNIST } from '../reference/fashion-mnist.ts';
import { fashionMnistLoadersMistakes } from './fashion-mnist.mistakes.ts';

const EXACT = tolerance(0, 0, 'integers, and pixels 0 and 255 divided by 255 are 0 and 1 exactly in float32');

const batchSize: fc.Arbitrary<number> = fc.integer({ min: 16, max: 300 });
const args = (b: number) => [b];

export const fashionMnistLoaders: Problem = {
  id: 'fashion-mnist-loaders',
  title: 'prepare_data(batch_size): DataLoaders over FashionMNIST\'s train and test splits with transforms.ToTensor(), batch_size images a batch',
  source: 'seed 004, problem 4, task 1',
  signatures: ['fashion_mnist_datasets(batch_size)', 'fashion_mnist_batches(batch_size)', 'fashion_mnist_pixels(batch_size)'],
  checks: [
    matchesOracle({
      id: 'train-and-test-splits',
      title: 'the train loader reads FashionMNIST(train=True), 60,000 images, and the test loader FashionMNIST(train=False), 10,000 images',
      arbitrary: batchSize,
      fn: 'fashion_mnist_datasets',
      args,
      oracle: () => [FASHION_MNIST.train, FASHION_MNIST.test, 1, 0],
      tolerance: EXACT,
      independent: "the handout's numbers: 60,000 train and 10,000 test images",
    }),
    matchesOracle({
      id: 'batches-of-batch-size',
      title: 'each loader yields batches of batch_size images of shape (1, 28, 28): ceil(60,000 / batch_size) and ceil(10,000 / batch_size) batches',
      arbitrary: batchSize,
      fn: 'fashion_mnist_batches',
      args,
      oracle: (b) => [FASHION_MNIST.train, FASHION_MNIST.test].map((n) => [b, 1, FASHION_MNIST.side, FASHION_MNIST.side, Math.ceil(n / b)]),
      tolerance: EXACT,
      independent: "the handout's shape (1, 28, 28) and the loader's arithmetic, batch_size below 10,000",
    }),
    matchesOracle({
      id: 'to-tensor-pixels',
      title: 'the images are float tensors in [0, 1], as transforms.ToTensor() makes them (pixels divided by 255)',
      arbitrary: batchSize,
      fn: 'fashion_mnist_pixels',
      args,
      oracle: () => [[1, 0, 1], [1, 0, 1]],
      tolerance: EXACT,
      independent: "ToTensor's documented output: a float tensor, 0 to 0 and 255 to 1 (every stand-in image holds both)",
    }),
  ],
  mistakes: fashionMnistLoadersMistakes,
};
