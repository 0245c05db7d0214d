// The variance rules behind Xavier and He initialisation (seed 002 problem 2, seed 004 problem 1), as closed
// forms. The assumptions each rule needs are stated beside it; spec/variance.spec.ts checks every rule by
// Monte Carlo, and one rule's failure when its assumption does not hold.

import { requirePositive } from './validate.ts';

function requireNonNegative(name: string, x: number): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new Error(`${name} must be a non-negative finite number, got ${x}`);
}

function requireCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}`);
}

function requireFinite(name: string, x: number): void {
  if (!Number.isFinite(x)) throw new Error(`${name} must be finite, got ${x}`);
}

/**
 * Var(a_j) for a_j = sum_{i <= n_in} w_ij x_i with independent w_ij (mean 0, variance sigma2) and x_i (mean 0,
 * variance v2): n_in sigma2 v2 (seed 002 P2a). With E[w] = 0 alone it is n_in sigma2 E[x^2] (seed 004 P1).
 */
export function linearOutputVariance(nIn: number, sigma2: number, v2: number): number {
  requireCount('n_in', nIn);
  requireNonNegative('sigma2', sigma2);
  requireNonNegative('v2', v2);
  return nIn * sigma2 * v2;
}

/**
 * Var(dL/dx_i) = Var(sum_{j <= n_out} w_ij dL/da_j) with independent w_ij (mean 0, variance sigma2) and output
 * gradients of mean 0 and variance g2: n_out sigma2 g2 (seed 002 P2d).
 */
export function backwardGradVariance(nOut: number, sigma2: number, g2: number): number {
  requireCount('n_out', nOut);
  requireNonNegative('sigma2', sigma2);
  requireNonNegative('g2', g2);
  return nOut * sigma2 * g2;
}

/**
 * E[ReLU(z)^2] = Var(z)/2 for z symmetric about 0 (seed 004 P1(c): Var[z] = 2 E[x^2] with x = ReLU(z)).
 * Not the variance of ReLU(z), and not true for asymmetric z.
 */
export function reluSecondMoment(varZ: number): number {
  requireNonNegative('var_z', varZ);
  return varZ / 2;
}

/** Var(AB) for independent A and B: Var A Var B + Var A (E B)^2 + Var B (E A)^2 (seed 004 P1, eq. 0.0.1). */
export function productVariance(meanA: number, varA: number, meanB: number, varB: number): number {
  requireFinite('mean_a', meanA);
  requireFinite('mean_b', meanB);
  requireNonNegative('var_a', varA);
  requireNonNegative('var_b', varB);
  return varA * varB + varA * meanB * meanB + varB * meanA * meanA;
}

/** Var(U(-a, a)) = a^2/3 (seed 002 P2e: the Xavier uniform bound sqrt(6/(n_in + n_out)) comes from it). */
export function uniformVariance(a: number): number {
  requirePositive('a', a);
  return (a * a) / 3;
}
