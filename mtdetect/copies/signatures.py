"""Story signatures: a small MinHash of each document's story keys, computable on any worker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from ..text import Document
from .documents import _headline, _keys_of, _line_hash, _short_lines
from .tunables import NUM_PERM

# --- the index ------------------------------------------------------------------------------


_PERMUTATIONS = None
# datasketch's SHA-1 hash of a story key, kept: stems and numbers recur from document to
# document, and a lookup costs a tenth of a SHA-1 (at most about 100 MB).
_key_hash = lru_cache(maxsize=1_000_000)(sha1_hash32)


def _minhash() -> MinHash:
    """A fresh MinHash sharing one set of permutations (building them is the slow part)."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
    return MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme="affine32", hashfunc=_key_hash)


@dataclass(frozen=True)
class StorySignature:
    """What the index keeps of a document: small and picklable, so workers can compute it."""

    minhash: np.ndarray  # uint16[NUM_PERM]: the low 16 bits of each MinHash value
    keys: int  # how many story keys the document has
    headline: str
    short_lines: np.ndarray  # uint64 hashes of the document's short lines, to find boilerplate


def story_signature(document: Document | str) -> StorySignature:
    """The MinHash of a document's story keys; reads the text with one regular expression."""
    text = document.text if isinstance(document, Document) else document
    keys = _keys_of(text)
    minhash = _minhash()
    if keys:
        minhash.update_batch([k.encode("utf-8") for k in keys])
    # 16 bits keep the estimate of overlap exact to 1/65536 and halve the memory.
    values = (np.asarray(minhash.hashvalues, dtype=np.uint32) & 0xFFFF).astype(np.uint16)
    lines = np.fromiter({_line_hash(norm) for norm in _short_lines(text)}, dtype=np.uint64)
    return StorySignature(values, len(keys), _headline(text), lines)


