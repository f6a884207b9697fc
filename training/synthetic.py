"""The synthetic supplement: build, quality checks, diversity statistics, effect report.

Sources (``data/synthetic/``): ``parts/w*.jsonl`` as the writers wrote them,
``annotation/labels_*.csv`` from the blind second annotator,
``annotation/adjudication.csv`` for every disagreement (keep a label or drop).
``build`` joins them, drops near duplicates inside the supplement, and refuses
any sentence too close to a real one; ``sentences.csv`` is the result.

>>> too_close_by_words("Iraqi forces took the town of Hit on Monday.", ["Iraqi forces took the town of Hit on Monday night."])
True
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from training.dataset import LABELS, SYNTHETIC, SYNTHETIC_COLUMNS, DataError, Problem, load_synthetic, read_sentences
from training.io import atomic_write_csv, project_path
from training.similarity import content_tokens, is_near_duplicate, near_duplicate_pairs

DIR = "data/synthetic"
# Cosine of MiniLM embeddings, measured on the real corpus (data/synthetic/README.md): unrelated
# sentences of different stories reach 0.74 at most, while 8 of the 14 cross-outlet paraphrase
# pairs score >= 0.80 (the rest are caught by the word-overlap rule). 0.80 sits above every
# unrelated pair; the supplement's closest sentence scores 0.79.
EMBED_MAX = 0.80


def cid(text: str) -> str:
    return "c" + hashlib.sha1(text.strip().encode()).hexdigest()[:10]


def read_parts(root: Path) -> pd.DataFrame:
    rows, problems = [], []
    for path in sorted((root / "parts").glob("w*.jsonl")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(Problem(str(path), line_no, f"not JSON: {err.msg}"))
                continue
            if row.get("label") not in LABELS:
                problems.append(Problem(str(path), line_no, f"unknown label {row.get('label')!r}"))
            rows.append({**row, "text": row["text"].strip(), "author": path.stem, "cid": cid(row["text"])})
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows)


def _read_csvs(paths) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["cid", "label", "note"])


def join_annotations(parts: pd.DataFrame, root: Path) -> tuple[pd.DataFrame, dict]:
    """Writer label vs blind label; adjudication settles every disagreement (or drops the row)."""
    blind = _read_csvs(sorted((root / "annotation").glob("labels_*.csv")))
    adjud = _read_csvs([root / "annotation" / "adjudication.csv"]).set_index("cid")
    frame = parts.merge(blind.rename(columns={"label": "label_b", "note": "note_b"}), on="cid", how="left")
    missing = frame[frame["label_b"].isna()]
    if len(missing):
        raise DataError([Problem(str(root / "annotation"), 0, f"no second label for {c}") for c in missing["cid"][:20]])
    agree = float((frame["label"] == frame["label_b"]).mean())
    from sklearn.metrics import cohen_kappa_score

    stats = {"annotated": len(frame), "agreement": agree, "kappa": float(cohen_kappa_score(frame["label"], frame["label_b"])),
             "disagreements": int((frame["label"] != frame["label_b"]).sum())}
    undecided = frame[(frame["label"] != frame["label_b"]) & ~frame["cid"].isin(adjud.index)]
    if len(undecided):
        raise DataError([Problem(str(root / "annotation/adjudication.csv"), 0,
                                 f"disagreement not adjudicated: {r.cid} ({r.label} vs {r.label_b})") for r in undecided.itertuples()])
    decision = frame["cid"].map(adjud["decision"]).fillna(frame["label"])
    text = frame["cid"].map(adjud.get("text", pd.Series(dtype=str))).fillna("")
    frame = frame.assign(label=decision, text=np.where(text != "", text, frame["text"]))
    stats["dropped_ambiguous"] = int((frame["label"] == "drop").sum())
    return frame[frame["label"] != "drop"].reset_index(drop=True), stats


def dedupe(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep the first of every near-duplicate pair inside the supplement."""
    drop = {j for _, j in near_duplicate_pairs(frame["text"].tolist())}
    return frame.drop(index=sorted(drop)).reset_index(drop=True), len(drop)


def too_close_by_words(text: str, real_texts: list[str]) -> bool:
    tokens = content_tokens(text)
    return any(is_near_duplicate(tokens, content_tokens(r)) for r in real_texts)


