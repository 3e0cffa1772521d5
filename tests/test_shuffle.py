"""The band shuffle gives exactly the candidate pairs of the whole index, however it is cut."""

import numpy as np
import pytest

from mtdetect.copies import shuffle
from mtdetect.copies.tunables import BANDS, NUM_PERM


def _greedy(first, second, score, limit):
    """The selection as the index made it before: best first, a count per document."""
    order = np.argsort(-score, kind="stable")
    taken = {}
    chosen = []
    for k in order.tolist():
        x, y = int(first[k]), int(second[k])
        if taken.get(x, 0) < limit or taken.get(y, 0) < limit:
            taken[x] = taken.get(x, 0) + 1
            taken[y] = taken.get(y, 0) + 1
            chosen.append(k)
    chosen = sorted(chosen, key=lambda k: (first[k], second[k]))
    return first[chosen], second[chosen], score[chosen]


@pytest.mark.parametrize("seed", range(6))
def test_selection_per_document_is_the_greedy_selection(seed):
    rng = np.random.default_rng(seed)
    n = 40
    codes = np.unique(rng.integers(0, n * n, 400))
    first, second = codes // n, codes % n
    keep = first < second
    first, second = first[keep], second[keep]
    score = rng.integers(0, 6, first.size) / 8  # many ties
    for limit in (0, 1, 2, 4):
        expected = _greedy(first, second, score, limit)
        got = shuffle.select_candidates(first, second, score, limit)
        for a, b in zip(expected, got):
            assert np.array_equal(a, b)


def _signatures(n, seed):
    """Families of near-identical signatures, so that bands collide, plus unrelated ones."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 1 << 16, (n // 6, NUM_PERM), dtype=np.uint16)
    rows = []
    for i in range(n):
        family = base[i % len(base)].copy()
        changed = rng.random(NUM_PERM) < rng.uniform(0.05, 0.9)
        family[changed] = rng.integers(0, 1 << 16, changed.sum(), dtype=np.uint16)
        rows.append(family)
    keys = rng.integers(0, 30, n)
    return np.asarray(rows), keys


@pytest.mark.parametrize("buckets", [1, 3, 16])
def test_band_buckets_give_the_pairs_of_the_whole(buckets):
    signatures, keys = _signatures(300, seed=buckets)
    n = len(signatures)
    whole = shuffle.candidates(signatures, keys, 0.12, 4)
    # The map side in three runs of documents, the reduce side per bucket.
    usable = shuffle.usable(keys)
    rows = shuffle.band_rows(signatures[usable])
    values = rows.reshape(-1)
    documents = np.repeat(usable, BANDS)
    codes = [shuffle.bucket_pair_codes(part, docs, n) for part, docs in shuffle.partition(values, buckets, documents)]
    codes = np.unique(np.concatenate(codes))
    first, second = codes // n, codes % n
    score = shuffle.similarity(signatures[first], signatures[second])
    keep = score >= 0.12
    parts = shuffle.select_candidates(first[keep], second[keep], score[keep], 4)
    assert whole[0].size > 20
    for a, b in zip(whole, parts):
        assert np.array_equal(a, b)


def test_partition_keeps_every_value_once_and_in_order():
    values = np.arange(1000, dtype=np.uint64) * np.uint64(7919)
    parts = shuffle.partition(values, 7, np.arange(1000))
    together = np.concatenate([positions for _, positions in parts])
    assert sorted(together.tolist()) == list(range(1000))
    assert all(np.all(np.diff(positions) > 0) for _, positions in parts if positions.size > 1)
    assert all(np.all(shuffle.bucket_of(part, 7) == b) for b, (part, _) in enumerate(parts))


def test_bucket_pairs_do_not_depend_on_the_order_of_the_rows():
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, 600).astype(np.uint64)
    documents = np.arange(600)
    shuffled = rng.permutation(600)
    ordered = shuffle.bucket_pair_codes(keys, documents, 600)
    assert ordered.size > 100
    assert np.array_equal(ordered, shuffle.bucket_pair_codes(keys[shuffled], documents[shuffled], 600))
