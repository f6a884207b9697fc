"""SetFit: contrastive fine-tuning of MiniLM on sentence pairs, then a logistic head."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from training.models.base import LinearHead, TextClassifier, full_proba, label_ids, logistic_head
from training.models.encoder import encoder_path


class SetFitClassifier(TextClassifier):
    family = "setfit"

    def __init__(self, num_epochs: int = 1, num_iterations: int = 10, max_steps: int = -1, batch_size: int = 16,
                 body_learning_rate: float = 2e-5, C: float = 4.0, class_weight: str = "balanced", seed: int = 0):
        super().__init__(num_epochs=num_epochs, num_iterations=num_iterations, max_steps=max_steps,
                         batch_size=batch_size, body_learning_rate=body_learning_rate, C=C,
                         class_weight=class_weight, seed=seed)
        self.model = self.encoder = self.head = None

    def fit(self, texts, labels, sample_weight=None):
        # SetFit's pair sampling has no per-row weights; sample_weight is ignored (documented in the README).
        import datasets
        from setfit import SetFitModel, Trainer, TrainingArguments
        
        p = self.params
        head = logistic_head(p["C"], p["class_weight"], p["seed"])
        self.model = SetFitModel.from_pretrained(str(encoder_path()))
        self.model.model_head = head  # our head: seeded, class-weighted (from_pretrained won't take one)
        data = datasets.Dataset.from_dict({"text": list(texts), "label": label_ids(labels).tolist()})
        with tempfile.TemporaryDirectory() as out:
            args = TrainingArguments(output_dir=out, batch_size=p["batch_size"], num_epochs=p["num_epochs"],
                                     num_iterations=p["num_iterations"], max_steps=p["max_steps"],
                                     body_learning_rate=p["body_learning_rate"], seed=p["seed"],
                                     report_to="none", save_strategy="no", show_progress_bar=True)
            Trainer(model=self.model, args=args, train_dataset=data).train()
        return self

    def predict_proba(self, texts) -> np.ndarray:
        if self.model is None:  # loaded for inference: plain-torch body + numpy head
            vectors = self.encoder.encode(list(texts))
            return full_proba(self.head.predict_proba(vectors), [int(c) for c in self.head.classes_])
        proba = self.model.predict_proba(list(texts), as_numpy=True)
        return full_proba(np.asarray(proba), [int(c) for c in self.model.model_head.classes_])

    def _save(self, path: Path) -> None:
        # The SetFit folder (loadable with SetFitModel.from_pretrained) plus the head as numpy.
        self.model.save_pretrained(str(path / "setfit"))
        LinearHead.from_sklearn(self.model.model_head).save(path / "head.npz")

    @classmethod
    def _load(cls, path: Path, params: dict) -> "SetFitClassifier":
        # Inference needs neither setfit nor sentence-transformers (9 s of imports): the body is a
        # MiniLM folder with mean pooling and normalisation, which training.models.encoder runs.
        from training.models.encoder import Encoder

        model = cls(**params)
        model.encoder = Encoder(path / "setfit")
        if (path / "head.npz").exists():
            model.head = LinearHead.load(path / "head.npz")
        else:  # exported before heads were stored as numpy
            import joblib

            model.head = LinearHead.from_sklearn(joblib.load(path / "setfit" / "model_head.pkl"))
        return model
