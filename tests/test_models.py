"""Every model family honours the shared interface; reloads exactly; seeded runs repeat."""

from __future__ import annotations

import numpy as np
import pytest

from training.dataset import LABELS, load_gold
from training.models import FAMILIES, build, load
from training.models.features import cue_matrix

# Tiny torch settings: these tests check behaviour, not quality.
TINY = {
    "tfidf_logreg": {"features": ["quotes", "attribution", "casualty"]},
    "embed_logreg": {"features": ["quotes"]},
    "setfit": {"num_iterations": 1, "max_steps": 4, "batch_size": 8},
    "finetune": {"epochs": 1, "batch_size": 16, "max_length": 48},
}
# CPU torch training repeats to float precision here; allow a little for BLAS differences.
TORCH_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def data():
    gold = load_gold()
    train = gold[gold["story_id"] != "story-002"]
    test = gold[gold["story_id"] == "story-002"]
    return train["text"].tolist(), train["label"].tolist(), test["text"].tolist()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_fits_predicts_and_round_trips(family, data, tmp_path):
    texts, labels, test = data
    model = build(family, seed=1, **TINY[family])
    assert model.fit(texts, labels) is model
    proba = model.predict_proba(test)
    assert proba.shape == (len(test), len(LABELS))
    np.testing.assert_allclose(proba.sum(1), 1.0, atol=1e-5)
    assert set(model.predict(test)) <= set(LABELS)
    model.save(tmp_path / "m")
    np.testing.assert_allclose(load(tmp_path / "m").predict_proba(test), proba, atol=1e-6)


@pytest.mark.parametrize("family", ["tfidf_logreg", "embed_logreg", "finetune"])
def test_same_seed_same_model(family, data):
    texts, labels, test = data
    a = build(family, seed=3, **TINY[family]).fit(texts, labels).predict_proba(test)
    b = build(family, seed=3, **TINY[family]).fit(texts, labels).predict_proba(test)
    tol = 0 if family != "finetune" else TORCH_TOLERANCE
    np.testing.assert_allclose(a, b, atol=tol)


def test_sample_weight_changes_the_fit(data):
    # Nearly zero weight on one class must lower its probability on its own training texts.
    # (Without class balancing: "balanced" re-weights classes by their weighted counts, by design.)
    texts, labels, _ = data
    claims = [t for t, label in zip(texts, labels) if label == "claim"]
    plain = build("tfidf_logreg", class_weight="none").fit(texts, labels).predict_proba(claims)
    weights = np.where(np.array(labels) == "claim", 0.01, 1.0)
    light = build("tfidf_logreg", class_weight="none").fit(texts, labels, sample_weight=weights).predict_proba(claims)
    assert light[:, LABELS.index("claim")].mean() < plain[:, LABELS.index("claim")].mean() - 0.05


def test_unknown_family_is_named():
    with pytest.raises(ValueError, match="unknown model family 'bert'"):
        build("bert")


def test_load_rejects_a_folder_without_meta(tmp_path):
    with pytest.raises(FileNotFoundError, match="no meta.json"):
        load(tmp_path)


def test_cue_features_follow_the_labels_md_quote_rule():
    rows = cue_matrix([
        "“We will hold every street of this town,” the colonel said.",   # clause-long quote
        "The army began what papers dubbed the “race to Raqqa”.",         # scare quotes
        "Twelve soldiers were killed, officials said.",
    ], ["quotes", "attribution", "casualty"])
    long_quote, starts_with_quote, _, attribution, casualty = rows.T
    assert long_quote.tolist() == [1.0, 0.0, 0.0]
    assert starts_with_quote.tolist() == [1.0, 0.0, 0.0]
    assert attribution.tolist() == [1.0, 0.0, 1.0]
    assert casualty.tolist() == [0.0, 0.0, 1.0]


def test_numpy_head_matches_scikit_learn(data):
    from training.models.base import LinearHead, logistic_head
    from training.models.encoder import shared_encoder

    texts, labels, test = data
    enc = shared_encoder()
    head = logistic_head(4.0, "balanced", 0).fit(enc.encode(texts), labels)
    x = enc.encode(test)
    np.testing.assert_allclose(LinearHead.from_sklearn(head).predict_proba(x), head.predict_proba(x), atol=1e-9)


def test_loading_an_exported_embed_model_does_not_import_scikit_learn(data, tmp_path):
    import subprocess
    import sys

    texts, labels, _ = data
    build("embed_logreg").fit(texts, labels).save(tmp_path / "m")
    probe = ("import sys; from training.models import load; m = load(sys.argv[1]); "
             "m.predict(['Ten were killed.']); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "m")], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_exports_with_a_joblib_head_still_load(data, tmp_path):
    # Models exported before heads were stored as numpy keep working.
    import joblib

    texts, labels, test = data
    model = build("embed_logreg").fit(texts, labels)
    model.save(tmp_path / "m")
    (tmp_path / "m" / "head.npz").unlink()
    joblib.dump(model.head, tmp_path / "m" / "head.joblib")
    np.testing.assert_allclose(load(tmp_path / "m").predict_proba(test), model.predict_proba(test), atol=1e-9)
