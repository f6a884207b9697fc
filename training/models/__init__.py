"""Model families, chosen by ``model.family`` in the config.

>>> sorted(FAMILIES)
['embed_logreg', 'finetune', 'setfit', 'tfidf_logreg']
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from training.models.base import TextClassifier

# Imported lazily: the torch families cost seconds to import.
FAMILIES = {
    "tfidf_logreg": "training.models.tfidf:TfidfLogReg",
    "embed_logreg": "training.models.embed:EmbedLogReg",
    "setfit": "training.models.setfit_model:SetFitClassifier",
    "finetune": "training.models.finetune:FineTuned",
}


def family_class(family: str) -> type[TextClassifier]:
    if family not in FAMILIES:
        raise ValueError(f"unknown model family {family!r}; expected one of {sorted(FAMILIES)}")
    module, name = FAMILIES[family].split(":")
    return getattr(importlib.import_module(module), name)


def build(family: str, **params) -> TextClassifier:
    """A new, unfitted model of ``family`` with the given hyperparameters."""
    return family_class(family)(**params)


def from_config(cfg) -> TextClassifier:
    """The model a config asks for (its family's section plus the shared options)."""
    family = cfg.model.family
    params = getattr(cfg.model, family).model_dump()
    params["class_weight"] = cfg.model.class_weight
    params["seed"] = cfg.seed
    if family in ("tfidf_logreg", "embed_logreg"):
        params["features"] = list(cfg.model.features)
    return build(family, **params)


def load(path: str | Path) -> TextClassifier:
    """A fitted model from a folder written by ``TextClassifier.save``."""
    path = Path(path)
    meta_file = path / "meta.json"
    if not meta_file.exists():
        raise FileNotFoundError(f"{path}: no meta.json; not a saved model folder")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return family_class(meta["family"])._load(path, meta["params"])
