"""Shared fixtures: offline environment, a temporary MLflow store, small data, a tiny config."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")  # quiet progress bars in tests
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from training.config import load_config  # noqa: E402
from training.dataset import LABELS, load_synthetic  # noqa: E402
from training.io import ROOT  # noqa: E402


@pytest.fixture
def mlflow_uri(tmp_path, monkeypatch) -> str:
    """A fresh SQLite tracking store in a temporary folder (artifacts beside it)."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    return uri


@pytest.fixture(scope="session")
def small_synthetic(tmp_path_factory) -> Path:
    """20 synthetic rows per label: enough to train every family in seconds."""
    frame = load_synthetic()
    part = frame.groupby("label").head(20)
    path = tmp_path_factory.mktemp("data") / "synthetic_small.csv"
    part.drop(columns=["story_id", "article_id", "dup_group"]).to_csv(path, index=False)
    return path


def tiny_overrides(tmp_path: Path, small_synthetic: Path, family: str = "tfidf_logreg") -> list[str]:
    return [f"model.family={family}", f"data.synthetic={small_synthetic}", "eval.bootstrap=50",
            f"export.dir={tmp_path / 'models'}", "export.name=tiny", "tracking.experiment=tests"]


@pytest.fixture
def tiny_config(tmp_path, mlflow_uri, small_synthetic):
    """TF-IDF on real sentences plus a small synthetic subset; exports under tmp_path/models/tiny."""
    return load_config(ROOT / "configs" / "base.yaml", tiny_overrides(tmp_path, small_synthetic))


@pytest.fixture(scope="session")
def exported_model(tmp_path_factory, small_synthetic) -> Path:
    """One tiny TF-IDF model trained and exported once per session (for predict, serve, notebooks)."""
    from training.train import train

    tmp = tmp_path_factory.mktemp("exported")
    old = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp / 'mlflow.db'}"
    try:
        cfg = load_config(ROOT / "configs" / "base.yaml", tiny_overrides(tmp, small_synthetic) + ["eval.cross_validate=false"])
        metrics = train(cfg)
    finally:
        if old is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = old
    return Path(metrics["export_path"])


__all__ = ["LABELS", "pd", "tiny_overrides"]
