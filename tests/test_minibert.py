"""The plain-torch encoder matches the transformers implementation of the same checkpoint."""

from __future__ import annotations

import numpy as np
import torch

from training.models.encoder import Encoder, encoder_path
from training.models.minibert import MiniBert, batch, load_encoder, save_encoder

TEXTS = ["IS fled the town.",
         "At least 40 people were killed when a car bomb exploded in a crowded market, police said.",
         "“We will not stop until every village is free,” the commander told reporters."]


def test_hidden_states_and_token_ids_match_transformers():
    from transformers import AutoModel, AutoTokenizer

    path = encoder_path()
    ours, tok = load_encoder(path)
    theirs, their_tok = AutoModel.from_pretrained(path).eval(), AutoTokenizer.from_pretrained(path)
    mine = batch(tok, TEXTS)
    ref = their_tok(TEXTS, padding=True, truncation=True, max_length=256, return_tensors="pt")
    assert torch.equal(mine["input_ids"], ref["input_ids"])
    with torch.inference_mode():
        a, b = ours(**mine), theirs(**ref).last_hidden_state
    mask = mine["attention_mask"].bool()
    assert (a[mask] - b[mask]).abs().max().item() < 1e-4


def test_truncates_to_the_limit():
    _, tok = load_encoder(encoder_path(), max_length=16)
    assert batch(tok, ["word " * 100])["input_ids"].shape[1] == 16


def test_save_round_trip_under_hugging_face_names(tmp_path):
    model, tok = load_encoder(encoder_path())
    save_encoder(model, tok, tmp_path)
    again, tok2 = load_encoder(tmp_path)
    with torch.inference_mode():
        assert torch.equal(model(**batch(tok, TEXTS)), again(**batch(tok2, TEXTS)))
    from safetensors import safe_open

    with safe_open(str(tmp_path / "model.safetensors"), "pt") as fh:
        assert "encoder.layer.0.attention.self.query.weight" in fh.keys()


def test_sentence_embeddings_are_unit_length_and_cached():
    enc = Encoder()
    vectors = enc.encode(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert set(TEXTS) <= set(enc._cache)
    assert isinstance(enc.model, MiniBert)
