#!/usr/bin/env python3
"""Independent reference values for the pinned-output tests of the engine's
random streams, lanes and samplers (src/engine/rng.rs, lanes.rs,
sampler/tests.rs).

Plain Python integers implement SplitMix64 and xoshiro256++ from the
published reference code (Blackman & Vigna 2018, prng.di.unimi.it), not the
crates under test; mpmath computes Beta quantiles to 30 digits.

Usage:
    pip install mpmath
    python3 tools/crosscheck/streams.py
"""

import mpmath

M = (1 << 64) - 1
mpmath.mp.dps = 30


def splitmix64(state):
    """Yields SplitMix64 outputs from `state` (the generator's counter)."""
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        yield z ^ (z >> 31)


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def xoshiro256pp(s):
    s = list(s)
    while True:
        result = (rotl((s[0] + s[3]) & M, 23) + s[0]) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def seeded(key):
    """xoshiro256++ seeded with four SplitMix64 words (rand's seed_from_u64)."""
    sm = splitmix64(key)
    return xoshiro256pp([next(sm) for _ in range(4)])


def stream(seed, index):
    return seeded(mix64((mix64(seed) + index) & M))


def lanes(key):
    """The eight lanes of LaneRng::from_key: 32 SplitMix64 words, word k of
    lane 4h + l is the (16h + 4k + l)-th."""
    sm = splitmix64(key)
    w = [next(sm) for _ in range(32)]
    return [
        xoshiro256pp([w[h * 16 + k * 4 + l] for k in range(4)])
        for h in range(2)
        for l in range(4)
    ]


def beta_quantile(a, b, p):
    a, b, p = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(p)
    f = lambda x: mpmath.betainc(a, b, 0, x, regularized=True) - p
    return mpmath.findroot(f, (mpmath.mpf("1e-30"), 1 - mpmath.mpf("1e-30")), solver="anderson")


def main():
    print("streams: (seed, index) -> first three words")
    for seed, index in [(0, 0), (42, 0), (42, 3), (M, 1 << 40)]:
        g = stream(seed, index)
        print(f"  ({seed:#x}, {index:#x}): " + ", ".join(f"{next(g):#018x}" for _ in range(3)))
    print("lanes: key -> first word of each lane, then the second of lane 0")
    for key in [0, 42]:
        ls = lanes(key)
        first = [next(l) for l in ls]
        print(f"  {key}: " + ", ".join(f"{w:#018x}" for w in first) + f"; {next(ls[0]):#018x}")
    print("Beta quantiles")
    for a, b, p in [(2, 5, 0.5), (1.4, 4.6, 0.5), (1.4, 4.6, 2.0 ** -10), (2, 5, 0.75)]:
        print(f"  Q_{{{a},{b}}}({p!r}) = {mpmath.nstr(beta_quantile(a, b, p), 20)}")
    r = mpmath.mpf("3.6541528853610088")
    print(f"  1 + 2 * 0.5 * R = {mpmath.nstr(1 + r, 20)}")


if __name__ == "__main__":
    main()
