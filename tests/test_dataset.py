"""The sentence table, the manifest, the gold labels and loading (training/dataset.py)."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from training.dataset import (
    GOLD,
    LABELS,
    SENTENCES,
    DataError,
    build_sentences,
    load_dataset,
    load_gold,
    load_synthetic,
    read_labels,
    read_manifest,
    read_sentences,
    sentence_id,
)
from training.io import ROOT, project_path

RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def built() -> pd.DataFrame:
    return build_sentences()


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return read_sentences()


# --- the sentence table ---------------------------------------------------------------------------


def test_build_sentences_reproduces_committed_table(built, committed):
    pd.testing.assert_frame_equal(built.reset_index(drop=True), committed.reset_index(drop=True), check_dtype=False)


def test_build_sentences_is_deterministic(built):
    pd.testing.assert_frame_equal(build_sentences(), built)


def test_sentence_ids_unique_and_derived_from_text(committed):
    assert committed["sentence_id"].is_unique
    for row in committed.itertuples():
        assert row.sentence_id == sentence_id(row.article_id, row.text)
    # article id plus a hash of the normalised text (case and punctuation folded)
    sid = committed.loc[committed["text"] == "Sirte was Gadhafi’s birthplace.", "sentence_id"].item()
    assert sid == "000-" + hashlib.sha1(b"sirte was gadhafi s birthplace").hexdigest()[:8]
    assert sentence_id("000", "Sirte was Gadhafi's birthplace") == sid
    assert sentence_id("000", "Sirte was Qaddafi’s birthplace.") != sid


def test_positions_are_consecutive_per_article(committed):
    for _, group in committed.groupby("article_id"):
        assert group["position"].tolist() == list(range(len(group)))


def test_stories(committed):
    stories = committed.groupby("article_id")["story_id"].unique().map(list).to_dict()
    assert stories == {"000": ["story-000"], "001": ["story-000"], "002": ["story-002"],
                       "003": ["story-003"], "004": ["story-004"]}


def test_same_sentence_in_two_outlets_gets_two_ids_one_group(committed):
    # 000 and 001 print "Along with the 36 militiamen killed, ..." word for word.
    rows = committed[committed["text"].str.startswith("Along with the 36 militiamen killed")]
    assert sorted(rows["article_id"]) == ["000", "001"]
    assert rows["sentence_id"].nunique() == 2 and rows["dup_group"].nunique() == 1


def test_photo_caption_is_not_a_near_duplicate_of_a_body_sentence(built):
    # data/raw/002: the caption "the militant Islamic State Abu Bakr al-Baghdadi" (7 content tokens) is
    # contained 6/7 in an unrelated body sentence that names al-Baghdadi; it is not a repeat of it.
    caption = built.loc[built["text"] == "the militant Islamic State Abu Bakr al-Baghdadi", "dup_group"].item()
    assert (built["dup_group"] == caption).sum() == 1


def test_pull_quotes_stay_grouped_with_the_sentence_they_repeat(built):
    # data/raw/003: pull quotes cut from body sentences are near duplicates of them (containment 1.0).
    def group(prefix):
        return built.loc[built["text"].str.startswith(prefix), "dup_group"].tolist()

    assert group("Recapturing Raqqa would deal") == group("But recapturing the heavily bombed city")
    assert len(set(group("“The fight against Daesh") + group("“Trust me."))) == 1


# --- the manifest -------------------------------------------------------------------------------


def test_manifest_digests_match_raw_files():
    manifest = read_manifest()
    assert sorted(manifest["file"]) == sorted(p.name for p in RAW.glob("*.txt"))
    for row in manifest.itertuples():
        assert hashlib.sha256((RAW / row.file).read_bytes()).hexdigest() == row.sha256


@pytest.fixture
def raw_copy(tmp_path):
    dest = tmp_path / "raw"
    shutil.copytree(RAW, dest)
    return dest


def test_unedited_copy_of_raw_passes(raw_copy):
    assert len(read_manifest(raw_copy)) == 5


def test_edited_raw_file_is_refused(raw_copy):
    target = "003_bf79ee3c03d3ef0c.txt"
    with (raw_copy / target).open("ab") as fh:
        fh.write(b" ")
    line = next(i for i, text in enumerate((raw_copy / "manifest.csv").read_text().splitlines(), 1) if target in text)
    for call in (read_manifest, build_sentences):
        with pytest.raises(DataError) as err:
            call(raw_copy)
        message = str(err.value)
        assert "manifest.csv" in message and target in message
        assert f"manifest.csv:{line}:" in message
        assert len(err.value.problems) == 1


def test_unlisted_raw_file_is_refused(raw_copy):
    (raw_copy / "005_extra.txt").write_text("ISIS fled.", encoding="utf-8")
    with pytest.raises(DataError, match=r"005_extra\.txt is in .* but not in the manifest"):
        read_manifest(raw_copy)


# --- gold labels ------------------------------------------------------------------------------------


def test_committed_gold_labels_join():
    gold = load_gold()
    assert len(gold) == 146
    assert set(gold["label"]) == set(LABELS)
    assert gold["label"].notna().all() and (gold["source"] == "real").all()
    # every committed sentence is labelled exactly once
    assert sorted(gold["sentence_id"]) == sorted(read_sentences()["sentence_id"])


def _gold_lines() -> list[str]:
    return project_path(GOLD).read_text(encoding="utf-8").splitlines()


def _write(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line_of(lines: list[str], sid: str) -> int:
    return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{sid},"))


def _relabel(lines: list[str], sid: str, label: str) -> int:
    """Give sentence ``sid`` the (bad) ``label`` in ``lines``; return its 1-based line."""
    line = _line_of(lines, sid)
    _, _, rest = lines[line - 1].split(",", 2)
    lines[line - 1] = f"{sid},{label},{rest}"
    return line


def test_gold_file_is_one_row_per_line():
    # the line arithmetic in the tests below relies on it
    lines = _gold_lines()
    with project_path(GOLD).open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(lines) - 1


def test_orphaned_label_names_file_and_line(tmp_path):
    lines = _gold_lines() + ["000-deadbeef,other,,A sentence the cleaner no longer produces."]
    path = _write(tmp_path / "gold.csv", lines)
    with pytest.raises(DataError) as err:
        load_gold(SENTENCES, path)
    assert f"{path}:{len(lines)}:" in str(err.value)
    assert "orphaned" in str(err.value) and "000-deadbeef" in str(err.value)
    assert len(err.value.problems) == 1


def test_unlabeled_sentence_names_file_and_id(tmp_path):
    lines = _gold_lines()
    sid = "003-db23c0f6"  # the 003 lead
    del lines[_line_of(lines, sid) - 1]
    path = _write(tmp_path / "gold.csv", lines)
    with pytest.raises(DataError) as err:
        load_gold(SENTENCES, path)
    assert str(path) in str(err.value) and f"unlabeled sentence '{sid}'" in str(err.value)
    assert len(err.value.problems) == 1


def test_unknown_label_names_file_and_line(tmp_path):
    lines = _gold_lines()
    line = _relabel(lines, "004-e103569b", "victory")
    path = _write(tmp_path / "gold.csv", lines)
    with pytest.raises(DataError) as err:
        read_labels(path)
    assert f"{path}:{line}: unknown label 'victory'" in str(err.value)


def test_duplicate_sentence_id_names_first_occurrence(tmp_path):
    lines = _gold_lines()
    first = _line_of(lines, "002-37099675")
    lines.append(lines[first - 1])
    path = _write(tmp_path / "gold.csv", lines)
    with pytest.raises(DataError) as err:
        read_labels(path)
    assert f"{path}:{len(lines)}: duplicate sentence_id '002-37099675' (first on line {first})" in str(err.value)


def test_missing_labels_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_labels(tmp_path / "nope.csv")


# --- loading for training ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hf_real():
    return load_dataset()


def test_load_dataset_real(hf_real):
    import datasets

    assert isinstance(hf_real, datasets.Dataset)
    feature = hf_real.features["label"]
    assert isinstance(feature, datasets.ClassLabel) and feature.names == list(LABELS)
    assert set(hf_real["source"]) == {"real"}
    gold = load_gold()
    assert hf_real["sentence_id"] == gold["sentence_id"].tolist()
    assert feature.int2str(hf_real["label"]) == gold["label"].tolist()


def test_load_dataset_with_synthetic(hf_real):
    ds = load_dataset(synthetic=True)
    assert set(ds["source"]) == {"real", "synthetic"}
    assert ds.features["label"].names == list(LABELS)
    n_syn = len(load_synthetic())
    assert len(ds) == len(hf_real) + n_syn
    assert sum(s == "synthetic" for s in ds["source"]) == n_syn
    # synthetic rows never belong to a real story
    assert {st for st, src in zip(ds["story_id"], ds["source"]) if src == "synthetic"} == {"synthetic"}


# --- the command line ------------------------------------------------------------------------------


def test_cli_validate_reports_file_and_line(tmp_path):
    lines = _gold_lines()
    line = _relabel(lines, "001-0fb0508c", "setbak")
    bad = _write(tmp_path / "bad_gold.csv", lines)
    proc = subprocess.run(
        [sys.executable, "-m", "training", "validate", "--labels", str(bad)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode != 0
    assert f"{bad}:{line}:" in proc.stderr + proc.stdout
    assert "validation passed" not in proc.stdout


def test_cli_validate_works_from_any_folder(tmp_path):
    # Paths are project-relative, not cwd-relative: the supplement is found from elsewhere too.
    proc = subprocess.run([sys.executable, "-m", "training", "validate"], cwd=tmp_path,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "synthetic supplement: 1793 rows (training only)" in proc.stdout
