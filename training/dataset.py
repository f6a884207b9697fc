"""The sentence table, its gold labels, validation, and loading for training.

Files (paths relative to the project root):

- ``data/raw/*.txt`` and ``data/raw/manifest.csv``: the articles, byte for byte.
- ``data/processed/sentences.csv``: written by ``build_sentences`` (``python -m
  training corpus``): sentence_id, article_id, position, text, story_id, dup_group.
- ``data/labels/gold.csv``: sentence_id, label, note (and the text, for review).
- ``data/synthetic/sentences.csv``: the synthetic supplement (training only).

Labels are joined to sentences by id. A sentence id is the article id plus a hash
of the sentence text, so a change to cleaning or segmentation that alters a
sentence shows up as an unlabeled sentence and an orphaned label, never as a
label silently attached to the wrong text.

>>> ds = load_dataset()                        # doctest: +SKIP
>>> ds.features["label"].names                 # doctest: +SKIP
['advance', 'setback', 'casualty', 'claim', 'quote', 'other']
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from training.corpus import article_sentences, normalize_for_repeat
from training.io import atomic_write_csv, project_path
from training.similarity import components, near_duplicate_pairs

LABELS: tuple[str, ...] = ("advance", "setback", "casualty", "claim", "quote", "other")
RAW_DIR = "data/raw"
SENTENCES = "data/processed/sentences.csv"
GOLD = "data/labels/gold.csv"
SYNTHETIC = "data/synthetic/sentences.csv"

SENTENCE_COLUMNS = ["sentence_id", "article_id", "position", "text", "story_id", "dup_group"]
LABEL_COLUMNS = ["sentence_id", "label", "note"]
MANIFEST_COLUMNS = ["article_id", "file", "sha256", "headline", "outlet", "date"]
SYNTHETIC_COLUMNS = ["sentence_id", "text", "label", "front", "theme", "style", "hard_case", "boundary", "source"]


@dataclass(frozen=True)
class Problem:
    """One validation finding, located in a file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(ValueError):
    """Raised with every problem found, so one run shows them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} data problem(s):\n{shown}{more}")


def read_rows(path: str | Path, columns: list[str], required: tuple[str, ...] = ()) -> list[tuple[int, dict]]:
    """Read a CSV as (line number, row) pairs, checking the header and required fields."""
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), 0, "file not found")])
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError([Problem(str(path), 1, f"missing column(s) {missing}; expected {columns}")])
        rows, problems = [], []
        for row in reader:
            for key in required:
                if not (row.get(key) or "").strip():
                    problems.append(Problem(str(path), reader.line_num, f"empty {key!r}"))
            rows.append((reader.line_num, row))
    if problems:
        raise DataError(problems)
    return rows


def sentence_id(article_id: str, text: str) -> str:
    """Stable id: the article and a hash of the sentence's normalised text.

    >>> sentence_id("000", "ISIS fled.")
    '000-31376f49'
    """
    return f"{article_id}-{hashlib.sha1(normalize_for_repeat(text).encode()).hexdigest()[:8]}"


def read_manifest(raw_dir: str | Path = RAW_DIR) -> pd.DataFrame:
    """The manifest, checked against the raw files: every file listed, digests matching."""
    raw_dir = project_path(raw_dir)
    path = raw_dir / "manifest.csv"
    rows = read_rows(path, MANIFEST_COLUMNS, required=("article_id", "file", "sha256"))
    problems, listed = [], set()
    for line, row in rows:
        file = raw_dir / row["file"]
        listed.add(row["file"])
        if not file.exists():
            problems.append(Problem(str(path), line, f"file {row['file']!r} not found in {raw_dir}"))
        elif hashlib.sha256(file.read_bytes()).hexdigest() != row["sha256"]:
            problems.append(Problem(str(path), line, f"{row['file']}: sha256 differs: the raw text was edited"))
    for file in sorted(raw_dir.glob("*.txt")):
        if file.name not in listed:
            problems.append(Problem(str(path), 0, f"{file.name} is in {raw_dir} but not in the manifest"))
    if problems:
        raise DataError(problems)
    return pd.DataFrame([row for _, row in rows], columns=MANIFEST_COLUMNS)


def build_sentences(raw_dir: str | Path = RAW_DIR) -> pd.DataFrame:
    """Clean and segment every article of the manifest; assign stories and duplicate groups.

    Articles sharing a near-duplicate sentence tell one story (one wire report
    printed by two outlets); the story is named after its first article.
    """
    raw_dir = project_path(raw_dir)
    rows = []
    for art in read_manifest(raw_dir).itertuples():
        text = (raw_dir / art.file).read_text(encoding="utf-8")
        for position, sentence in enumerate(article_sentences(text)):
            rows.append({"sentence_id": sentence_id(art.article_id, sentence), "article_id": art.article_id,
                         "position": position, "text": sentence})
    frame = pd.DataFrame(rows)
    pairs = near_duplicate_pairs(frame["text"].tolist())
    group = components(len(frame), pairs)
    frame["dup_group"] = [f"g{g:04d}" for g in group]
    articles = sorted(frame["article_id"].unique())
    index = {a: i for i, a in enumerate(articles)}
    art_pairs = [(index[frame.at[i, "article_id"]], index[frame.at[j, "article_id"]]) for i, j in pairs]
    story = components(len(articles), art_pairs)
    frame["story_id"] = frame["article_id"].map(lambda a: f"story-{articles[story[index[a]]]}")
    return frame[SENTENCE_COLUMNS]


def write_sentences(frame: pd.DataFrame, path: str | Path = SENTENCES) -> Path:
    path = project_path(path)
    atomic_write_csv(frame, path)
    return path


def read_sentences(path: str | Path = SENTENCES) -> pd.DataFrame:
    path = project_path(path)
    rows = read_rows(path, SENTENCE_COLUMNS, required=("sentence_id", "article_id", "text", "story_id"))
    problems = _duplicates(path, rows, "sentence_id")
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame([r for _, r in rows], columns=SENTENCE_COLUMNS)
    frame["position"] = frame["position"].astype(int)
    return frame


def _duplicates(path: Path, rows: list[tuple[int, dict]], key: str) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for line, row in rows:
        if row[key] in first:
            problems.append(Problem(str(path), line, f"duplicate {key} {row[key]!r} (first on line {first[row[key]]})"))
        first.setdefault(row[key], line)
    return problems


def read_labels(path: str | Path = GOLD) -> pd.DataFrame:
    """Gold labels keyed by sentence id; unknown labels and repeated ids are errors."""
    path = project_path(path)
    rows = read_rows(path, LABEL_COLUMNS, required=("sentence_id", "label"))
    problems = _duplicates(path, rows, "sentence_id")
    for line, row in rows:
        if row["label"] not in LABELS:
            problems.append(Problem(str(path), line, f"unknown label {row['label']!r}; expected one of {list(LABELS)}"))
    if problems:
        raise DataError(problems)
    columns = LABEL_COLUMNS + (["text"] if "text" in rows[0][1] else []) if rows else LABEL_COLUMNS
    frame = pd.DataFrame([r for _, r in rows], columns=columns)
    frame["line"] = [line for line, _ in rows]
    return frame


def join_labels(sentences: pd.DataFrame, labels: pd.DataFrame, labels_path: str | Path = GOLD) -> pd.DataFrame:
    """Every sentence with exactly one label; unlabeled sentences and orphaned labels fail."""
    labels_path = str(project_path(labels_path))
    known = set(sentences["sentence_id"])
    labelled = set(labels["sentence_id"])
    problems = [
        Problem(labels_path, int(line), f"orphaned label: no sentence with id {sid!r}")
        for sid, line in zip(labels["sentence_id"], labels["line"]) if sid not in known
    ]
    problems += [
        Problem(labels_path, 0, f"unlabeled sentence {r.sentence_id!r} ({r.article_id}#{r.position}): {r.text[:70]!r}")
        for r in sentences.itertuples() if r.sentence_id not in labelled
    ]
    if problems:
        raise DataError(problems)
    merged = sentences.merge(labels[["sentence_id", "label", "note"]], on="sentence_id", how="left")
    merged["source"] = "real"
    return merged


def load_gold(sentences_path: str | Path = SENTENCES, labels_path: str | Path = GOLD) -> pd.DataFrame:
    """The labeled real sentences as a data frame, validated."""
    return join_labels(read_sentences(sentences_path), read_labels(labels_path), labels_path)


def load_synthetic(path: str | Path = SYNTHETIC) -> pd.DataFrame:
    """The synthetic supplement: training rows only, each marked ``source == 'synthetic'``."""
    path = project_path(path)
    rows = read_rows(path, SYNTHETIC_COLUMNS, required=("sentence_id", "text", "label", "source"))
    problems = _duplicates(path, rows, "sentence_id")
    for line, row in rows:
        if row["label"] not in LABELS:
            problems.append(Problem(str(path), line, f"unknown label {row['label']!r}; expected one of {list(LABELS)}"))
        if row["source"] != "synthetic":
            problems.append(Problem(str(path), line, f"source is {row['source']!r}; expected 'synthetic'"))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame([r for _, r in rows], columns=SYNTHETIC_COLUMNS)
    frame["story_id"] = "synthetic"
    frame["article_id"] = "synthetic"
    frame["dup_group"] = "synthetic"
    frame["hard_case"] = frame["hard_case"].astype(str).str.lower().eq("true")
    return frame


def summary(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Counts per label and per article (and per story) for printing and reports."""
    by_article = pd.crosstab(frame["article_id"], frame["label"]).reindex(columns=list(LABELS), fill_value=0)
    by_article["total"] = by_article.sum(axis=1)
    by_story = pd.crosstab(frame["story_id"], frame["label"]).reindex(columns=list(LABELS), fill_value=0)
    by_story["total"] = by_story.sum(axis=1)
    per_label = frame["label"].value_counts().reindex(list(LABELS), fill_value=0)
    return {"per_label": per_label.to_frame("sentences"), "per_article": by_article, "per_story": by_story}


