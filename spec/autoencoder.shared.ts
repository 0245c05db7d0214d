// The handout's image size for autoencoder-training, shared by its checks (spec/autoencoder.suite.ts) and its
// named mistakes (spec/autoencoder.mistakes.ts), which must not import the suite.

/** The handout's images: 28 x 28 pixels, flattened to 784. */
export const IMAGE_SIDE = 28;
