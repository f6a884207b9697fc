"""The interface every model family shares, scikit-learn style.

Hyperparameters go to ``__init__``; ``fit(texts, labels, sample_weight)`` returns
the model; ``predict_proba(texts)`` gives one column per label in ``LABELS``
order; ``save(dir)`` / ``load(dir)`` round-trip a fitted model through a folder
that holds ``meta.json`` plus the family's own files.

>>> from training.models import build
>>> model = build("tfidf_logreg").fit(["IS fled the town.", "Ten people were killed."], ["advance", "casualty"])
>>> model.predict(["Twenty were killed."])
['casualty']
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from training.dataset import LABELS


class TextClassifier(ABC):
    family: ClassVar[str]
    labels: tuple[str, ...] = LABELS

    def __init__(self, **params: Any):
        self.params = params

    @abstractmethod
    def fit(self, texts: list[str], labels: list[str], sample_weight: np.ndarray | None = None) -> "TextClassifier":
        ...

    @abstractmethod
    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(n, len(LABELS)) probabilities, columns in ``LABELS`` order."""

    def predict(self, texts: list[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta = {"family": self.family, "params": self.params, "labels": list(self.labels)}
        (path / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        self._save(path)

    @abstractmethod
    def _save(self, path: Path) -> None:
        ...

    @classmethod
    @abstractmethod
    def _load(cls, path: Path, params: dict) -> "TextClassifier":
        ...


def full_proba(proba: np.ndarray, classes: list[int], n_labels: int = len(LABELS)) -> np.ndarray:
    """Spread a head's columns (only the classes it saw in training) over all labels."""
    out = np.zeros((proba.shape[0], n_labels), dtype=np.float64)
    out[:, classes] = proba
    return out


def logistic_head(C: float, class_weight: str, seed: int):
    """The logistic-regression head the tfidf, embed and setfit families share."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, random_state=seed,
                              class_weight=None if class_weight == "none" else "balanced")


def label_ids(labels: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(LABELS)}
    return np.array([index[label] for label in labels], dtype=int)
