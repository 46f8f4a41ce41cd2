"""Cross-check afweging's Sobol indices against SALib (never a runtime dependency).

Usage, from the repository root (needs `pip install SALib scipy numpy`):

    cargo build --release
    python3 tools/crosscheck/salib_sobol.py

It runs `afweging sensitivity` on tests/fixtures/sobol-check, evaluates the same
model in Python on SALib's Saltelli design, and prints both sets of indices
with their 95% intervals and whether they agree within the combined interval.
"""
import json
import math
import subprocess
import sys

import numpy as np
from scipy import stats
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

N = 2**15
W = np.array([5, 3, 2]) / 10.0


def exp_value(x, worst, best, c):
    t = np.clip((x - worst) / (best - worst), 0, 1)
    return (1 - np.exp(-c * t)) / (1 - math.exp(-c))


def model(u):
    x1 = 2 + 6 * u[:, 0]
    x2 = stats.triang.ppf(u[:, 1], c=(30 - 10) / (90 - 10), loc=10, scale=80)
    x3 = stats.norm.ppf(u[:, 2], loc=0.5, scale=0.1)
    v1 = np.clip(x1 / 10, 0, 1)
    v2 = exp_value(x2, 0, 100, 2.0)
    v3 = np.clip(x3, 0, 1)
    return W[0] * v1 + W[1] * v2 + W[2] * v3


def main():
    problem = {"num_vars": 3, "names": ["c1", "c2", "c3"], "bounds": [[0, 1]] * 3}
    u = sobol_sample.sample(problem, N, calc_second_order=False, seed=1)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    si = sobol_analyze.analyze(problem, model(u), calc_second_order=False, seed=1)
    out = subprocess.run(
        ["target/release/afweging", "sensitivity", "--dir", "tests/fixtures/sobol-check",
         "--iterations", str(N), "--format", "json", "--quiet"],
        check=True, capture_output=True, text=True).stdout
    ours = json.loads(out)["sobol"]["x"]
    ok = True
    print(f"{'input':6} {'index':6} {'afweging':>18} {'SALib':>18}  agree")
    for k, name in enumerate(problem["names"]):
        o = ours[f"x.{name}"]
        for idx, ci, s_key, s_ci in [("first", "first_ci", "S1", "S1_conf"), ("total", "total_ci", "ST", "ST_conf")]:
            a, ea = o[idx], o[ci]
            b, eb = si[s_key][k], si[s_ci][k]
            agree = abs(a - b) <= math.hypot(ea, eb)
            ok &= agree
            print(f"{name:6} {idx:6} {a:8.4f} ± {ea:6.4f} {b:8.4f} ± {eb:6.4f}  {'yes' if agree else 'NO'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
