"""MiniLM with a classification head, fine-tuned end to end.

Mean pooling (as the encoder was pretrained) feeds a dropout + linear head; the
loss is cross-entropy with balanced class weights and per-row sample weights
(synthetic rows can count less than real ones). Batches are sorted by length so
padding stays small on CPU.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from training.models.base import TextClassifier, label_ids
from training.models.encoder import _torch, encoder_path, mean_pool


def _balanced(y: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(y, minlength=n).astype(float)
    weights = np.where(counts > 0, len(y) / (n * np.maximum(counts, 1)), 0.0)
    return weights


class FineTuned(TextClassifier):
    family = "finetune"

    def __init__(self, epochs: int = 8, learning_rate: float = 5e-5, batch_size: int = 16, max_length: int = 128,
                 weight_decay: float = 0.01, warmup_ratio: float = 0.1, dropout: float = 0.1,
                 class_weight: str = "balanced", seed: int = 0):
        super().__init__(epochs=epochs, learning_rate=learning_rate, batch_size=batch_size, max_length=max_length,
                         weight_decay=weight_decay, warmup_ratio=warmup_ratio, dropout=dropout,
                         class_weight=class_weight, seed=seed)
        self.tokenizer = self.encoder = self.head = None

    def _init(self, source: Path) -> None:
        from training.models.minibert import load_encoder

        torch = _torch()
        torch.manual_seed(self.params["seed"])
        self.encoder, self.tokenizer = load_encoder(source, self.params["max_length"])
        self.head = torch.nn.Sequential(torch.nn.Dropout(self.params["dropout"]),
                                        torch.nn.Linear(self.encoder.config["hidden_size"], len(self.labels)))

    def _logits(self, texts: list[str]):
        from training.models.minibert import batch

        enc = batch(self.tokenizer, texts)
        return self.head(mean_pool(self.encoder(**enc), enc["attention_mask"]))

    def _batches(self, n_rows: int, texts: list[str], rng: np.random.Generator) -> list[np.ndarray]:
        # Shuffle, then sort within chunks of 50 batches by length: little padding, still random.
        size = self.params["batch_size"]
        order = rng.permutation(n_rows)
        chunk = size * 50
        order = np.concatenate([sorted(order[i:i + chunk], key=lambda j: len(texts[j]))
                                for i in range(0, n_rows, chunk)])
        batches = [order[i:i + size] for i in range(0, n_rows, size)]
        return [batches[i] for i in rng.permutation(len(batches))]

    def fit(self, texts, labels, sample_weight=None):
        from tqdm.auto import tqdm

        from training.models.minibert import linear_warmup

        torch = _torch()
        p = self.params
        self._init(encoder_path())
        texts, y = list(texts), label_ids(labels)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        cw = _balanced(y, len(self.labels)) if p["class_weight"] == "balanced" else np.ones(len(self.labels))
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(cw, dtype=torch.float32), reduction="none")
        params = list(self.encoder.parameters()) + list(self.head.parameters())
        optim = torch.optim.AdamW(params, lr=p["learning_rate"], weight_decay=p["weight_decay"])
        steps = p["epochs"] * math.ceil(len(y) / p["batch_size"])
        sched = linear_warmup(optim, int(p["warmup_ratio"] * steps), steps)
        rng = np.random.default_rng(p["seed"])
        self.encoder.train(), self.head.train()
        bar = tqdm(total=steps, desc="fine-tune", unit="step", leave=False)
        for _ in range(p["epochs"]):
            for idx in self._batches(len(y), texts, rng):
                logits = self._logits([texts[i] for i in idx])
                per_row = loss_fn(logits, torch.tensor(y[idx])) * torch.tensor(w[idx], dtype=torch.float32)
                loss = per_row.sum() / torch.tensor(cw[y[idx]] * w[idx], dtype=torch.float32).sum()
                optim.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optim.step(), sched.step()
                bar.update(1)
                bar.set_postfix(loss=f"{loss.item():.3f}")
        bar.close()
        self.encoder.eval(), self.head.eval()
        return self

    def predict_proba(self, texts) -> np.ndarray:
        torch = _torch()
        texts = list(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), len(self.labels)))
        with torch.inference_mode():
            for start in range(0, len(order), 64):
                idx = order[start:start + 64]
                out[idx] = torch.softmax(self._logits([texts[i] for i in idx]), -1).numpy()
        return out

    def _save(self, path: Path) -> None:
        from training.models.minibert import save_encoder

        torch = _torch()
        save_encoder(self.encoder, self.tokenizer, path / "encoder")
        torch.save(self.head.state_dict(), path / "head.pt")
        (path / "head.json").write_text(json.dumps({"hidden": self.encoder.config["hidden_size"]}), encoding="utf-8")

    @classmethod
    def _load(cls, path: Path, params: dict) -> "FineTuned":
        torch = _torch()
        model = cls(**params)
        model._init(path / "encoder")
        model.head.load_state_dict(torch.load(path / "head.pt", weights_only=True))
        model.encoder.eval(), model.head.eval()
        return model
