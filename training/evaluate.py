"""Metrics with bootstrap confidence intervals, and the tables and figures a run keeps.

Macro-F1 averages over the labels present in the gold labels of the evaluated
set (a story without quotes cannot score its quote F1). Confidence intervals are
percentile bootstraps over sentences: with a few hundred sentences the interval
is wide, and that width is the point of reporting it.

>>> m = evaluate(["quote", "other", "other"], ["quote", "other", "claim"], bootstrap=200)
>>> round(m["macro_f1"], 3), round(m["accuracy"], 3)
(0.833, 0.667)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from training.dataset import LABELS


def macro_f1(y_true, y_pred) -> float:
    present = [label for label in LABELS if label in set(y_true)]
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


def bootstrap_ci(y_true, y_pred, n: int, ci: float = 0.95, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Percentile intervals for macro-F1 and accuracy from ``n`` resamples of the sentences."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    rng = np.random.default_rng(seed)
    f1s, accs = [], []
    for _ in range(n):
        idx = rng.integers(0, len(y_true), len(y_true))
        f1s.append(macro_f1(y_true[idx], y_pred[idx]))
        accs.append(float((y_true[idx] == y_pred[idx]).mean()))
    tail = (1 - ci) / 2 * 100
    return {name: (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail)))
            for name, v in (("macro_f1", f1s), ("accuracy", accs))}


def evaluate(y_true, y_pred, bootstrap: int = 1000, ci: float = 0.95, seed: int = 0) -> dict:
    """Headline metrics, per-class scores and (if ``bootstrap``) CI bounds, as a flat dict."""
    y_true, y_pred = list(y_true), list(y_pred)
    out: dict = {"macro_f1": macro_f1(y_true, y_pred), "accuracy": float(accuracy_score(y_true, y_pred)),
                 "n": len(y_true)}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(LABELS), zero_division=0)
    for i, label in enumerate(LABELS):
        out.update({f"precision_{label}": float(p[i]), f"recall_{label}": float(r[i]),
                    f"f1_{label}": float(f[i]), f"support_{label}": int(s[i])})
    if bootstrap and len(y_true) > 1:
        for name, (lo, hi) in bootstrap_ci(y_true, y_pred, bootstrap, ci, seed).items():
            out[f"{name}_ci_low"], out[f"{name}_ci_high"] = lo, hi
    return out


def report_text(metrics: dict, title: str) -> str:
    """A plain-text classification report with the CI line, as logged with a run."""
    lines = [title, "", f"{'label':<10}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for label in LABELS:
        lines.append(f"{label:<10}{metrics[f'precision_{label}']:>10.3f}{metrics[f'recall_{label}']:>8.3f}"
                     f"{metrics[f'f1_{label}']:>8.3f}{metrics[f'support_{label}']:>9d}")
    lines.append("")
    for name in ("macro_f1", "accuracy"):
        ci = ""
        if f"{name}_ci_low" in metrics:
            ci = f"  95% CI [{metrics[f'{name}_ci_low']:.3f}, {metrics[f'{name}_ci_high']:.3f}]"
        lines.append(f"{name:<10}{metrics[name]:.3f}{ci}   (n={metrics['n']})")
    return "\n".join(lines) + "\n"


def predictions_table(rows: pd.DataFrame, proba: np.ndarray, split: str) -> pd.DataFrame:
    """One row per evaluated sentence: gold, prediction, its score and every label's score."""
    pred = [LABELS[i] for i in proba.argmax(1)]
    table = pd.DataFrame({
        "split": split, "sentence_id": rows["sentence_id"].to_numpy(), "story_id": rows["story_id"].to_numpy(),
        "text": rows["text"].to_numpy(), "label": rows["label"].to_numpy(), "pred": pred,
        "score": proba.max(1),
    })
    for i, label in enumerate(LABELS):
        table[f"score_{label}"] = proba[:, i]
    table["correct"] = table["label"] == table["pred"]
    return table


def confusion(y_true, y_pred) -> np.ndarray:
    return confusion_matrix(y_true, y_pred, labels=list(LABELS))


def confusion_figure(y_true, y_pred, title: str):
    """A labelled confusion-matrix heat map (matplotlib figure)."""
    import matplotlib.pyplot as plt  # backend from MPLBACKEND (Agg in make and tests), never forced here

    cm = confusion(y_true, y_pred)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(LABELS)), LABELS, rotation=45, ha="right")
    ax.set_yticks(range(len(LABELS)), LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            ax.text(j, i, int(cm[i, j]), ha="center", va="center", color="white" if cm[i, j] > cm.max() / 2 else "black")
    fig.tight_layout()
    return fig


def reliability(scores: np.ndarray, correct: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per confidence bin: mean confidence, accuracy and count (for a reliability diagram)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(scores, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        rows.append({"bin_low": edges[b], "bin_high": edges[b + 1], "count": int(mask.sum()),
                     "confidence": float(scores[mask].mean()) if mask.any() else np.nan,
                     "accuracy": float(correct[mask].mean()) if mask.any() else np.nan})
    return pd.DataFrame(rows)
