// Seed 003's loss bowl (reference/loss-bowl.ts) against PyTorch float64: autograd's gradient of ||B x|| and
// torch.optim.SGD's run of task 2.A/2.B. The expected values were computed once with the script below (torch
// 1.13, /usr/bin/python3) and written out here, never computed by the reference:
//
//   A = torch.tensor([[2.3, -0.3], [-0.5, 0.2]], dtype=torch.float64)
//   x = torch.tensor([-1.5, 1.2], dtype=torch.float64, requires_grad=True)
//   opt = torch.optim.SGD([x], lr=0.1); g = []
//   for i in range(50):
//       opt.zero_grad(); torch.linalg.norm(A @ x).backward(); g.append(x.grad.clone()); opt.step()
//   g = torch.stack(g); print(g[0].tolist(), g.mean(0).tolist(), (g ** 2).mean(0).sqrt().tolist())

import { describe, expect, it } from 'vitest';
import { bowlGradient, bowlSgdGradientStatistics } from '../../reference/index.ts';

/** 50 steps of float64 arithmetic on values of order 1: a few hundred roundings at most. */
const CLOSE = 1e-13;

describe('the loss bowl of seed 003 against PyTorch float64', () => {
  it("the gradient of ||B x|| at the start is autograd's", () => {
    const torchGrad = [-2.351822657145572, 0.3406561010188175];
    bowlGradient([-1.5, 1.2]).forEach((g, i) => expect(Math.abs(g - torchGrad[i]!)).toBeLessThan(CLOSE));
  });

  it('mean and RMS of the 50 gradients of torch.optim.SGD(lr=0.1) from [-1.5, 1.2]', () => {
    const { mean, rms } = bowlSgdGradientStatistics();
    const torchMean = [-0.29824547175638555, 0.09399095354578328];
    const torchRms = [2.1092294661015445, 0.30778492493198484];
    mean.forEach((m, i) => expect(Math.abs(m - torchMean[i]!)).toBeLessThan(CLOSE));
    rms.forEach((r, i) => expect(Math.abs(r - torchRms[i]!)).toBeLessThan(CLOSE));
  });
});
