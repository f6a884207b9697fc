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


class LinearHead:
    """A fitted logistic-regression head as plain numpy, so loading a model needs no scikit-learn.

    (Importing scikit-learn costs 1.5 s here: half the cold-load budget.) Multinomial
    softmax, as scikit-learn's lbfgs head computes for three or more classes.
    """

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray):
        self.coef_, self.intercept_, self.classes_ = coef, intercept, classes

    @classmethod
    def from_sklearn(cls, head) -> "LinearHead":
        return cls(head.coef_, head.intercept_, head.classes_)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.coef_.T + self.intercept_
        if z.shape[1] == 1:  # two classes: scikit-learn's logistic on one column
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        np.savez(path, coef=self.coef_, intercept=self.intercept_, classes=self.classes_)

    @classmethod
    def load(cls, path: Path) -> "LinearHead":
        data = np.load(path)
        return cls(data["coef"], data["intercept"], data["classes"])


def label_ids(labels: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(LABELS)}
    return np.array([index[label] for label in labels], dtype=int)
