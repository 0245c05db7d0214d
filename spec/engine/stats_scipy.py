"""Writes spec/engine/stats.scipy.json: reference values for src/stats.ts from scipy (an independent library).

Run: python3 spec/engine/stats_scipy.py > spec/engine/stats.scipy.json   (scipy 1.17)
Regimes: the body and far tails of the normal; chi-square from k = 1 to 30000 at tail probabilities down to
1e-12 (the variance tests run at 1e-10); the Kolmogorov distribution (scipy.stats.kstwobign) and the exact
finite-n KS distribution (scipy.stats.kstwo), to show where the asymptotic p-value is good; KS statistics of
fixed samples (scipy.stats.kstest).
"""
import json

import numpy as np
from scipy import stats

out = {"scipy": __import__("scipy").__version__}
out["normal_cdf"] = [[x, stats.norm.cdf(x)] for x in [-8.0, -7.0, -5.0, -3.0, -1.5, -0.1, 0.0, 0.3, 1.0, 2.5, 6.0]]
out["normal_quantile"] = [[p, stats.norm.ppf(p)] for p in [1e-12, 1e-10, 5e-11, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999999]]
chi = []
for k in [1, 2, 10, 100, 1024, 2500, 30000]:
    for p in [1e-12, 5e-11, 1e-6, 0.025, 0.5, 0.975]:
        chi.append([p, k, stats.chi2.ppf(p, k), stats.chi2.isf(p, k)])
out["chi_square_quantile"] = chi  # [p, k, ppf(p), isf(p) = ppf(1 - p)]
out["chi_square_cdf"] = [[x, k, stats.chi2.cdf(x, k)] for x, k in
                         [(0.5, 1), (3.0, 2), (15.0, 10), (80.0, 100), (120.0, 100), (900.0, 1024), (1200.0, 1024), (29000.0, 30000)]]
out["kolmogorov_survival"] = [[x, stats.kstwobign.sf(x)] for x in [0.2, 0.5, 0.8, 0.99, 1.0, 1.2, 1.5, 2.0, 3.0, 4.0]]
out["ks_exact_sf"] = [[n, d, stats.kstwo.sf(d, n)] for n, d in [(100, 0.1), (100, 0.2), (1000, 0.05), (1000, 0.07), (4000, 0.04)]]
rng = np.random.default_rng(7)
samples = {"normal": (rng.normal(0, 0.5, 300) ).tolist(), "uniform": rng.uniform(-2, 2, 250).tolist()}
out["ks_samples"] = {
    "normal": {"sd": 0.5, "x": samples["normal"], "d": stats.kstest(samples["normal"], stats.norm(0, 0.5).cdf).statistic},
    "uniform": {"a": 2.0, "x": samples["uniform"], "d": stats.kstest(samples["uniform"], stats.uniform(-2, 4).cdf).statistic},
}
print(json.dumps(out, indent=1, default=float))
