// relu(x) = max(0, x) elementwise, shared by spec/activations.suite.ts (the forward whose finite differences grade
// relu_grad) and spec/activations.mistakes.ts (the answer of relu-grad-is-relu).

export const relu = (x: number[]): number[] => x.map((v) => Math.max(0, v));
