"""Hand-made cue features for logistic heads, switched on by ``model.features``.

Each cue group is a few numbers a linear model cannot easily get from bag-of-words
or a mean-pooled embedding: whether a quotation is at least a clause long (the
LABELS.md quote rule), whether the sentence attributes its content, whether it
names killed or wounded people.

>>> cue_matrix(["“We will take the city within days,” he said."], ["quotes", "attribution"]).tolist()
[[1.0, 1.0, 1.0, 1.0, 0.0]]
"""

from __future__ import annotations

import re

import numpy as np

_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]?")
_ATTRIB = re.compile(
    r"\b(said|says|told|according to|announced|claimed|claims|declared|vowed|warned|denied|"
    r"stated|reported|spokesm[ae]n|spokeswoman|statement|official|officials|ministry)\b",
    re.IGNORECASE,
)
_CASUALTY = re.compile(
    r"\b(kill\w*|dead|deaths?|died|die|wounded|wounding|injur\w*|casualt\w*|bodies|massacre\w*|"
    r"executed|execution\w*|death toll|slain|lives)\b",
    re.IGNORECASE,
)
CUES = {"quotes": 3, "attribution": 1, "casualty": 1}


def _quote_cues(text: str) -> list[float]:
    spans = [m.group(1) for m in _QUOTED.finditer(text)]
    longest = max((len(s.split()) for s in spans), default=0)
    return [float(longest >= 5), float(text.lstrip()[:1] in "“\""), min(longest, 30) / 30]


def cue_matrix(texts: list[str], cues: list[str]) -> np.ndarray:
    """One row per text: the selected cue groups' values, concatenated in ``cues`` order."""
    rows = []
    for text in texts:
        row: list[float] = []
        if "quotes" in cues:
            row += _quote_cues(text)
        if "attribution" in cues:
            row.append(float(bool(_ATTRIB.search(text))))
        if "casualty" in cues:
            row.append(float(bool(_CASUALTY.search(text))))
        rows.append(row)
    return np.asarray(rows, dtype=np.float64).reshape(len(texts), sum(CUES[c] for c in cues))
