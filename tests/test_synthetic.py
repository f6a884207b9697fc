"""The committed synthetic supplement and its build and checks (training/synthetic.py).

``leaks``, ``check`` and ``build`` run the real MiniLM encoder. The encoder is shared
in-process and caches every sentence's vector, so the corpus is encoded once for the
whole session (the first of these tests pays for it).
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from training import synthetic
from training.dataset import LABELS, SYNTHETIC, SYNTHETIC_COLUMNS, DataError, load_synthetic, read_sentences
from training.io import project_path
from training.similarity import near_duplicate_pairs

SOURCE = project_path("data/synthetic")


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    """The committed CSV read as plain text, independent of load_synthetic's own checks."""
    return pd.read_csv(project_path(SYNTHETIC), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    return read_sentences()["text"].tolist()


@pytest.fixture
def source_copy(tmp_path):
    """parts/ and annotation/ copied, so build() writes its sentences.csv under tmp_path."""
    for sub in ("parts", "annotation"):
        shutil.copytree(SOURCE / sub, tmp_path / sub)
    return tmp_path


# --- the committed file -----------------------------------------------------------------------------


def test_size_and_label_balance(committed):
    assert list(committed.columns) == SYNTHETIC_COLUMNS
    assert len(committed) >= 1500
    counts = committed["label"].value_counts()
    assert set(counts.index) == set(LABELS)
    assert counts.min() >= 200, counts.to_dict()


def test_rows_are_synthetic_with_unique_prefixed_ids(committed):
    assert (committed["source"] == "synthetic").all()
    assert committed["sentence_id"].is_unique
    assert committed["sentence_id"].str.fullmatch(r"syn-[0-9a-f]{10}").all()
    assert committed["text"].str.strip().ne("").all()


def test_load_synthetic_marks_training_only_rows(committed):
    frame = load_synthetic()
    assert len(frame) == len(committed)
    assert set(frame["story_id"]) == {"synthetic"} and set(frame["dup_group"]) == {"synthetic"}
    assert frame["hard_case"].dtype == bool and frame["hard_case"].any() and not frame["hard_case"].all()


def test_no_near_duplicates_inside_the_supplement(committed):
    assert near_duplicate_pairs(committed["text"].tolist()) == []


def test_no_synthetic_text_equals_a_real_one(committed, real_texts):
    assert not set(committed["text"]) & set(real_texts)


# --- closeness to the real corpus ---------------------------------------------------------------------


def test_too_close_by_words_flags_a_copied_real_sentence(real_texts):
    # data/raw/004, one word changed (Wednesday -> Thursday)
    original = ("Rebel fighters in Marea broke the siege on Wednesday when they captured the village of Kafr Kalbin "
                "on the road linking Marea with Azaz, 20 km (12 miles) to the northwest at the border with Turkey.")
    assert original in real_texts
    assert synthetic.too_close_by_words(original.replace("Wednesday", "Thursday"), real_texts)
    # data/raw/001, ISIS spelled "Daesh" and one word changed
    assert synthetic.too_close_by_words(
        "Daesh militants reportedly have hunkered down at their base in the sprawling Ouagadougou convention "
        "center built by the late dictator Muammar Qaddafi.", real_texts)


def test_too_close_by_words_passes_unrelated_sentences(real_texts, committed):
    assert not synthetic.too_close_by_words(
        "Fishermen on Lake Chad say the water has retreated so far that their boats now sit in sand.", real_texts)
    assert not synthetic.too_close_by_words(committed["text"].iloc[0], real_texts)


PARAPHRASE_WORDS = "Assad has waged a civil war against many enemies for five years."  # 004, words shared
PARAPHRASE_MEANING = ("Heavy clashes with Islamic State in the coastal Libyan city of Sirte killed 36 militia fighters "
                      "loyal to the UN-brokered government.")  # 001, mostly new words, same meaning
UNRELATED = ["Fishermen on Lake Chad say the water has retreated so far that their boats now sit in sand.",
             "The recipe calls for two cups of flour and a pinch of salt."]


def test_leaks_flags_paraphrases_and_passes_unrelated(real_texts):
    frame = pd.DataFrame({"text": UNRELATED[:1] + [PARAPHRASE_WORDS, PARAPHRASE_MEANING] + UNRELATED[1:]})
    bad = synthetic.leaks(frame, read_sentences())
    assert set(bad["text"]) == {PARAPHRASE_WORDS, PARAPHRASE_MEANING}
    nearest = dict(zip(bad["text"], bad["nearest_real"]))
    assert nearest[PARAPHRASE_WORDS] == "Assad has been fighting a civil war against a range of enemies for five years."
    assert nearest[PARAPHRASE_MEANING].startswith("In Libya’s coastal city of Sirte, fierce fighting with ISIS militants")
    # the second paraphrase shares too few words: only the embedding catches it
    row = bad.set_index("text").loc[PARAPHRASE_MEANING]
    assert not row["word_overlap"] and row["cosine"] >= synthetic.EMBED_MAX


def test_closeness_scores_unrelated_sentences_low(real_texts):
    close = synthetic.closeness(UNRELATED, real_texts)
    assert (close["cosine"] < 0.6).all() and not close["word_overlap"].any()


def test_check_passes_on_committed_file(committed):
    assert synthetic.check() == len(committed)


def test_check_refuses_a_supplement_with_a_real_sentence(tmp_path, committed, real_texts):
    leaked = committed.head(20).copy()
    leaked.loc[leaked.index[3], "text"] = real_texts[40]
    path = tmp_path / "sentences.csv"
    leaked.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        synthetic.check(path)
    assert len(err.value.problems) == 1 and str(path) in str(err.value)


# --- build ------------------------------------------------------------------------------------------------


def test_build_reproduces_committed_file(source_copy, committed):
    stats = synthetic.build(source_copy)
    out = source_copy / "sentences.csv"
    assert out.read_bytes() == project_path(SYNTHETIC).read_bytes()
    assert stats["rows"] == len(committed)
    n_parts = sum(1 for p in (source_copy / "parts").glob("w*.jsonl")
                  for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    assert stats["annotated"] == n_parts
    assert stats["annotated"] == stats["rows"] + stats["dropped_ambiguous"] + stats["near_duplicates_removed"]
    assert 0.9 <= stats["agreement"] <= 1.0 and stats["kappa"] > 0.8


def _disagreements(root) -> pd.DataFrame:
    parts = synthetic.read_parts(root)
    blind = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                       for p in sorted((root / "annotation").glob("labels_*.csv"))])
    both = parts.merge(blind, on="cid", suffixes=("", "_b"))
    return both[both["label"] != both["label_b"]]


