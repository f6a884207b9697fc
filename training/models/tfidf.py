"""Word and character TF-IDF with logistic regression (the fast baseline)."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from training.models.base import TextClassifier, full_proba, label_ids, logistic_head
from training.models.features import cue_matrix


def _cues(texts, cues):
    return cue_matrix(list(texts), cues)


class TfidfLogReg(TextClassifier):
    family = "tfidf_logreg"

    def __init__(self, word_ngram_max: int = 2, char_ngram_min: int = 2, char_ngram_max: int = 5, min_df: int = 1,
                 sublinear_tf: bool = True, C: float = 10.0, class_weight: str = "balanced",
                 features: list[str] | None = None, seed: int = 0):
        super().__init__(word_ngram_max=word_ngram_max, char_ngram_min=char_ngram_min, char_ngram_max=char_ngram_max,
                         min_df=min_df, sublinear_tf=sublinear_tf, C=C, class_weight=class_weight,
                         features=list(features or []), seed=seed)
        self.pipeline: Pipeline | None = None

    def _build(self) -> Pipeline:
        p = self.params
        parts = [
            ("word", TfidfVectorizer(ngram_range=(1, p["word_ngram_max"]), min_df=p["min_df"],
                                     sublinear_tf=p["sublinear_tf"])),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(p["char_ngram_min"], p["char_ngram_max"]),
                                     min_df=p["min_df"], sublinear_tf=p["sublinear_tf"])),
        ]
        if p["features"]:
            parts.append(("cues", FunctionTransformer(_cues, kw_args={"cues": p["features"]})))
        head = logistic_head(p["C"], p["class_weight"], p["seed"])
        return Pipeline([("features", FeatureUnion(parts)), ("head", head)])

    def fit(self, texts, labels, sample_weight=None):
        self.pipeline = self._build()
        self.pipeline.fit(list(texts), label_ids(labels), head__sample_weight=sample_weight)
        return self

    def predict_proba(self, texts) -> np.ndarray:
        head = self.pipeline.named_steps["head"]
        return full_proba(self.pipeline.predict_proba(list(texts)), list(head.classes_))

    def _save(self, path: Path) -> None:
        joblib.dump(self.pipeline, path / "pipeline.joblib")

    @classmethod
    def _load(cls, path: Path, params: dict) -> "TfidfLogReg":
        model = cls(**params)
        model.pipeline = joblib.load(path / "pipeline.joblib")
        return model
