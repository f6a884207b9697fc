"""``train(config) -> metrics``: seed, load, split, cross-validate, fit, evaluate, log, export.

Every run is one MLflow parent run with a nested run per fold. Synthetic rows
only ever join training folds; evaluation sees real sentences of held-out stories.

>>> from training.config import load_config
>>> metrics = train(load_config("configs/tfidf.yaml"))        # doctest: +SKIP
>>> round(metrics["cv_macro_f1"], 2)                          # doctest: +SKIP
0.55
"""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from training.config import Config, ConfigError, check_inputs, to_yaml
from training.dataset import LABELS, digest, load_gold, load_synthetic
from training.evaluate import confusion_figure, evaluate, predictions_table, report_text
from training.io import project_path
from training.models import from_config
from training.splits import check_no_leak, holdout, story_folds

log = logging.getLogger("training")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # pragma: no cover - torch is a dependency
        pass


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_path("."), capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=project_path("."),
                               capture_output=True, text=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def check_tracking(uri: str) -> None:
    """A remote tracking server must answer before any training starts."""
    if not uri.startswith(("http://", "https://")):
        return
    import urllib.request

    try:
        with urllib.request.urlopen(f"{uri.rstrip('/')}/health", timeout=5) as response:
            response.read()
    except OSError as err:
        raise ConfigError(f"tracking.uri: cannot reach MLflow tracking server {uri!r} ({err}); "
                          "start it, or unset MLFLOW_TRACKING_URI / tracking.uri to use sqlite:///mlflow.db") from None


def set_experiment(mlflow, uri: str, name: str) -> None:
    """Select the experiment; with a SQLite store, its artifacts live beside the database file."""
    mlflow.set_tracking_uri(uri)
    if uri.startswith("sqlite:///") and mlflow.get_experiment_by_name(name) is None:
        store = Path(uri[len("sqlite:///"):]).resolve().parent / "mlartifacts"
        mlflow.create_experiment(name, artifact_location=store.as_uri())
    mlflow.set_experiment(name)


def load_frame(cfg: Config) -> pd.DataFrame:
    """Gold sentences, plus the synthetic supplement when the config asks for it."""
    frame = load_gold(cfg.data.sentences, cfg.data.labels)
    if cfg.data.use_synthetic:
        frame = pd.concat([frame, load_synthetic(cfg.data.synthetic)], ignore_index=True)
    weight = np.where(frame["source"] == "synthetic", cfg.data.synthetic_weight, 1.0)
    return frame.assign(weight=weight)


def fit_predict(cfg: Config, train_rows: pd.DataFrame, test_rows: pd.DataFrame):
    """A fresh model of the config's family, fitted on ``train_rows``; (model, test probabilities)."""
    model = from_config(cfg).fit(train_rows["text"].tolist(), train_rows["label"].tolist(),
                                 sample_weight=train_rows["weight"].to_numpy())
    proba = model.predict_proba(test_rows["text"].tolist()) if len(test_rows) else np.zeros((0, len(LABELS)))
    return model, proba


def cross_validate(cfg: Config, dev: pd.DataFrame, mlflow) -> tuple[dict, pd.DataFrame]:
    """Leave-one-story-out over the development stories; pooled out-of-fold metrics."""
    tables, fold_f1 = [], []
    for story, tr, te in story_folds(dev):
        check_no_leak(dev, tr, te)
        with mlflow.start_run(run_name=f"fold-{story}", nested=True):
            started = time.perf_counter()
            _, proba = fit_predict(cfg, dev.iloc[tr], dev.iloc[te])
            table = predictions_table(dev.iloc[te], proba, split=f"cv:{story}")
            m = evaluate(table["label"], table["pred"], bootstrap=0)
            mlflow.log_params({"held_out_story": story, "train_rows": len(tr), "test_rows": len(te)})
            mlflow.log_metrics({k: float(v) for k, v in m.items() if isinstance(v, (int, float))}
                               | {"fit_seconds": time.perf_counter() - started})
        log.info("  fold %s: macro-F1 %.3f, accuracy %.3f (%d sentences)", story, m["macro_f1"], m["accuracy"], len(te))
        tables.append(table)
        fold_f1.append(m["macro_f1"])
    pooled = pd.concat(tables, ignore_index=True)
    metrics = evaluate(pooled["label"], pooled["pred"], cfg.eval.bootstrap, cfg.eval.ci, cfg.seed)
    metrics.update(fold_mean_macro_f1=float(np.mean(fold_f1)), fold_std_macro_f1=float(np.std(fold_f1)))
    return metrics, pooled


def _log_inputs(mlflow, cfg: Config, frame: pd.DataFrame, config_path: str | None) -> str:
    data_digest = digest(frame)
    mlflow.set_tags({"git_commit": git_commit(), "config_path": str(config_path or "<overrides>"),
                     "data_digest": data_digest, "model_family": cfg.model.family})
    mlflow.log_params(cfg.flat())
    mlflow.log_text(to_yaml(cfg), "config/resolved.yaml")
    import mlflow.data

    for source, context in (("real", "real-sentences"), ("synthetic", "synthetic-training-only")):
        part = frame[frame["source"] == source]
        if len(part):
            path = cfg.data.labels if source == "real" else cfg.data.synthetic
            with warnings.catch_warnings():  # a local CSV path "can be interpreted in multiple ways": expected
                warnings.filterwarnings("ignore", message="The specified dataset source")
                ds = mlflow.data.from_pandas(part[["sentence_id", "text", "label", "story_id"]].reset_index(drop=True),
                                             source=str(project_path(path)), targets="label",
                                             name=f"{source}-{digest(part)}")
            mlflow.log_input(ds, context=context)
    return data_digest


