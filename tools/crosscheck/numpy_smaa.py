"""Cross-check afweging's SMAA-2 engine against an independent numpy implementation.

Never a runtime dependency of afweging: this is a verification tool. It needs
Python >= 3.11 (for `tomllib`) and numpy (`pip install numpy`).

Usage, from the repository root:

    cargo build --release
    python3 tools/crosscheck/numpy_smaa.py [BENCH_DIR] [--iterations N] [--seed S]
                                           [--numpy-seed S] [--chunk C] [--bin PATH]

BENCH_DIR defaults to benches/data/bench-5x12 (the benchmark decision in the
repository). The script

1. parses the decision folder's TOML files itself (frame, criteria/*.toml in
   file-name order, initiatives/*.toml in file-name order, the first profile);
2. runs SMAA-2 in vectorised numpy, in chunks of C iterations to bound memory:
   - values: triangular (numpy's triangular), PERT (numpy beta with
     a = 1 + 4(mode-min)/(max-min), b = 1 + 4(max-mode)/(max-min), scaled to
     [min, max]), normal, uniform, point; through the criterion's scale
     (linear, exponential or piecewise linear), clamped to 0..1;
   - weights: group shares uniform on {w in simplex: lo <= w <= hi} by
     plain rejection from a flat Dirichlet on the whole simplex (never
     uniform-then-normalise, and without afweging's tightening of the
     bounds), or a flat Dirichlet when the level is not given; local shares a
     flat Dirichlet; global weight = group share x local share;
   - rank acceptability, pairwise winning indices, value mean/sd/p05/p50/p95,
     central weight vectors, and confidence factors (a second pass with fresh
     value draws and the weights fixed at each initiative's central weights);
   ties are shared exactly as afweging's simulate.rs documents (they have
   probability ~0 here);
3. runs `afweging simulate --dir BENCH_DIR --iterations N --seed S --format
   json --quiet` and compares every estimate. Two estimates agree when

       |afweging - numpy| <= sqrt(e_a^2 + e_n^2) * 4 / 1.96

   with e the 95% half-widths (afweging's from its JSON `error` block,
   numpy's computed the same way: binomial for shares, Z95 * sd / sqrt(n) for
   means, Z95 * sd / sqrt(2(n-1)) for the sd, half the spread of the
   quantiles at p +- binomial half-width for percentiles). Percentiles get
   afweging's histogram bin width 1/4096 as extra allowance.

   Confidence factors: the Monte Carlo error of the central weights carries
   over into the factor (for a rarely-first initiative it dominates).
   afweging's `error.confidence` includes it (estimated from 8 splits of its
   first pass); for numpy the script estimates it by batch means (the
   confidence at the central weights of each of --batches parts of the main
   pass, on common value draws) and adds it to numpy's side of the
   `confidence` rows. The `conf@afw-cw` rows evaluate numpy's confidence at
   afweging's own central weights against the binomial error of both passes
   only: the sharp test of afweging's confidence pass.

Prints a compact table, a summary (number of estimates, max |z|, numpy time
and peak memory) and exits 1 on any disagreement (2 on a usage error).
"""

import argparse
import json
import math
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

Z95 = 1.959963984540054
BIN_WIDTH = 1.0 / 4096.0
AGREE_Z = 4.0
REPO = Path(__file__).resolve().parents[2]
DEFAULT_BENCH = REPO / "benches" / "data" / "bench-5x12"


# --------------------------------------------------------------- model parsing


def load_decision(root: Path):
    """Returns (criteria, groups, initiatives, profile) parsed from the folder."""
    criteria, groups, profiles = [], [], []
    for f in sorted((root / "criteria").glob("*.toml")):
        t = tomllib.loads(f.read_text())
        groups += [g["id"] for g in t.get("group", [])]
        criteria += t.get("criterion", [])
        profiles += t.get("profile", [])
    initiatives = []
    for f in sorted((root / "initiatives").glob("*.toml")):
        initiatives.append(tomllib.loads(f.read_text()))
    profile = profiles[0] if profiles else {"id": "default"}
    return criteria, groups, initiatives, profile


