#!/usr/bin/env python3
"""Independent reference for Dataset.shuffled(seed), pinned in DatasetTest.

SplitMix64 as published by Vigna (https://prng.di.unimi.it/splitmix64.c): the state starts at
the seed, next() adds the golden-ratio gamma and mixes. Fisher-Yates (Durstenfeld) from the end:
for i = n-1 .. 1, j = next() mod (i+1), swap order[i], order[j]. Java's long seed is taken as
its two's-complement 64-bit pattern. Run: python3 shuffle_reference.py
"""

MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def shuffled(n, seed):
    order = list(range(n))
    rng = splitmix64(seed)
    for i in range(n - 1, 0, -1):
        j = next(rng) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


# The published first output for seed 0, so the generator itself is checked.
assert next(splitmix64(0)) == 0xE220A8397B1DCDAF

for n, seed in [(10, 7), (10, -1), (10, 42), (13, 123456789)]:
    print(f"n={n} seed={seed}: {shuffled(n, seed)}")
