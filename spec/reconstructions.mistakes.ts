// The named mistakes (and the planted variant) of autoencoder-reconstructions (spec/reconstructions.suite.ts): in a
// module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import { transpose } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { NUM_IMAGES, reconstructionImages } from '../reference/reconstructions.ts';
import { mistake } from './subjects.ts';

type ReconstructionArgs = Parameters<typeof reconstructionImages>;

export const autoencoderReconstructionsMistakes: readonly Mistake[] = [
  mistake({
    id: 'reconstructions-not-shown',
    title: 'the figure shows each original twice, in place of its reconstruction',
    hint: 'Show the model\'s output for the flattened batch, reshaped to (28, 28): recon = model(images.view(images.size(0), -1)).view(-1, 1, 28, 28).',
    implementation: {
      reconstructionImages: (...a: ReconstructionArgs) => { const shownImages = reconstructionImages(...a); return [...shownImages.slice(0, NUM_IMAGES), ...shownImages.slice(0, NUM_IMAGES)]; },
    },
  }),
  mistake({
    id: 'reconstructions-swapped',
    title: 'each original is shown beside the reconstruction of the other image',
    hint: 'Index the originals and the reconstructions alike: images[i] and recon[i] in the same column (or row).',
    implementation: {
      reconstructionImages: (...a: ReconstructionArgs) => { const [o1, o2, r1, r2] = reconstructionImages(...a); return [o1!, o2!, r2!, r1!]; },
    },
  }),
  mistake({
    id: 'reconstruction-transposed',
    title: 'the reconstructions are shown transposed (rows and columns exchanged)',
    hint: 'Reshape the flat output row by row, as the image was flattened: .view(-1, 1, 28, 28) (or .reshape(28, 28)), with no .T.',
    implementation: {
      reconstructionImages: (...a: ReconstructionArgs) => reconstructionImages(...a).map((m, i) => (i < NUM_IMAGES ? m : transpose(m))),
    },
  }),
];

export const autoencoderReconstructionsPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'originals-not-shown',
    title: 'planted: the figure shows each reconstruction twice, in place of its original',
    hint: 'Not priced: shows that shows-originals can fail (no seed solution leaves the originals out).',
    implementation: {
      reconstructionImages: (...a: ReconstructionArgs) => { const shownImages = reconstructionImages(...a); return [...shownImages.slice(NUM_IMAGES), ...shownImages.slice(NUM_IMAGES)]; },
    },
  }),
];
