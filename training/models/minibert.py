"""A BERT encoder in plain torch, reading the MiniLM checkpoint directly.

Why: ``import transformers`` alone costs about 3 s here, more than the whole
cold-load budget of a served model. MiniLM-L6 is a plain 6-layer BERT, so the
forward pass is a few dozen lines; the tokenizer is the Rust ``tokenizers`` library
(the same ``tokenizer.json``). ``tests/test_minibert.py`` pins the output to the
``transformers`` implementation. Weights are saved under the Hugging Face names,
so a saved folder also loads with ``transformers.AutoModel``.

>>> bert, tok = load_encoder(encoder_path())                     # doctest: +SKIP
>>> bert(**batch(tok, ["IS fled."])).shape                         # doctest: +SKIP
torch.Size([1, 5, 384])
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

# Our module names differ from Hugging Face's only where theirs clash with Python ("self").
_RENAME = (("attention.self.", "attention.attn."), ("attention.output.", "attention.out."))


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, eps: float, dropout: float):
        super().__init__()
        self.heads = heads
        self.attention = nn.Module()
        self.attention.attn = nn.Module()
        for name in ("query", "key", "value"):
            setattr(self.attention.attn, name, nn.Linear(hidden, hidden))
        self.attention.out = nn.Module()
        self.attention.out.dense = nn.Linear(hidden, hidden)
        self.attention.out.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, inner)
        self.output = nn.Module()
        self.output.dense = nn.Linear(inner, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        return x.view(b, t, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        a = self.attention.attn
        q, k, v = self._split(a.query(x)), self._split(a.key(x)), self._split(a.value(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.drop.p if self.training else 0.0)
        ctx = ctx.transpose(1, 2).reshape(x.shape)
        x = self.attention.out.LayerNorm(x + self.drop(self.attention.out.dense(ctx)))
        inner = F.gelu(self.intermediate.dense(x))  # exact (erf) GELU, as BERT's "gelu"
        return self.output.LayerNorm(x + self.drop(self.output.dense(inner)))


class MiniBert(nn.Module):
    """BERT embeddings + encoder layers; returns the last hidden state (batch, tokens, hidden)."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = config
        h, eps = config["hidden_size"], config.get("layer_norm_eps", 1e-12)
        drop = config.get("hidden_dropout_prob", 0.1)
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(config["vocab_size"], h, padding_idx=config.get("pad_token_id", 0))
        self.embeddings.position_embeddings = nn.Embedding(config["max_position_embeddings"], h)
        self.embeddings.token_type_embeddings = nn.Embedding(config["type_vocab_size"], h)
        self.embeddings.LayerNorm = nn.LayerNorm(h, eps=eps)
        self.drop = nn.Dropout(drop)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(
            _Layer(h, config["num_attention_heads"], config["intermediate_size"], eps, drop)
            for _ in range(config["num_hidden_layers"]))

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        e = self.embeddings
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        types = token_type_ids if token_type_ids is not None else torch.zeros_like(input_ids)
        x = e.word_embeddings(input_ids) + e.position_embeddings(positions)[None] + e.token_type_embeddings(types)
        x = self.drop(e.LayerNorm(x))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.encoder.layer:
            x = layer(x, bias)
        return x


def _ours(key: str) -> str:
    for theirs, mine in _RENAME:
        key = key.replace(theirs, mine)
    return key


def _theirs(key: str) -> str:
    for theirs, mine in _RENAME:
        key = key.replace(mine, theirs)
    return key


def load_encoder(path: str | Path, max_length: int = 256):
    """(MiniBert in eval mode, tokenizer) from a BERT folder: config.json, model.safetensors, tokenizer.json."""
    from safetensors.torch import load_file

    path = Path(path)
    config = json.loads((path / "config.json").read_text())
    model = MiniBert(config)
    weights = {_ours(k): v for k, v in load_file(str(path / "model.safetensors")).items()
               if not k.startswith("pooler.") and not k.endswith("position_ids")}
    model.load_state_dict(weights, strict=True)
    return model.eval(), load_tokenizer(path, max_length)


def save_encoder(model: MiniBert, tokenizer, path: str | Path) -> None:
    """Write weights under Hugging Face names, config.json and tokenizer.json."""
    from safetensors.torch import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    state = {_theirs(k): v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(path / "model.safetensors"))
    (path / "config.json").write_text(json.dumps(model.config, indent=2))
    tokenizer.save(str(path / "tokenizer.json"))


def load_tokenizer(path: str | Path, max_length: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in the batch
    return tok


def batch(tokenizer, texts: list[str]) -> dict[str, torch.Tensor]:
    encodings = tokenizer.encode_batch(texts)
    return {"input_ids": torch.tensor([e.ids for e in encodings]),
            "attention_mask": torch.tensor([e.attention_mask for e in encodings]),
            "token_type_ids": torch.tensor([e.type_ids for e in encodings])}


def linear_warmup(optimizer, warmup: int, total: int):
    """Linear warmup then linear decay to zero (the usual BERT schedule)."""
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


__all__ = ["MiniBert", "batch", "linear_warmup", "load_encoder", "load_tokenizer", "save_encoder", "math"]