def _log_results(mlflow, metrics: dict, tables: pd.DataFrame) -> None:
    mlflow.log_metrics({k: float(v) for k, v in metrics.items() if isinstance(v, (int, float))})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tables.to_csv(tmp / "predictions.csv", index=False)
        tables[~tables["correct"]].to_csv(tmp / "misclassified.csv", index=False)
        for split in ("cv", "test"):
            part = tables[tables["split"].str.startswith(split)]
            if len(part):
                fig = confusion_figure(part["label"], part["pred"], f"{split}: confusion matrix")
                fig.savefig(tmp / f"confusion_{split}.png", dpi=120)
                import matplotlib.pyplot as plt

                plt.close(fig)
                sub = {k[len(split) + 1:]: v for k, v in metrics.items() if k.startswith(f"{split}_")}
                (tmp / f"classification_report_{split}.txt").write_text(report_text(sub, f"{split} ({len(part)} sentences)"))
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2))
        mlflow.log_artifacts(str(tmp), "evaluation")


def train(cfg: Config, config_path: str | None = None) -> dict:
    """Run the whole experiment the config describes; return its metrics."""
    # mlflow.set_tracking_uri also sets MLFLOW_TRACKING_URI for the process: put it back after.
    before = os.environ.get("MLFLOW_TRACKING_URI")
    try:
        return _train(cfg, config_path)
    finally:
        if before is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = before


def _train(cfg: Config, config_path: str | None) -> dict:
    import mlflow

    uri = cfg.tracking_uri()
    check_inputs(cfg)
    check_tracking(uri)
    log.info("[1/7] seed %d", cfg.seed)
    seed_everything(cfg.seed)
    frame = load_frame(cfg)
    n_syn = int((frame["source"] == "synthetic").sum())
    log.info("[2/7] load: %d real + %d synthetic sentences", len(frame) - n_syn, n_syn)
    dev_idx, test_idx = holdout(frame, cfg.eval.test_story)
    check_no_leak(frame, dev_idx, test_idx)
    dev, test = frame.iloc[dev_idx].reset_index(drop=True), frame.iloc[test_idx].reset_index(drop=True)
    log.info("[3/7] split: test story %s (%d sentences); development %d real sentences",
             cfg.eval.test_story, len(test), int((dev["source"] == "real").sum()))
    set_experiment(mlflow, uri, cfg.tracking.experiment)
    metrics: dict = {}
    with mlflow.start_run(run_name=cfg.tracking.run_name) as run:
        metrics["data_digest"] = _log_inputs(mlflow, cfg, frame, config_path)
        tables = []
        if cfg.eval.cross_validate:
            log.info("[4/7] cross-validate: leave one story out, %s", cfg.model.family)
            cv, pooled = cross_validate(cfg, dev, mlflow)
            metrics.update({f"cv_{k}": v for k, v in cv.items()})
            tables.append(pooled)
            log.info("  CV macro-F1 %.3f [%.3f, %.3f]", cv["macro_f1"], cv.get("macro_f1_ci_low", np.nan),
                     cv.get("macro_f1_ci_high", np.nan))
        started = time.perf_counter()
        log.info("[5/7] fit final model on %d rows", len(dev))
        model, proba = fit_predict(cfg, dev, test)
        metrics["final_fit_seconds"] = time.perf_counter() - started
        if len(test):
            table = predictions_table(test, proba, split="test")
            te = evaluate(table["label"], table["pred"], cfg.eval.bootstrap, cfg.eval.ci, cfg.seed)
            metrics.update({f"test_{k}": v for k, v in te.items()})
            tables.append(table)
            log.info("[6/7] test %s: macro-F1 %.3f [%.3f, %.3f]", cfg.eval.test_story, te["macro_f1"],
                     te.get("macro_f1_ci_low", np.nan), te.get("macro_f1_ci_high", np.nan))
        _log_results(mlflow, {k: v for k, v in metrics.items() if k != "data_digest"},
                     pd.concat(tables, ignore_index=True) if tables else predictions_table(dev.iloc[:0], np.zeros((0, len(LABELS))), "none"))
        metrics["run_id"] = run.info.run_id
        if cfg.export.enabled:
            from training.export import export_saved, log_model

            target = project_path(cfg.export.dir) / cfg.export.name
            info = {"run_id": run.info.run_id, "tracking_uri": uri, "config": cfg.model_dump(), "metrics": metrics,
                    "git_commit": git_commit(), "config_path": str(config_path or "")}
            with tempfile.TemporaryDirectory() as tmp:  # save once: export and run get the same files
                model.save(Path(tmp) / "model")
                export_saved(Path(tmp) / "model", target, info)
                log_model(mlflow, Path(tmp) / "model", info)
            metrics["export_path"] = str(target)
            log.info("[7/7] exported %s and logged the pyfunc to run %s", target, run.info.run_id)
    return metrics
