// The named mistakes of autoencoder-training (spec/autoencoder.suite.ts): in a module of their own, so that a
// student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { autoencoderBatchShapes, autoencoderEpochLosses, runAutoencoder } from '../reference/autoencoder.ts';
import { exampleMean } from '../reference/loader.ts';
import { IMAGE_SIDE } from './autoencoder.shared.ts';
import { mistake } from './subjects.ts';

type AutoencoderArgs = Parameters<typeof autoencoderEpochLosses>;

export const autoencoderTrainingMistakes: readonly Mistake[] = [
  mistake({
    id: 'not-flattened',
    title: 'train_autoencoder gives the model the batches of images as the loader yields them, (batch, 1, 28, 28), without flattening them to (batch, 784)',
    hint: 'The Autoencoder takes flattened images: imgs = imgs.view(imgs.size(0), -1) before the forward pass (and compare the reconstruction with those flattened images).',
    implementation: {
      autoencoderBatchShapes: (...a: AutoencoderArgs) => autoencoderBatchShapes(...a).map(([size]) => [size!, 1, IMAGE_SIDE, IMAGE_SIDE]),
    },
  }),
  mistake({
    id: 'bce-loss',
    title: 'train_autoencoder trains on nn.BCELoss instead of the handout\'s nn.MSELoss',
    hint: 'Task 3 asks for the mean squared error between the reconstruction and the flattened images: loss_fn = nn.MSELoss().',
    implementation: {
      autoencoderEpochLosses: (...a: AutoencoderArgs) => runAutoencoder(...a, 'bce').epochs.map(exampleMean),
    },
  }),
  mistake({
    id: 'losses-per-batch',
    title: "train_autoencoder returns every batch's loss instead of one loss per epoch",
    hint: 'Sum the batch losses within an epoch and append their mean once per epoch, after the loop over the loader.',
    implementation: {
      autoencoderEpochLosses: (...a: AutoencoderArgs) => runAutoencoder(...a).epochs.flatMap((batches) => batches.map((p) => p.value)),
    },
  }),
];
