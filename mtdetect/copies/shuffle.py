"""Candidate pairs from banded MinHash signatures, in pieces that can run apart.

The index (`StoryIndex.candidate_pairs`) runs them one after the other in one process; a
scan (`scan.copies_tasks`) runs each piece as tasks on its workers, with the band keys
shuffled to buckets by a hash so that no process holds every signature's bands:

1. `band_rows`: each usable document's band keys, one (band, key) value per band;
   `partition` sends every value to a bucket by its hash (the map side).
2. `bucket_pair_codes`: in a bucket, the documents of one band key, in document order,
   each paired with the next BUCKET_WINDOW (the reduce side). A pair is a code x * n + y.
3. `similarity`: the estimated Jaccard of a pair, from the two whole signatures.
4. `select_candidates`: at most `max_candidates` pairs per document, best first.

Every piece gives exactly what the whole gives: pairs are found within one band key
only, and the selection is a rule per document (see `select_candidates`).
"""

from __future__ import annotations

import numpy as np

from .tunables import BANDS, BOILERPLATE_MIN_DOCUMENTS, BUCKET_WINDOW, MIN_KEYS, NUM_PERM, ROWS

BAND_SHIFT = np.uint64(48)  # a band key is 3 x 16 bits; the band number goes above it
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def usable(keys: np.ndarray) -> np.ndarray:
    """Positions of documents with enough story keys to be paired at all."""
    return np.flatnonzero(np.asarray(keys) >= MIN_KEYS)


def band_keys(signatures: np.ndarray, band: int) -> np.ndarray:
    """The key of one band for each row of `signatures` (uint16[m, NUM_PERM]), as uint64."""
    columns = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
    return (columns[:, 0] << np.uint64(32)) | (columns[:, 1] << np.uint64(16)) | columns[:, 2]


def band_rows(signatures: np.ndarray) -> np.ndarray:
    """uint64[m, BANDS]: band << 48 | the band's key, for each row (document) and band."""
    out = np.empty((signatures.shape[0], BANDS), dtype=np.uint64)
    for band in range(BANDS):
        out[:, band] = (np.uint64(band) << BAND_SHIFT) | band_keys(signatures, band)
    return out


def bucket_of(values: np.ndarray, buckets: int) -> np.ndarray:
    """A bucket in [0, buckets) for each uint64 value (Fibonacci hashing: spreads similar keys)."""
    with np.errstate(over="ignore"):
        mixed = np.asarray(values, dtype=np.uint64) * _GOLDEN
    return ((mixed >> np.uint64(32)) % np.uint64(buckets)).astype(np.int64)


def partition(values: np.ndarray, buckets: int, *columns: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """`values` (and the columns beside them) split by bucket_of(values), order kept within a bucket."""
    which = bucket_of(values, buckets)
    order = np.argsort(which, kind="stable")
    cuts = np.searchsorted(which[order], np.arange(buckets + 1))
    parts = []
    for bucket in range(buckets):
        taken = order[cuts[bucket] : cuts[bucket + 1]]
        parts.append((values[taken], *(column[taken] for column in columns)))
    return parts


def bucket_pair_codes(keys: np.ndarray, documents: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique codes x * n + y (x < y) of the pairs within equal keys.

    Rows are sorted by (key, document); each document meets the next BUCKET_WINDOW documents
    with its key: every pair in a small bucket, a connected band of pairs in a large one
    (near-duplicate clusters, boilerplate), never the square of a bucket's size.
    """
    documents = np.asarray(documents, dtype=np.int64)
    if documents.size < 2 or bool(np.all(documents[1:] >= documents[:-1])):
        order = np.argsort(keys, kind="stable")  # rows already in document order (as the scan and the index give them)
    else:
        order = np.lexsort((documents, keys))
    sorted_keys = keys[order]
    members = documents[order]
    codes = []
    for step in range(1, BUCKET_WINDOW + 1):
        same = np.flatnonzero(sorted_keys[step:] == sorted_keys[:-step])
        if same.size == 0:
            break  # no key has step + 1 members, so none has more
        x, y = members[same], members[same + step]
        codes.append(np.minimum(x, y) * n + np.maximum(x, y))
    return np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)


def similarity(first_signatures: np.ndarray, second_signatures: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of row i of one and row i of the other: the share of equal MinHash values."""
    return (first_signatures == second_signatures).mean(axis=1)


def select_candidates(first: np.ndarray, second: np.ndarray, score: np.ndarray, max_candidates: int):
    """At most `max_candidates` pairs per document, best first; a pair stays if either end wants it.

    The pairs come sorted by (first, second) and stay so. Taken greedily best first (ties in
    pair order), with a count per document, a pair is kept unless both its documents
    already have `max_candidates`: that keeps exactly the pairs that are among the
    `max_candidates` best of either document (a document's best pairs are always kept, so
    its count reaches the limit at its last best pair). Computed per document, it needs no
    global loop.
    """
    m = first.size
    if m == 0:
        return first, second, score
    priority = np.empty(m, dtype=np.int64)
    priority[np.argsort(-score, kind="stable")] = np.arange(m)
    ends = np.concatenate([first, second])
    order = np.lexsort((np.concatenate([priority, priority]), ends))
    sorted_ends = ends[order]
    starts = np.flatnonzero(np.r_[True, sorted_ends[1:] != sorted_ends[:-1]])
    rank = np.empty(2 * m, dtype=np.int64)
    rank[order] = np.arange(2 * m) - np.repeat(starts, np.diff(np.r_[starts, 2 * m]))
    keep = (rank[:m] < max_candidates) | (rank[m:] < max_candidates)
    return first[keep], second[keep], score[keep]


def boilerplate(hashes: np.ndarray) -> np.ndarray:
    """The short-line hashes found in at least BOILERPLATE_MIN_DOCUMENTS documents (each document lists a line once)."""
    if hashes.size == 0:
        return np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(hashes, return_counts=True)
    return values[counts >= BOILERPLATE_MIN_DOCUMENTS]


def candidates(signatures: np.ndarray, keys: np.ndarray, min_jaccard: float, max_candidates: int):
    """All of it in one process: (first, second, similarity) of the pairs worth aligning."""
    n = signatures.shape[0]
    assert signatures.shape[1] == NUM_PERM
    rows = usable(keys)
    codes = []
    for band in range(BANDS):  # a band at a time: memory for one band's keys, not all of them
        codes.append(bucket_pair_codes(band_keys(signatures[rows], band), rows, n))
    codes = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    first, second = codes // n, codes % n
    score = np.empty(codes.size)
    for start in range(0, codes.size, 200_000):
        x, y = first[start : start + 200_000], second[start : start + 200_000]
        score[start : start + 200_000] = similarity(signatures[x], signatures[y])
    keep = score >= min_jaccard
    return select_candidates(first[keep], second[keep], score[keep], max_candidates)