def scale_fn(c):
    """The criterion's value function as a vectorised numpy function."""
    s = c["scale"]
    if "points" in s:
        xs = np.array([p[0] for p in s["points"]], dtype=float)
        vs = np.array([p[1] for p in s["points"]], dtype=float)
        return lambda x: np.interp(x, xs, vs)
    worst, best = float(s["worst"]), float(s["best"])
    if "curvature" in s:
        k = float(s["curvature"])
        return lambda x: -np.expm1(-k * np.clip((x - worst) / (best - worst), 0, 1)) / (
            -math.expm1(-k)
        )
    return lambda x: np.clip((x - worst) / (best - worst), 0.0, 1.0)


def value_sampler(v):
    """A function (rng, n) -> n draws of one value in the criterion's unit."""
    if any(k in v for k in ("clamp", "per_inhabitant")):
        raise NotImplementedError(f"clamp/per_inhabitant not supported: {v}")
    if "value" in v:
        x = float(v["value"])
        return lambda rng, n: np.full(n, x)
    if "triangular" in v:
        lo, mode, hi = map(float, v["triangular"])
        return lambda rng, n: rng.triangular(lo, mode, hi, n)
    if "pert" in v:
        lo, mode, hi = map(float, v["pert"])
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lambda rng, n: lo + (hi - lo) * rng.beta(a, b, n)
    if "normal" in v:
        mu, sd = float(v["normal"]["mean"]), float(v["normal"]["sd"])
        return lambda rng, n: rng.normal(mu, sd, n)
    if "uniform" in v:
        lo, hi = map(float, v["uniform"])
        return lambda rng, n: rng.uniform(lo, hi, n)
    raise NotImplementedError(f"distribution not supported: {v}")


class Model:
    def __init__(self, root: Path):
        criteria, groups, initiatives, profile = load_decision(root)
        self.cids = [c["id"] for c in criteria]
        self.ids = [i["id"] for i in initiatives]
        self.n, self.m = len(self.ids), len(self.cids)
        self.scales = [scale_fn(c) for c in criteria]
        self.samplers = [
            [value_sampler(init["values"][cid]) for cid in self.cids] for init in initiatives
        ]
        self.members = [
            [k for k, c in enumerate(criteria) if c["group"] == g] for g in groups
        ]
        extra = set(profile) - {"id", "name", "description", "groups"}
        if extra:
            raise NotImplementedError(f"profile keys not supported: {sorted(extra)}")
        spec = profile.get("groups")
        if spec is None:
            self.bounds = None
        else:
            if not all(isinstance(spec[g], list) for g in groups):
                raise NotImplementedError("only [lo, hi] bounds on groups are supported")
            self.bounds = np.array([spec[g] for g in groups], dtype=float)

    def values(self, rng, n):
        """(n, initiatives, criteria) array of values on 0..1."""
        out = np.empty((n, self.n, self.m))
        for i in range(self.n):
            for c in range(self.m):
                out[:, i, c] = self.scales[c](self.samplers[i][c](rng, n))
        return out

    def group_shares(self, rng, n):
        g = len(self.members)
        if self.bounds is None:
            return rng.dirichlet(np.ones(g), n)
        lo, hi = self.bounds[:, 0], self.bounds[:, 1]
        parts, have = [], 0
        while have < n:
            w = rng.dirichlet(np.ones(g), 2 * (n - have) + 1000)
            w = w[np.all((w >= lo) & (w <= hi), axis=1)]
            parts.append(w)
            have += len(w)
        return np.concatenate(parts)[:n]

    def weights(self, rng, n):
        """(n, criteria) global weights."""
        shares = self.group_shares(rng, n)
        w = np.empty((n, self.m))
        for g, idx in enumerate(self.members):
            w[:, idx] = shares[:, [g]] * rng.dirichlet(np.ones(len(idx)), n)
        return w


