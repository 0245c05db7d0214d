// The named mistakes of fashion-mnist-loaders (spec/fashion-mnist.suite.ts): in a module of their own, so that a
// student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { fashionMnistBatches, fashionMnistDatasets, fashionMnistPixels } from '../reference/fashion-mnist.ts';
import { mistake } from './subjects.ts';

/** The team's default: a batch_size hard-coded instead of the argument. */
const DEFAULT_BATCH_SIZE = 128;

export const fashionMnistLoadersMistakes: readonly Mistake[] = [
  mistake({
    id: 'batch-size-ignored',
    title: 'prepare_data builds its loaders with batch_size=128 whatever batch_size it is given',
    hint: 'Pass the argument on: DataLoader(train_set, batch_size=batch_size, ...), for both loaders.',
    implementation: { fashionMnistBatches: () => fashionMnistBatches(DEFAULT_BATCH_SIZE) },
  }),
  mistake({
    id: 'train-test-swapped',
    title: 'prepare_data returns the test split as the train loader and the train split as the test loader',
    hint: 'FashionMNIST(..., train=True) is the 60,000 training images: it goes into the train loader, train=False into the test loader.',
    implementation: {
      fashionMnistDatasets: (b: number) => { const [train, test, s1, s2] = fashionMnistDatasets(b); return [test!, train!, s2!, s1!]; },
      fashionMnistBatches: (b: number) => fashionMnistBatches(b).reverse(),
    },
  }),
  mistake({
    id: 'pixels-not-scaled',
    title: 'the images are left as uint8 pixels 0 to 255 (transforms.PILToTensor()) instead of floats in [0, 1] (transforms.ToTensor())',
    hint: 'transforms.ToTensor() turns a 28 x 28 image into a (1, 28, 28) float tensor divided by 255.',
    implementation: { fashionMnistPixels: (b: number) => fashionMnistPixels(b).map(() => [0, 0, 255]) },
  }),
];