def test_undecided_disagreement_is_refused(source_copy):
    disagreements = _disagreements(source_copy)
    assert len(disagreements) > 0
    cid = disagreements["cid"].iloc[0]
    adjudication = source_copy / "annotation" / "adjudication.csv"
    table = pd.read_csv(adjudication, dtype=str, keep_default_na=False)
    assert cid in set(table["cid"])
    table[table["cid"] != cid].to_csv(adjudication, index=False)
    with pytest.raises(DataError) as err:
        synthetic.build(source_copy)
    assert "adjudication.csv" in str(err.value) and cid in str(err.value)
    assert len(err.value.problems) == 1
    assert not (source_copy / "sentences.csv").exists()


def test_missing_second_label_is_refused(source_copy):
    labels = source_copy / "annotation" / "labels_2.csv"
    table = pd.read_csv(labels, dtype=str, keep_default_na=False)
    table.iloc[1:].to_csv(labels, index=False)
    with pytest.raises(DataError, match=f"no second label for {table['cid'].iloc[0]}"):
        synthetic.build(source_copy)


# --- diversity --------------------------------------------------------------------------------------------


def test_diversity_on_a_hand_computed_example():
    stats = synthetic.diversity(["ISIS fled Manbij.", "ISIS fled."])
    # tokens: isis fled manbij isis fled -> 2 sentences, 3 + 2 words, 3 distinct words;
    # a 5-token window holds 3 types; bigrams (isis fled) (fled manbij) (isis fled) -> 2 of 3 distinct
    assert stats == pytest.approx({"sentences": 2, "mean_words": 2.5, "median_words": 2.5, "p10_words": 2.1,
                                   "p90_words": 2.9, "ttr_at_5": 0.6, "distinct_bigrams": 2 / 3, "vocabulary": 3})


def test_diversity_of_committed_supplement(committed, real_texts):
    texts = committed["text"].tolist()
    stats = synthetic.diversity(texts)
    assert stats == synthetic.diversity(texts)  # seeded
    assert stats["sentences"] == len(texts)
    assert stats["p10_words"] <= stats["median_words"] <= stats["p90_words"]
    assert stats["p10_words"] < stats["mean_words"] < stats["p90_words"]
    assert 8 <= stats["mean_words"] <= 40  # news sentences, not fragments or paragraphs
    assert 0.2 < stats["ttr_at_2000"] < 1
    assert 0.5 < stats["distinct_bigrams"] <= 1
    assert stats["vocabulary"] > 2000
    # repeating the same sentences adds no vocabulary and lowers the type-token ratio
    doubled = synthetic.diversity(texts[:20] * 100)  # ~500 tokens repeated: a 2000-token window sees each 4 times
    assert doubled["vocabulary"] == synthetic.diversity(texts[:20])["vocabulary"]
    assert doubled["ttr_at_2000"] < stats["ttr_at_2000"]
    assert doubled["distinct_bigrams"] < stats["distinct_bigrams"]
    # the supplement has a vocabulary of the same kind as the real corpus: most real words occur in it
    real_vocab = {w for t in real_texts for w in re.findall(r"[a-z]+", t.lower())}
    syn_vocab = {w for t in texts for w in re.findall(r"[a-z]+", t.lower())}
    assert len(real_vocab & syn_vocab) / len(real_vocab) > 0.4
