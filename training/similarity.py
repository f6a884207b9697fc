"""Near-duplicate detection by word overlap, shared by the corpus and the synthetic checks.

Two sentences are near duplicates when their content-word sets overlap heavily
(Jaccard) or when one is nearly contained in the other (a sub-headline that
repeats the lead, a pull quote cut from a longer quotation). Names of the group
are folded (ISIS, ISIL, IS, Daesh) so that two outlets' versions of one wire
sentence still match.

>>> near_duplicate_pairs(["ISIS took the town of Hit on Monday.", "ISIL took the town of Hit on Monday night.", "Rain."])
[(0, 1)]
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

# Thresholds chosen on the real corpus (`python -m training corpus --explain-dups`
# prints every pair above 0.3): the repeats across 000/001 score >= 0.55 Jaccard or
# 1.0 containment on >= 8 tokens; the closest unrelated pair (two headlines of
# different stories) scores 0.44 Jaccard, and the short high-containment pairs that
# are not repeats (a 7-token photo caption inside a longer sentence naming the same
# man, a 5-token credit line) fall below the token floor.
JACCARD_MIN = 0.5
CONTAINMENT_MIN = 0.85
CONTAINMENT_MIN_TOKENS = 8

_STOP = frozenset(
    "a an the of in on to for and or but by with from at as that which who is are was were be been "
    "has have had it its their his her they he she this these those there than into would could will".split()
)
_ALIASES = {"isil": "isis", "is": "isis", "daesh": "isis", "islamic": "isis", "falluja": "fallujah"}


def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased content words with the group's names folded together.

    >>> sorted(content_tokens("ISIL fighters fled Falluja."))
    ['fallujah', 'fighters', 'fled', 'isis']
    """
    text = unicodedata.normalize("NFC", text).casefold().replace("’", "'")
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
    out = {_ALIASES.get(w, w) for w in words}
    return frozenset(w for w in out if w not in _STOP or w == "isis")


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two token sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    jac, cont = overlap(a, b)
    return jac >= JACCARD_MIN or (cont >= CONTAINMENT_MIN and min(len(a), len(b)) >= CONTAINMENT_MIN_TOKENS)


def similar_pairs(texts: list[str], floor: float = 0.3) -> list[tuple[float, float, int, int]]:
    """(Jaccard, containment, i, j) for every pair with Jaccard >= ``floor``, most similar first."""
    tokens = [content_tokens(t) for t in texts]
    scored = [(*overlap(tokens[i], tokens[j]), i, j) for i, j in combinations(range(len(texts)), 2)]
    return sorted((s for s in scored if s[0] >= floor), reverse=True)


def near_duplicate_pairs(texts: list[str]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of near-duplicate texts. Quadratic: fine for thousands."""
    tokens = [content_tokens(t) for t in texts]
    return [(i, j) for i, j in combinations(range(len(texts)), 2) if is_near_duplicate(tokens[i], tokens[j])]


def components(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    """Connected components (union-find): the smallest member's index for each item.

    >>> components(4, [(0, 2), (2, 3)])
    [0, 1, 0, 0]
    """
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]
