"""Predictions from an exported model folder: no tracking server, no network.

>>> from training import predict
>>> p = predict("Iraqi forces recaptured the town on Sunday.")      # doctest: +SKIP
>>> p.label, round(p.score, 2)                                      # doctest: +SKIP
('advance', 0.91)
>>> [q.label for q in predict(["He said so.", "Ten were killed."])]   # doctest: +SKIP
['claim', 'casualty']
>>> predict([])
[]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from training.dataset import LABELS
from training.io import project_path

DEFAULT_MODEL = "models/default"
TEXT_LIMIT_NOTE = ("Text longer than the encoder's limit is truncated: 256 word pieces for `embed_logreg` and "
                   "`setfit`, `model.finetune.max_length` (default 128) for `finetune`; `tfidf_logreg` reads it all.")


@dataclass(frozen=True)
class Prediction:
    """One sentence's label, the label's probability, and every label's probability."""

    label: str
    score: float
    scores: dict[str, float] = field(default_factory=dict)


def check_texts(texts: list) -> None:
    """Every item must be a non-blank string; the error names the first bad index."""
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
        if not text.strip():
            raise ValueError(f"texts[{i}] is empty or blank; expected a sentence")


class Model:
    """A loaded export; ``.predict`` behaves exactly like ``training.predict``."""

    def __init__(self, path: str | Path):
        from training.models import load

        self.path = Path(path)
        inner = self.path / "artifacts" / "model"
        if not (self.path / "MLmodel").exists() or not inner.exists():
            raise FileNotFoundError(f"{self.path}: not an exported model folder (no MLmodel or artifacts/model); "
                                    "train one with `python -m training train configs/default.yaml`")
        self.classifier = load(inner)

    def predict(self, texts: str | list[str]) -> Prediction | list[Prediction]:
        single = isinstance(texts, str)
        if texts is None or not (single or isinstance(texts, (list, tuple))):
            raise TypeError(f"texts must be a str or a list of str, got {type(texts).__name__}")
        batch = [texts] if single else list(texts)
        check_texts(batch)
        if not batch:
            return []
        proba = self.classifier.predict_proba(batch)
        out = [Prediction(LABELS[int(row.argmax())], float(row.max()),
                          {label: float(p) for label, p in zip(LABELS, row)}) for row in proba]
        return out[0] if single else out


@lru_cache(maxsize=8)
def _cached(path: str, stamp: float) -> Model:
    return Model(path)


def load_model(path: str | Path = DEFAULT_MODEL) -> Model:
    """The model at ``path``, loaded once per process (reloaded if the folder is re-exported)."""
    resolved = Path(path) if Path(path).exists() else project_path(path)
    mlmodel = resolved / "MLmodel"
    stamp = os.stat(mlmodel).st_mtime if mlmodel.exists() else 0.0
    return _cached(str(resolved.resolve()), stamp)


def predict(texts: str | list[str], model: str | Path | Model = DEFAULT_MODEL) -> Prediction | list[Prediction]:
    """Classify one sentence (returns a ``Prediction``) or a list (returns a list).

    An empty list gives an empty list; ``None`` or a non-string item raises
    ``TypeError`` naming its index; an empty or blank string raises ``ValueError``
    naming its index. See ``TEXT_LIMIT_NOTE`` for long text.
    """
    if isinstance(texts, (list, tuple)) and not texts:
        return []
    loaded = model if isinstance(model, Model) else load_model(model)
    return loaded.predict(texts)
