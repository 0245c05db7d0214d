#!/usr/bin/python3
"""Where textbook huber_fit solvers stop, relative to the huber-fit suite's scales (spec/huber.suite.ts,
HUBER_TOLERANCES.stationarity and .objective): the largest relative objective excess (L(w) - L*) / L* and
gradient norm ||grad|| / S, S = delta sum ||x_i|| + (||X||_F^2 + lam) ||w*||, over random cases drawn like
fitData (d in 1..4, n in d+2..30, X in [-3, 3], noise in [-1, 1], up to 3 outliers of 10..100, delta
log-uniform on [0.1, 5], lam 0 or log-uniform on [1e-3, 10]), and how often the named mistakes exceed a bound.

    /usr/bin/python3 bench/huber-fit-stopping.py      # prints one line per solver (about a minute)
"""
import numpy as np


def loss(w, X, y, d, lam):
    r = y - X @ w
    a = np.abs(r)
    return np.where(a <= d, 0.5 * r * r, d * (a - 0.5 * d)).sum() + 0.5 * lam * w @ w


def grad(w, X, y, d, lam):
    return -X.T @ np.clip(y - X @ w, -d, d) + lam * w


def ridge(X, y, d, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def irls_step(w, X, y, d, lam):
    c = np.minimum(1, d / np.maximum(np.abs(y - X @ w), 1e-12))
    return np.linalg.solve(X.T @ (c[:, None] * X) + lam * np.eye(X.shape[1]), X.T @ (c * y))


def exact(X, y, d, lam):
    """IRLS to rounding level, then gradient steps (IRLS alone can stall where the minimiser is not unique)."""
    w = np.linalg.lstsq(X, y, rcond=None)[0] if lam == 0 else ridge(X, y, d, lam)
    for _ in range(100_000):
        wn = irls_step(w, X, y, d, lam)
        if np.linalg.norm(wn - w) <= 1e-14 * (1 + np.linalg.norm(w)):
            return wn
        w = wn
    return w


def irls(start):
    """Textbook IRLS: stop when an iteration lowers the objective by less than 1e-6 of its value."""
    def fit(X, y, d, lam):
        w = start(X, y, d, lam)
        L = loss(w, X, y, d, lam)
        for _ in range(500):
            w = irls_step(w, X, y, d, lam)
            new = loss(w, X, y, d, lam)
            if L - new <= 1e-6 * new:
                break
            L = new
        return w
    return fit


def gradient_descent(X, y, d, lam):
    """Step 1/L, stop when ||grad|| <= 1e-6 ||grad at 0||."""
    step = 1 / (np.linalg.norm(X, 2) ** 2 + lam)
    w = np.zeros(X.shape[1])
    g0 = np.linalg.norm(grad(w, X, y, d, lam))
    for _ in range(200_000):
        g = grad(w, X, y, d, lam)
        if np.linalg.norm(g) <= 1e-6 * g0:
            break
        w = w - step * g
    return w


def stops_early(X, y, d, lam):
    step = 1 / ((X ** 2).sum() + lam)
    w = np.zeros(X.shape[1])
    for _ in range(3):
        w = w - step * grad(w, X, y, d, lam)
    return w


SOLVERS = {
    'IRLS from 0': irls(lambda X, y, d, lam: np.zeros(X.shape[1])),
    'IRLS from least squares': irls(ridge),
    'gradient descent': gradient_descent,
    'mistake least-squares-fit': ridge,
    'mistake stops-early': stops_early,
}


def main(cases=1800, seed=0):
    rng = np.random.default_rng(seed)
    found = {name: [] for name in SOLVERS}
    for _ in range(cases):
        d = rng.integers(1, 5)
        n = rng.integers(d + 2, 31)
        X = rng.uniform(-3, 3, (n, d))
        y = X @ rng.uniform(-3, 3, d) + rng.uniform(-1, 1, n)
        for _ in range(rng.integers(0, 4)):
            y[rng.integers(n)] += rng.choice([-1, 1]) * rng.integers(10, 101)
        y = np.round(y, 4)
        delta = float(np.exp(rng.uniform(np.log(0.1), np.log(5))))
        lam = 0.0 if rng.random() < 0.5 else float(np.exp(rng.uniform(np.log(1e-3), np.log(10))))
        w_star = exact(X, y, delta, lam)
        L_star = loss(w_star, X, y, delta, lam)
        H = (X ** 2).sum() + lam
        S = delta * np.linalg.norm(X, axis=1).sum() + H * np.linalg.norm(w_star)
        for name, fit in SOLVERS.items():
            w = fit(X, y, delta, lam)
            excess = (loss(w, X, y, delta, lam) - L_star) / (L_star + 1e-9 * H * (w_star @ w_star))
            found[name].append((excess, np.linalg.norm(grad(w, X, y, delta, lam)) / S))
    for name, rows in found.items():
        e, s = np.array(rows).T
        print(f'{name:26s} objective excess: max {e.max():.1e}, median {np.median(e):.1e}, > 5e-3 in {(e > 5e-3).mean():.0%}'
              f' | ||grad||/S: max {s.max():.1e}, > 1e-2 in {(s > 1e-2).mean():.0%}')


if __name__ == '__main__':
    main()
