"""Config loading: layering, --set overrides, and errors that name the key, value and expectation."""

from __future__ import annotations

import pytest

from training.config import ConfigError, check_inputs, load_config
from training.io import ROOT
from training.train import check_tracking, train

BASE = ROOT / "configs" / "base.yaml"


def test_every_shipped_config_loads_and_differs_from_base_only_where_it_says():
    base = load_config(BASE)
    for path in sorted((ROOT / "configs").glob("*.yaml")):
        cfg = load_config(path)
        assert cfg.seed == base.seed
        if path.name != "base.yaml":
            assert path.read_text().startswith("#"), f"{path.name} should open with a comment saying why"


def test_layering_and_overrides(tmp_path):
    child = tmp_path / "exp.yaml"
    child.write_text(f"extends: {BASE}\nmodel:\n  family: tfidf_logreg\n  tfidf_logreg:\n    C: 2.5\n")
    cfg = load_config(child, ["model.tfidf_logreg.C=0.5", "eval.test_story=null", "model.features=[quotes]"])
    assert cfg.model.family == "tfidf_logreg"
    assert cfg.model.tfidf_logreg.C == 0.5
    assert cfg.model.tfidf_logreg.word_ngram_max == 2  # inherited from base
    assert cfg.eval.test_story is None
    assert cfg.model.features == ["quotes"]


@pytest.mark.parametrize("override, expected", [
    ("model.familly=tfidf_logreg", "model.familly: unknown key"),
    ("model.family=bert_large", "model.family: Input should be 'tfidf_logreg', 'embed_logreg', 'setfit' or 'finetune'"),
    ("model.finetune.epochs=many", "model.finetune.epochs: Input should be a valid integer"),
    ("eval.bootstrap=-3", "eval.bootstrap: Input should be greater than or equal to 0"),
    ("trainer.epochs=3", "trainer: unknown key"),
    ("model.features=[sarcasm]", "model.features.0: Input should be 'quotes', 'attribution' or 'casualty'"),
])
def test_bad_values_name_the_dotted_key_and_the_expectation(override, expected):
    with pytest.raises(ConfigError) as err:
        load_config(BASE, [override])
    assert expected in str(err.value)
    assert "base.yaml" in str(err.value)


def test_unknown_key_lists_what_is_allowed():
    with pytest.raises(ConfigError, match=r"expected one of: family, class_weight, features"):
        load_config(BASE, ["model.familly=x"])


def test_features_only_for_logistic_heads():
    with pytest.raises(ConfigError, match="features .* apply to tfidf_logreg and embed_logreg only"):
        load_config(BASE, ["model.family=finetune", "model.features=[quotes]"])


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  family: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+: not valid YAML"):
        load_config(bad)


def test_malformed_set_is_rejected():
    with pytest.raises(ConfigError, match="expected section.key=value"):
        load_config(BASE, ["model.family"])


def test_missing_data_file_is_reported_by_key_before_training(tmp_path, mlflow_uri):
    cfg = load_config(BASE, [f"data.labels={tmp_path / 'nope.csv'}"])
    with pytest.raises(ConfigError, match=r"data.labels: file not found: .*nope.csv"):
        check_inputs(cfg)
    with pytest.raises(ConfigError, match="data.labels"):
        train(cfg)


def test_unreachable_tracking_server_fails_fast():
    with pytest.raises(ConfigError, match=r"tracking.uri: cannot reach MLflow tracking server 'http://127.0.0.1:9'"):
        check_tracking("http://127.0.0.1:9")