def digest(frame: pd.DataFrame, columns: tuple[str, ...] = ("sentence_id", "text", "label")) -> str:
    """A short content digest of the rows a run used (logged with every run)."""
    canon = frame[list(columns)].sort_values(list(columns[:1])).to_csv(index=False)
    return hashlib.sha256(canon.encode()).hexdigest()[:16]


def to_hf(frame: pd.DataFrame):
    """A pandas frame with a ``label`` column as a ``datasets.Dataset`` with a ClassLabel."""
    import datasets

    keep = [c for c in ("sentence_id", "text", "label", "article_id", "story_id", "dup_group", "source") if c in frame]
    features = datasets.Features(
        {c: datasets.ClassLabel(names=list(LABELS)) if c == "label" else datasets.Value("string") for c in keep}
    )
    data = frame[keep].reset_index(drop=True).copy()
    data["label"] = data["label"].map(LABELS.index)
    return datasets.Dataset.from_pandas(data, features=features, preserve_index=False)


def load_dataset(synthetic: bool = False, sentences_path: str | Path = SENTENCES, labels_path: str | Path = GOLD,
                 synthetic_path: str | Path = SYNTHETIC):
    """The labeled sentences as a Hugging Face ``datasets.Dataset`` in one call.

    ``synthetic=True`` appends the supplement, its rows marked ``source='synthetic'``.

    >>> ds = load_dataset()
    >>> ds.features["label"].names[:3], set(ds["source"])
    (['advance', 'setback', 'casualty'], {'real'})
    """
    frame = load_gold(sentences_path, labels_path)
    if synthetic:
        frame = pd.concat([frame, load_synthetic(synthetic_path)], ignore_index=True)
    return to_hf(frame)
