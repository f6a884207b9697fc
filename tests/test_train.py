"""End to end: train a tiny config into a real (temporary) MLflow store and inspect the run."""

from __future__ import annotations

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from training.config import load_config
from training.io import ROOT
from training.predict import load_model
from training.train import train

from conftest import tiny_overrides


@pytest.fixture
def run(tiny_config, mlflow_uri):
    metrics = train(tiny_config, "configs/base.yaml")
    return metrics, MlflowClient(mlflow_uri)


def test_parent_run_logs_config_tags_inputs_metrics(run):
    metrics, client = run
    parent = client.get_run(metrics["run_id"])
    assert parent.data.params["model.family"] == "tfidf_logreg"
    assert parent.data.params["eval.test_story"] == "story-002"
    tags = parent.data.tags
    assert len(tags["git_commit"].split("+")[0]) == 40
    assert tags["config_path"] == "configs/base.yaml"
    assert tags["data_digest"] == metrics["data_digest"]
    for key in ("cv_macro_f1", "cv_macro_f1_ci_low", "cv_macro_f1_ci_high", "cv_accuracy_ci_low",
                "test_macro_f1", "test_accuracy_ci_high", "cv_f1_quote", "cv_fold_mean_macro_f1"):
        assert key in parent.data.metrics, key
    assert parent.data.metrics["cv_macro_f1_ci_low"] <= parent.data.metrics["cv_macro_f1"] <= parent.data.metrics["cv_macro_f1_ci_high"]
    contexts = {i.tags[0].value for i in parent.inputs.dataset_inputs}
    assert contexts == {"real-sentences", "synthetic-training-only"}
    assert all(i.dataset.digest for i in parent.inputs.dataset_inputs)


def test_nested_run_per_fold(run):
    metrics, client = run
    parent = client.get_run(metrics["run_id"])
    children = client.search_runs([parent.info.experiment_id],
                                  filter_string=f"tags.mlflow.parentRunId = '{metrics['run_id']}'")
    assert sorted(c.data.params["held_out_story"] for c in children) == ["story-000", "story-003", "story-004"]
    assert all("macro_f1" in c.data.metrics for c in children)


def test_artifacts_and_no_synthetic_row_is_evaluated(run, tmp_path):
    metrics, client = run
    local = Path(mlflow.artifacts.download_artifacts(run_id=metrics["run_id"], artifact_path="evaluation", dst_path=str(tmp_path)))
    for name in ("predictions.csv", "misclassified.csv", "confusion_cv.png", "confusion_test.png",
                 "classification_report_cv.txt", "classification_report_test.txt", "metrics.json"):
        assert (local / name).exists(), name
    predictions = pd.read_csv(local / "predictions.csv")
    assert not predictions["sentence_id"].str.startswith("syn-").any()
    assert predictions["sentence_id"].is_unique
    assert len(predictions) == 146  # every real sentence: 118 out-of-fold + 28 test
    assert set(predictions.loc[predictions["split"] == "test", "story_id"]) == {"story-002"}
    resolved = mlflow.artifacts.load_text(f"runs:/{metrics['run_id']}/config/resolved.yaml")
    assert "family: tfidf_logreg" in resolved


def test_run_logs_a_pyfunc_and_exports_the_same_model(run):
    metrics, client = run
    logged = mlflow.pyfunc.load_model(f"runs:/{metrics['run_id']}/model")
    texts = ["Iraqi troops entered the town on Sunday.", "Twelve people were killed in the blast."]
    from_run = logged.predict(pd.DataFrame({"text": texts}))
    exported = load_model(metrics["export_path"]).predict(texts)
    assert list(from_run["label"]) == [p.label for p in exported]
    info = json.loads((Path(metrics["export_path"]) / "training_info.json").read_text())
    assert info["run_id"] == metrics["run_id"]


def test_same_config_and_seed_give_the_same_metrics(tmp_path, mlflow_uri, small_synthetic):
    cfg = load_config(ROOT / "configs" / "base.yaml", tiny_overrides(tmp_path, small_synthetic) + ["export.enabled=false"])
    first, second = train(cfg), train(cfg)
    for key in ("cv_macro_f1", "cv_macro_f1_ci_low", "test_macro_f1", "test_accuracy"):
        assert first[key] == second[key], key


def test_real_only_config_loads_no_synthetic_rows(tmp_path, mlflow_uri, small_synthetic):
    cfg = load_config(ROOT / "configs" / "base.yaml", tiny_overrides(tmp_path, small_synthetic)
                      + ["data.use_synthetic=false", "export.enabled=false", "eval.cross_validate=false"])
    metrics = train(cfg)
    run = MlflowClient(mlflow_uri).get_run(metrics["run_id"])
    assert {i.tags[0].value for i in run.inputs.dataset_inputs} == {"real-sentences"}


def test_export_from_a_run_id_reproduces_the_trained_model(run, tmp_path, mlflow_uri):
    from training.export import export_from_run

    metrics, _ = run
    target = export_from_run(metrics["run_id"], "from-run", mlflow_uri, models_dir=tmp_path / "exports")
    texts = ["Iraqi troops entered the town on Sunday.", "Twelve people were killed in the blast."]
    assert load_model(target).predict(texts) == load_model(metrics["export_path"]).predict(texts)
    card = (target / "README.md").read_text()
    assert "Model card: `from-run`" in card and metrics["run_id"] in card
