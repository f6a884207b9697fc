"""Training against a real `mlflow server`: runs, params, tags, nested folds, metrics and artifacts land there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from servers import free_port, stop, wait_until_up
from training.config import ConfigError
from training.dataset import load_gold
from training.train import train

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory):
    """A real tracking server (SQLite backend, proxied artifacts in a temp folder); yields (url, artifact dir)."""
    import mlflow

    work = tmp_path_factory.mktemp("server")
    port, log, art = free_port(), work / "server.log", work / "art"
    bindir = Path(sys.executable).parent
    cmd = [str(bindir / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
           "--backend-store-uri", f"sqlite:///{work / 'srv.db'}", "--artifacts-destination", str(art)]
    env = dict(os.environ, PATH=str(bindir) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("MLFLOW_TRACKING_URI", None)
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"  # no huey job workers: faster start and stop
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", proc, log)
        yield url, art
    finally:
        stop(proc)
        mlflow.set_tracking_uri(None)  # train() pointed the process-wide URI at this server


def with_uri(cfg, uri: str):
    return cfg.model_copy(update={"tracking": cfg.tracking.model_copy(update={"uri": uri})})


@pytest.fixture(scope="module")
def trained(tracking_server, tmp_path_factory, small_synthetic):
    """One tiny TF-IDF run (CV on) logged to the server; yields (client, metrics, cfg, artifact dir)."""
    from mlflow import MlflowClient

    from conftest import tiny_overrides
    from training.config import load_config
    from training.io import ROOT

    url, art = tracking_server
    tmp = tmp_path_factory.mktemp("trained")
    cfg = load_config(ROOT / "configs" / "base.yaml", tiny_overrides(tmp, small_synthetic) + [f"tracking.uri={url}"])
    metrics = train(cfg, "configs/base.yaml")
    return MlflowClient(url), metrics, cfg, art


def test_parent_run_has_params_tags_and_metrics(trained):
    client, metrics, cfg, _ = trained
    run = client.get_run(metrics["run_id"])
    assert run.info.status == "FINISHED"
    assert client.get_experiment(run.info.experiment_id).name == cfg.tracking.experiment
    assert run.data.params["model.family"] == "tfidf_logreg"
    assert run.data.params["seed"] == str(cfg.seed)
    tags = run.data.tags
    assert tags["config_path"] == "configs/base.yaml"
    assert tags["data_digest"] == metrics["data_digest"] and len(tags["data_digest"]) >= 8
    assert tags["git_commit"] and tags["git_commit"] != "unknown"
    m = run.data.metrics
    assert 0 < m["cv_macro_f1_ci_low"] <= m["cv_macro_f1"] <= 1
    assert m["cv_macro_f1"] == pytest.approx(metrics["cv_macro_f1"])


def test_one_nested_run_per_development_story(trained):
    client, metrics, cfg, _ = trained
    run = client.get_run(metrics["run_id"])
    folds = client.search_runs([run.info.experiment_id], f"tags.mlflow.parentRunId = '{run.info.run_id}'")
    stories = set(load_gold(cfg.data.sentences, cfg.data.labels)["story_id"]) - {cfg.eval.test_story}
    assert sorted(f.data.params["held_out_story"] for f in folds) == sorted(stories)
    assert all(f.info.run_name == f"fold-{f.data.params['held_out_story']}" for f in folds)
    assert all(0 <= f.data.metrics["macro_f1"] <= 1 for f in folds)


def test_predictions_artifact_is_served_and_stored_by_the_server(trained, tmp_path):
    client, metrics, _, art = trained
    names = [a.path for a in client.list_artifacts(metrics["run_id"], "evaluation")]
    assert "evaluation/predictions.csv" in names
    local = client.download_artifacts(metrics["run_id"], "evaluation/predictions.csv", str(tmp_path))
    table = pd.read_csv(local)
    assert {"label", "pred", "split"} <= set(table.columns)
    assert table["split"].str.startswith("cv:").any() and (table["split"] == "test").any()
    assert list(art.rglob("predictions.csv")), "artifacts should land in the server's --artifacts-destination"


def test_unreachable_server_fails_before_training(tiny_config, tmp_path):
    port = free_port()  # nothing listens there once the probe socket is closed
    cfg = with_uri(tiny_config, f"http://127.0.0.1:{port}")
    with pytest.raises(ConfigError, match="tracking.uri") as err:
        train(cfg)
    assert f"127.0.0.1:{port}" in str(err.value)
    assert not (tmp_path / "models").exists(), "nothing may be exported"
    assert not (tmp_path / "mlflow.db").exists(), "nothing may be logged anywhere"