# ------------------------------------------------------------------ simulation


def first_share(totals):
    """Per draw and initiative: the tie-shared credit for rank 1."""
    best = totals.max(axis=1, keepdims=True)
    top = totals == best
    return top / top.sum(axis=1, keepdims=True)


def simulate(model: Model, iterations: int, seed: int, chunk: int, batches: int):
    """The main pass. Also returns the central weights of `batches` equal
    parts of the run (for the propagated error of the confidence factors)."""
    rng = np.random.default_rng(seed)
    n, m = model.n, model.m
    rank = np.zeros((n, n))
    pair = np.zeros((n, n))
    w_sum = np.zeros((batches, n, m))
    w_sq = np.zeros((n, m))
    firsts = np.zeros((batches, n))
    chunk = min(chunk, iterations // batches) if iterations >= batches else chunk
    part = iterations // batches
    totals_all = np.empty((iterations, n))
    done = 0
    while done < iterations:
        b = min(done // part, batches - 1) if part else 0
        k = min(chunk, iterations - done, part * (b + 1) - done if b < batches - 1 else iterations)
        w = model.weights(rng, k)
        v = model.values(rng, k)
        t = np.einsum("kic,kc->ki", v, w)
        totals_all[done : done + k] = t
        gt = t[:, None, :] > t[:, :, None]  # [k, i, j]: j above i
        eq = t[:, None, :] == t[:, :, None]
        greater = gt.sum(axis=2)  # [k, i]
        equal = eq.sum(axis=2)
        for r in range(n):
            rank[:, r] += (((greater <= r) & (r < greater + equal)) / equal).sum(axis=0)
        pair += (t[:, :, None] > t[:, None, :]).sum(axis=0) + 0.5 * eq.sum(axis=0)
        share = np.where(greater == 0, 1.0 / equal, 0.0)  # [k, i]
        firsts[b] += share.sum(axis=0)
        w_sum[b] += share.T @ w
        w_sq += share.T @ (w * w)
        done += k
    np.fill_diagonal(pair, 0.0)
    nf = float(iterations)
    batch_central = [
        [w_sum[b, i] / firsts[b, i] if firsts[b, i] > 0 else None for i in range(n)]
        for b in range(batches)
    ]
    w_sum, firsts = w_sum.sum(axis=0), firsts.sum(axis=0)
    central = [w_sum[i] / firsts[i] if firsts[i] > 0 else None for i in range(n)]
    cw_err = [
        Z95 * np.sqrt(np.maximum(w_sq[i] / firsts[i] - central[i] ** 2, 0) / firsts[i])
        if firsts[i] > 0
        else None
        for i in range(n)
    ]
    value = {}
    for i in range(n):
        x = totals_all[:, i]
        mean, sd = x.mean(), x.std(ddof=1)
        ps = {}
        for name, p in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
            h = Z95 * math.sqrt(p * (1 - p) / nf)
            q, qlo, qhi = np.quantile(x, [p, max(p - h, 0), min(p + h, 1)])
            ps[name] = (q, 0.5 * (qhi - qlo))
        value[i] = {
            "mean": (mean, Z95 * sd / math.sqrt(nf)),
            "sd": (sd, Z95 * sd / math.sqrt(2 * (nf - 1))),
            **ps,
        }
    del totals_all
    return rank / nf, pair / nf, central, cw_err, value, batch_central


def confidence(model: Model, central_sets, iterations: int, rng, chunk: int):
    """Per set of central weights (list over initiatives): confidence factors."""
    n = model.n
    wins = [np.zeros(n) for _ in central_sets]
    done = 0
    while done < iterations:
        k = min(chunk, iterations - done)
        v = model.values(rng, k)
        for s, central in enumerate(central_sets):
            for i, cw in enumerate(central):
                if cw is not None:
                    wins[s][i] += first_share(v @ cw)[:, i].sum()
        done += k
    return [
        [wins[s][i] / iterations if cw is not None else None for i, cw in enumerate(c)]
        for s, c in enumerate(central_sets)
    ]


def propagated_error(model: Model, central, batch_central, draws: int, rng, chunk: int):
    """95% half-width of the confidence factors due to the Monte Carlo error of
    the central weights they are evaluated at (which the binomial half-width of
    the confidence pass leaves out). Batch means: the confidence at each
    batch's central weights, on common value draws; the variance of their
    mean is the variance carried into the confidence at the full-run weights
    (to first order)."""
    B = len(batch_central)
    if B < 2 or draws <= 0:
        return [None] * model.n  # not estimated: binomial half-widths only
    usable = [
        i for i in range(model.n)
        if central[i] is not None and all(bc[i] is not None for bc in batch_central)
    ]
    sets = [[bc[i] if i in usable else None for i in range(model.n)] for bc in batch_central]
    per_batch = np.array(
        [[np.nan if c is None else c for c in cs]
         for cs in confidence(model, sets, draws, rng, chunk)],
        dtype=float,
    )  # [B, n]
    out = [None] * model.n
    for i in usable:
        out[i] = Z95 * float(np.std(per_batch[:, i], ddof=1)) / math.sqrt(B)
    return out


def half_width(p, n):
    return Z95 * math.sqrt(max(p * (1 - p), 0) / n)


# ------------------------------------------------------------------ comparison


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", nargs="?", default=str(DEFAULT_BENCH))
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1, help="afweging's seed")
    ap.add_argument("--numpy-seed", type=int, default=20190701)
    ap.add_argument("--chunk", type=int, default=50_000)
    ap.add_argument("--batches", type=int, default=20,
                    help="batches for the propagated error of the confidence factors "
                         "(< 2: not estimated, binomial half-widths only)")
    ap.add_argument("--propagation-draws", type=int, default=200_000,
                    help="common value draws for that error")
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "afweging"))
    args = ap.parse_args()
    bench = Path(args.bench)
    n_it = args.iterations

    model = Model(bench)
    t0 = time.perf_counter()
    rank, pair, central, cw_err, value, batch_central = simulate(
        model, n_it, args.numpy_seed, args.chunk, args.batches
    )
    t1 = time.perf_counter()

    cmd = [
        args.bin, "simulate", "--dir", str(bench), "--iterations", str(n_it),
        "--seed", str(args.seed), "--format", "json", "--quiet",
    ]
    ta = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    afw_time = time.perf_counter() - ta
    a = json.loads(out)
    err = a["error"]
    if a["initiatives"] != model.ids or a["criteria"] != model.cids:
        sys.exit(f"ids differ: {a['initiatives']} {a['criteria']} vs {model.ids} {model.cids}")
    afw_central = [
        None if a["central_weights"][i] is None
        else np.array([a["central_weights"][i][c] for c in model.cids])
        for i in model.ids
    ]

    # Confidence pass: fresh draws; the same draws also give the confidence
    # at afweging's central weights (diagnostic: isolates the central-weight noise).
    t2 = time.perf_counter()
    conf_rng = np.random.default_rng([args.numpy_seed, 1])
    conf, conf_at_afw = confidence(model, [central, afw_central], n_it, conf_rng, args.chunk)
    t3 = time.perf_counter()
    prop = propagated_error(
        model, central, batch_central, args.propagation_draws,
        np.random.default_rng([args.numpy_seed, 2]), args.chunk,
    )
    t4 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    rows = []  # (what, afweging, e_a, numpy, e_n, extra)

    def add(what, va, ea, vn, en, extra=0.0):
        rows.append((what, va, ea, vn, en, extra))

    for i, iid in enumerate(model.ids):
        for r in range(model.n):
            p = rank[i, r]
            add(f"rank {iid} r{r + 1}", a["rank_acceptability"][iid][r],
                err["rank_acceptability"][iid][r], p, half_width(p, n_it))
    for i, iid in enumerate(model.ids):
        for j, jid in enumerate(model.ids):
            if i != j:
                p = pair[i, j]
                add(f"pair {iid}>{jid}", a["pairwise_winning"][iid][jid],
                    err["pairwise_winning"][iid][jid], p, half_width(p, n_it))
    for i, iid in enumerate(model.ids):
        for stat in ("mean", "sd", "p05", "p50", "p95"):
            vn, en = value[i][stat]
            add(f"value {iid} {stat}", a["value"][iid][stat], err["value"][iid][stat],
                vn, en, BIN_WIDTH if stat.startswith("p") else 0.0)
    for i, iid in enumerate(model.ids):
        ac = a["central_weights"][iid]
        if (ac is None) != (central[i] is None):
            add(f"central {iid} exists", float(ac is not None), 0.0,
                float(central[i] is not None), 0.0)
            continue
        if ac is None:
            continue
        for c, cid in enumerate(model.cids):
            add(f"central {iid} {cid}", ac[cid], err["central_weights"][iid][cid],
                central[i][c], cw_err[i][c])
    for i, iid in enumerate(model.ids):
        ac = a["confidence"][iid]
        if ac is None or conf[i] is None:
            if (ac is None) != (conf[i] is None):
                add(f"confidence {iid} exists", float(ac is not None), 0.0,
                    float(conf[i] is not None), 0.0)
            continue
        # afweging's half-width includes the error carried over from its
        # central weights; numpy's side gets its own (`prop`, batch means).
        # Compared twice: each side at its own central weights, and numpy at
        # afweging's central weights with binomial errors only, the sharp
        # test of the confidence pass itself.
        pe = prop[i] or 0.0
        add(f"confidence {iid}", ac, err["confidence"][iid], conf[i],
            math.hypot(half_width(conf[i], n_it), pe))
        if conf_at_afw[i] is not None:
            add(f"conf@afw-cw {iid}", ac, half_width(ac, n_it), conf_at_afw[i],
                half_width(conf_at_afw[i], n_it))

    bad = []
    max_z, max_z_what = 0.0, ""
    print(f"{'estimate':<22} {'afweging':>10} {'±':>8} {'numpy':>10} {'±':>8} {'z':>6}")
    for what, va, ea, vn, en, extra in rows:
        comb = math.hypot(ea, en)
        diff = abs(va - vn)
        tol = comb * AGREE_Z / Z95 + extra
        z = diff / (comb / Z95) if comb > 0 else (0.0 if diff == 0 else math.inf)
        ok = diff <= tol or diff < 1e-12
        if z > max_z:
            max_z, max_z_what = z, what
        flag = "" if ok else "  << DISAGREE"
        if not ok:
            bad.append(what)
        print(f"{what:<22} {va:>10.6f} {ea:>8.1e} {vn:>10.6f} {en:>8.1e} {z:>6.2f}{flag}")

    print()
    print("confidence factors: afweging's half-width (binomial + carried over from its")
    print("central weights) vs numpy's batch-means estimate of the carried-over part:")
    for i, iid in enumerate(model.ids):
        if prop[i] is not None and a["confidence"][iid] is not None:
            print(f"  {iid}: afweging ±{err['confidence'][iid]:.1e}, binomial alone "
                  f"±{half_width(a['confidence'][iid], n_it):.1e}, numpy carried-over ±{prop[i]:.1e}")
    print()
    print(f"compared {len(rows)} estimates ({n_it} iterations each side); "
          f"max |z| = {max_z:.2f} ({max_z_what}); agreement bound |z| <= {AGREE_Z} "
          f"(+1/4096 for percentiles); disagreements: {len(bad)}")
    print(f"numpy: main pass {t1 - t0:.2f} s, confidence pass {t3 - t2:.2f} s "
          f"(total {t1 - t0 + t3 - t2:.2f} s; plus {t4 - t3:.2f} s for the propagated "
          f"error, a check-only extra); peak RSS {peak_mb:.0f} MB "
          f"(chunk {args.chunk}); afweging simulate (incl. process start) {afw_time:.2f} s")
    if bad:
        print("DISAGREE: " + ", ".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