def closeness(synth: list[str], real: list[str]) -> pd.DataFrame:
    """For each synthetic sentence: nearest real sentence, its cosine, and the word-overlap verdict."""
    from training.models.encoder import shared_encoder

    enc = shared_encoder()
    sims = enc.encode(synth) @ enc.encode(real).T
    nearest = sims.argmax(1)
    real_tokens = [content_tokens(r) for r in real]
    words = [any(is_near_duplicate(content_tokens(s), rt) for rt in real_tokens) for s in synth]
    return pd.DataFrame({"text": synth, "nearest_real": [real[i] for i in nearest],
                         "cosine": sims.max(1), "word_overlap": words})


def leaks(synth: pd.DataFrame, real: pd.DataFrame) -> pd.DataFrame:
    close = closeness(synth["text"].tolist(), real["text"].tolist())
    return close[(close["cosine"] >= EMBED_MAX) | close["word_overlap"]]


def build(root: str | Path = DIR) -> dict:
    """Rebuild ``sentences.csv`` from the writers' files and annotations; return the QC numbers."""
    root = project_path(root)
    frame, stats = join_annotations(read_parts(root), root)
    frame, stats["near_duplicates_removed"] = dedupe(frame)
    bad = leaks(frame, read_sentences())
    if len(bad):
        raise DataError([Problem(str(root), 0, f"too close to a real sentence (cos {r.cosine:.2f}): {r.text[:80]!r}")
                         for r in bad.itertuples()])
    out = pd.DataFrame({
        "sentence_id": ["syn-" + c[1:] for c in frame["cid"]], "text": frame["text"], "label": frame["label"],
        "front": frame["front"], "theme": frame["theme"], "style": frame["style"],
        "hard_case": frame["hard_case"].astype(bool), "boundary": frame["boundary"].fillna(""), "source": "synthetic",
    })[SYNTHETIC_COLUMNS]
    atomic_write_csv(out, root / "sentences.csv")
    stats["rows"] = len(out)
    return stats


def check(path: str | Path = SYNTHETIC) -> int:
    """Validate the committed supplement and fail on any sentence too close to a real one."""
    synth = load_synthetic(path)
    bad = leaks(synth, read_sentences())
    if len(bad):
        raise DataError([Problem(str(project_path(path)), 0, f"too close to a real sentence (cos {r.cosine:.2f}): "
                                 f"{r.text[:80]!r} ~ {r.nearest_real[:60]!r}") for r in bad.itertuples()])
    return len(synth)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def diversity(texts: list[str], sample: int = 2000, seed: int = 0) -> dict:
    """Length and vocabulary statistics; type-token ratios on equal-size token samples."""
    lengths = np.array([len(_words(t)) for t in texts])
    tokens = [w for t in texts for w in _words(t)]
    rng = np.random.default_rng(seed)
    window = min(sample, len(tokens))
    start = rng.integers(0, max(1, len(tokens) - window + 1), 20)
    ttr = float(np.mean([len(set(tokens[s:s + window])) / window for s in start]))
    bigrams = [tuple(p) for t in texts for p in zip(_words(t), _words(t)[1:])]
    return {"sentences": len(texts), "mean_words": float(lengths.mean()), "median_words": float(np.median(lengths)),
            "p10_words": float(np.percentile(lengths, 10)), "p90_words": float(np.percentile(lengths, 90)),
            f"ttr_at_{window}": ttr, "distinct_bigrams": len(set(bigrams)) / max(1, len(bigrams)),
            "vocabulary": len(set(tokens))}


def effect_table(families=("tfidf_logreg", "embed_logreg")) -> str:
    """LOSO macro-F1 on real sentences, with and without the supplement (all four stories, as FINDINGS)."""
    from training.config import load_config
    from training.train import train

    rows = ["| model | real only | real + synthetic |", "|---|---|---|"]
    for family in families:
        cells = []
        for use in (False, True):
            cfg = load_config("configs/base.yaml", [f"model.family={family}", f"data.use_synthetic={str(use).lower()}",
                                                    "eval.test_story=null", "export.enabled=false",
                                                    "tracking.experiment=synthetic-effect"])
            m = train(cfg, "configs/base.yaml")
            cells.append(f"{m['cv_macro_f1']:.3f} [{m['cv_macro_f1_ci_low']:.3f}, {m['cv_macro_f1_ci_high']:.3f}]")
        rows.append(f"| `{family}` | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)


def stats_table(real: list[str], synth: list[str]) -> str:
    r, s = diversity(real), diversity(synth)
    keys = [k for k in r if k in s]
    lines = ["| statistic | real | synthetic |", "|---|---|---|"]
    fmt = lambda v: f"{v:,}" if isinstance(v, int) else f"{v:.3f}"  # noqa: E731
    lines += [f"| {k} | {fmt(r[k])} | {fmt(s[k])} |" for k in keys]
    return "\n".join(lines)
