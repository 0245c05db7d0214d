// What seed 000 problem 5 reports (shared/seeds/000_*.txt), copied as printed, for comparison only: the
// homework's single PyTorch run on 60,000 training digits (torchvision MNIST, ToTensor: pixels in [0, 1],
// flattened to 784), never used as an expected value of ours without a band.

/** Q5.2: [mean, std] of each of the 5 hidden layers (tanh, 784-256x5-10, one batch of 256 digits), as printed. */
export const SEED_Q52_TANH = {
  zero: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]],
  small_random: [[-0.0007, 0.0943], [-0.0003, 0.0149], [7.0511e-6, 0.0024], [-8.885e-6, 0.0004], [4.0846e-6, 5.9521e-5]],
  xavier: [[0.0058, 0.3602], [0.0223, 0.3211], [0.0021, 0.2913], [0.0071, 0.269], [0.0103, 0.243]],
  he: [[0.016, 0.3881], [0.014, 0.4421], [-0.008, 0.4849], [0.0526, 0.5112], [-0.0529, 0.531]],
} as const satisfies Record<string, readonly (readonly [number, number])[]>;

/**
 * torch prints a tensor with 4 decimals unless it switches to scientific notation: 0.0004 stands for anything in
 * [0.00035, 0.00045). Half a unit of the last printed decimal of a fixed-point number.
 */
export const SEED_PRINT_HALF_UNIT = 5e-5;

/** Q5.3 (tanh) and Q5.4 (ReLU): test accuracy (%) after 10 epochs of SGD, lr 0.1, batch 128. */
export const SEED_Q53_ACCURACY = { zero: 11.35, small_random: 11.35, xavier: 97.66, he: 97.85 } as const;
export const SEED_Q54_ACCURACY = { zero: 11.35, small_random: 11.35, xavier: 97.77, he: 97.77 } as const;

/** Q5.3: mean training loss of each epoch (tanh). */
export const SEED_Q53_LOSS = {
  zero: [2.3015, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014],
  small_random: [2.3015, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3014, 2.3013, 2.3013, 2.3014],
  xavier: [0.3665, 0.1989, 0.1454, 0.1125, 0.0924, 0.0777, 0.0655, 0.0556, 0.0481, 0.0411],
  he: [0.2962, 0.1343, 0.0935, 0.0712, 0.0552, 0.0443, 0.0354, 0.0283, 0.0223, 0.017],
} as const;

/** The seed's network: 784 -> 256 x 5 (hidden) -> 10, a batch of 256 for the statistics. */
export const SEED_HIDDEN_WIDTHS = [256, 256, 256, 256, 256] as const;
export const SEED_BATCH = 256;
export const SEED_INITS = ['zero', 'small_random', 'xavier', 'he'] as const;
