"""Small helpers for the notebooks: corpus tables and reading a finished run back from MLflow.

The notebooks in ``notebooks/`` only look at data; everything they compute that
is more than a one-liner lives here, so it is imported rather than copied.

>>> import pandas as pd
>>> f = pd.DataFrame({"dup_group": ["g1", "g1", "g2"], "article_id": ["000", "001", "000"], "position": [0, 0, 1],
...                   "story_id": ["s", "s", "s"], "label": ["quote", "quote", "other"], "text": ["a", "a.", "b"]})
>>> duplicate_groups(f)["text"].tolist()
['a', 'a.']
>>> word_count("ISIS fighters fled Hit's centre.")
5
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pandas as pd

from training.config import Config
from training.dataset import LABELS
from training.synthetic import _words, diversity

DEFAULT_EXPERIMENT = "isis-sentences"
PREDICTIONS = "evaluation/predictions.csv"


# --- the corpus -------------------------------------------------------------------------------

def word_count(text: str) -> int:
    """Words in a sentence, tokenised exactly as ``training.synthetic.diversity`` does."""
    return len(_words(text))


def duplicate_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The sentences of every near-duplicate group with more than one member, group by group."""
    size = frame.groupby("dup_group")["text"].transform("size")
    cols = ["dup_group", "story_id", "article_id", "position", "label", "text"]
    return frame.loc[size > 1, cols].sort_values(["dup_group", "article_id", "position"]).reset_index(drop=True)


def label_examples(frame: pd.DataFrame, per_label: int = 2, seed: int = 0) -> pd.DataFrame:
    """``per_label`` random sentences of every label, in label order (a fixed seed: same rows each time)."""
    parts = [frame[frame["label"] == label].sample(min(per_label, int((frame["label"] == label).sum())),
                                                   random_state=seed) for label in LABELS]
    return pd.concat(parts)[["label", "article_id", "text"]].reset_index(drop=True)


def label_mix(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Sentences per label, and each label's share, in the real corpus and the supplement."""
    counts = pd.DataFrame({name: f["label"].value_counts().reindex(list(LABELS), fill_value=0)
                           for name, f in (("real", real), ("synthetic", synthetic))})
    shares = (counts / counts.sum()).add_suffix(" share")
    return counts.join(shares).rename_axis("label")


def diversity_table(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """``training.synthetic.diversity`` of the real and the synthetic texts, side by side.

    The type-token ratio is measured on windows of the same size for both (the
    smaller corpus's token count, at most 2000), so the two numbers compare.
    """
    tokens = min(sum(word_count(t) for t in f["text"]) for f in (real, synthetic))
    window = min(2000, tokens)
    return pd.DataFrame({"real": diversity(real["text"].tolist(), sample=window),
                         "synthetic": diversity(synthetic["text"].tolist(), sample=window)})


# --- a run in MLflow --------------------------------------------------------------------------

def find_run(experiment: str = DEFAULT_EXPERIMENT, run_id: str | None = None, tracking_uri: str | None = None):
    """An MLflow parent run: ``run_id`` if given, else the latest finished run of ``experiment``.

    Fold runs (nested under a parent) are never chosen, and passing one's id is an
    error naming its parent. ``tracking_uri`` defaults to ``Config().tracking_uri()``
    ($MLFLOW_TRACKING_URI, else the project's ``mlflow.db``).
    """
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri or Config().tracking_uri())
    if run_id:
        run = client.get_run(run_id)
        parent = run.data.tags.get("mlflow.parentRunId")
        if parent:
            raise ValueError(f"run {run_id} ({run.info.run_name}) is a fold run nested under {parent}; "
                             "analyse its parent run instead")
        return run
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        names = sorted(e.name for e in client.search_experiments())
        raise ValueError(f"no experiment {experiment!r} in {client.tracking_uri}; found {names}")
    runs = client.search_runs([exp.experiment_id], order_by=["attributes.start_time DESC"], max_results=50,
                              filter_string="tags.mlflow.parentRunId IS NULL and attributes.status = 'FINISHED'")
    runs = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    if not runs:
        raise ValueError(f"experiment {experiment!r} in {client.tracking_uri} has no finished parent run")
    return runs[0]


def splits_of(run) -> list[str]:
    """The evaluated splits a run logged metrics for: ``cv`` (out of fold), ``test`` (held-out story)."""
    return [s for s in ("cv", "test") if f"{s}_macro_f1" in run.data.metrics]


def headline(run) -> pd.DataFrame:
    """Macro-F1 and accuracy with their bootstrap CI bounds, one row per split."""
    m = run.data.metrics
    rows = {}
    for split in splits_of(run):
        rows[split] = {"n": int(m[f"{split}_n"])}
        for name in ("macro_f1", "accuracy"):
            for suffix in ("", "_ci_low", "_ci_high"):
                rows[split][f"{name}{suffix}"] = m.get(f"{split}_{name}{suffix}", np.nan)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("split")


def per_class(run, split: str) -> pd.DataFrame:
    """Precision, recall, F1 and support of every label on one split, from the run's metrics."""
    m = run.data.metrics
    table = pd.DataFrame({k: [m[f"{split}_{k}_{label}"] for label in LABELS]
                          for k in ("precision", "recall", "f1", "support")}, index=pd.Index(LABELS, name="label"))
    return table.astype({"support": int})


def load_predictions(run, tracking_uri: str | None = None) -> pd.DataFrame:
    """The run's ``evaluation/predictions.csv``, with ``part`` = ``cv`` or ``test`` and the gold label's score."""
    import mlflow.artifacts

    with _env(MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR="false"):
        path = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path=PREDICTIONS,
                                                   tracking_uri=tracking_uri or Config().tracking_uri())
    table = pd.read_csv(path, keep_default_na=False)
    table["part"] = table["split"].str.split(":").str[0]
    table["gold_score"] = [row[f"score_{row['label']}"] for _, row in table.iterrows()]
    return table


def misclassified(predictions: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The ``top`` wrong predictions the model was most sure of, with the score it gave the gold label."""
    wrong = predictions[~predictions["correct"]].sort_values("score", ascending=False)
    return wrong[["split", "label", "pred", "score", "gold_score", "text"]].head(top).reset_index(drop=True)


def confusion_plot(predictions: pd.DataFrame, part: str):
    """``training.evaluate.confusion_figure`` for one part, keeping the notebook's matplotlib backend.

    ``confusion_figure`` switches matplotlib to Agg, which stops later figures
    from showing inline; the backend is switched back and the figure returned
    (detached from pyplot, so it shows exactly once when displayed).
    """
    import matplotlib
    import matplotlib.pyplot as plt

    from training.evaluate import confusion_figure

    rows = predictions[predictions["part"] == part]
    backend = matplotlib.get_backend()
    fig = confusion_figure(rows["label"], rows["pred"], f"{part}: confusion matrix ({len(rows)} sentences)")
    if matplotlib.get_backend() != backend:
        plt.switch_backend(backend)
    plt.close(fig)
    return fig


@contextlib.contextmanager
def _env(**values: str):
    """Set environment variables for the duration of a block."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
