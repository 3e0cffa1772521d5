"""Which documents are copies of which, and what the copy changed.

People who republish or rewrite a story keep its direct quotes word for word. A round trip
through another language does not: it rewords the quotes ("7th time" -> "seventh time"),
respells the names (Haines -> Haynes, Li -> Lee), restyles the numbers, and keeps the
order of the paragraphs. When the original is in the same dump, setting the copy beside
it is the strongest evidence there is, so this module finds the pairs and says how they
differ, with offsets in both texts.

Two stages, so that millions of documents never meet in all pairs:

1. Candidates. Each document becomes a set of *story keys* that survive rewording:
   numbers (with "seventh" and "7th" both read as 7) and 5-letter stems of content words
   and names. A MinHash signature of the set is computed with datasketch's `MinHash`: its
   seeded permutations make signatures from different processes comparable (what
   `--engine dask` needs) and its batch update is vectorised. The signatures are kept in
   one flat buffer (16 bits a permutation, 256 bytes a document) and banded by sorting
   (the LSH trick) when the index is finished. datasketch's `MinHashLSH` was measured
   first and not kept: at 100,000 documents its dict-of-sets buckets took 1.4 GB and 28 s
   just to insert; the sorted bands take a few seconds and tens of megabytes.
2. Verification. Each document's best candidates are aligned sentence by sentence.
   rapidfuzz computes the similarity of every sentence pair in C++ at once
   (`process.cdist` with Indel similarity over sorted stem lists, which is exactly
   their Dice overlap) and its word-level opcodes put a respelled name in the slot of the
   name it replaced (Qin -> "Hata"); jellyfish's phonetic codes say which names sound
   alike (Lin -> "Lynn"). Short lines shared by many documents (a site's header, footer,
   share buttons) are boilerplate and take no part. The alignment gives the relation: a
   verbatim (syndicated) copy, a rewrite, or an independent report of the same event.

Which version of a rewrite is the machine's (`direction`): every aligned, reworded sentence
pair casts a weak vote, from what a round trip does to English (commoner words against
wordfreq's table, rare words and idioms flattened, typos and doubled words repaired,
contractions spelled out, numbers restyled, the word swaps machines make), and the votes add
up to a calibrated log-odds. Names spelled two ways on one side only and the detector's
document scores add to it. A rewrite is called `machine_rewritten` only when that log-odds
reaches a level 5 % of the pairs of human translations it was set on reach (`verdicts`;
short pairs less often, pairs of 16 or more reworded sentences more often); otherwise the
two are independent versions. When three or more versions are tied by rewrites, the
original is decided for the group: the member the votes of all its pairs call least
machine-like (`index`). Reworded quotes and respelled names make the call surer
(`Verdict.copy_score`).

Modules: `signatures` (story keys, MinHash), `documents` (what a comparison needs of one
text), `alignment` (sentence alignment and what changed), `wording` (how each sentence is
worded and how two aligned ones differ), `direction` (the sentence votes),
`verdicts` (the relation of a pair), `evidence` (what the copy changed, with offsets),
`shuffle` (candidate pairs from banded signatures, in pieces that can run apart), `index`
(the story index: candidates, verification, groups), `compare` (`mtdetect compare`).
A scan runs the same pieces as tasks on its workers (`mtdetect.scan.copies_tasks`).

`StoryIndex` is what `mtdetect scan` feeds; `compare_documents` / `compare_texts` are the
same analysis for two texts (`mtdetect compare`).
"""

from .alignment import Comparison, compare_documents
from .compare import compare_texts
from .direction import DIRECTION_MODEL_FILE, DirectionModel, bundled_direction_at, bundled_direction_model
from .documents import PreparedDocument, prepare, story_keys
from .evidence import CopyEvidence, copy_evidence
from .index import CopyReport, StoryIndex, adjusted_score, render_group_table
from .signatures import StorySignature, story_signature
from .tunables import FEATURES, NUM_PERM, RELATIONS
from .wording import PairDifferences, SentenceWording, pair_difference, sentence_profile
from .verdicts import Verdict, decide

__all__ = [
    "DIRECTION_MODEL_FILE", "FEATURES", "NUM_PERM", "RELATIONS",
    "Comparison", "CopyEvidence", "CopyReport", "DirectionModel", "PreparedDocument", "StoryIndex", "StorySignature", "Verdict",
    "adjusted_score", "bundled_direction_at", "bundled_direction_model", "compare_documents", "compare_texts", "copy_evidence", "decide", "prepare",
    "render_group_table", "story_keys", "story_signature", "PairDifferences", "SentenceWording", "pair_difference", "sentence_profile",
]
