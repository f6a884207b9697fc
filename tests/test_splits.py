"""Leak-free evaluation splits on the real corpus plus the committed synthetic supplement (training/splits.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from training.dataset import load_gold, load_synthetic
from training.similarity import near_duplicate_pairs
from training.splits import SplitError, check_no_leak, holdout, real_stories, story_folds

REAL_STORIES = ["story-000", "story-002", "story-003", "story-004"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    # as training.train.load_frame builds it with data.use_synthetic=true
    return pd.concat([load_gold(), load_synthetic()], ignore_index=True)


@pytest.fixture(scope="module")
def real_pairs(frame) -> list[tuple[int, int]]:
    """Near-duplicate pairs among the real rows, recomputed from the text (not read from dup_group)."""
    real = np.flatnonzero(frame["source"].to_numpy() == "real")
    return [(int(real[i]), int(real[j])) for i, j in near_duplicate_pairs(frame["text"].iloc[real].tolist())]


@pytest.fixture(scope="module")
def folds(frame):
    return list(story_folds(frame))


def test_frame_has_both_sources(frame):
    assert set(frame["source"]) == {"real", "synthetic"}
    assert real_stories(frame) == REAL_STORIES


def test_one_fold_per_real_story(frame, folds):
    assert [story for story, _, _ in folds] == REAL_STORIES
    synthetic = set(np.flatnonzero(frame["source"].to_numpy() == "synthetic"))
    for story, train, test in folds:
        assert len(test) > 0
        assert set(train).isdisjoint(test) and len(train) + len(test) == len(frame)
        held = frame.iloc[test]
        assert (held["source"] == "real").all(), "a synthetic row is evaluated"
        assert (held["story_id"] == story).all()
        # the whole story is held out, and every synthetic row trains
        assert len(test) == int(((frame["story_id"] == story) & (frame["source"] == "real")).sum())
        assert synthetic <= set(train)
        check_no_leak(frame, train, test)


def test_every_real_row_is_tested_exactly_once(frame, folds):
    tested = np.concatenate([test for _, _, test in folds])
    assert sorted(tested) == sorted(np.flatnonzero(frame["source"].to_numpy() == "real"))


def test_no_duplicate_group_straddles_any_fold(frame, folds):
    for _, train, test in folds:
        assert set(frame["dup_group"].iloc[train]).isdisjoint(frame["dup_group"].iloc[test])


def test_near_duplicates_recomputed_from_text_stay_together(folds, real_pairs):
    assert len(real_pairs) >= 8
    for story, train, test in folds:
        test_set = set(test)
        for i, j in real_pairs:
            assert (i in test_set) == (j in test_set), (story, i, j)


def test_cross_outlet_duplicates_000_001_on_same_side(frame, folds, real_pairs):
    articles = frame["article_id"]
    cross = [(i, j) for i, j in real_pairs if {articles[i], articles[j]} == {"000", "001"}]
    # the wire report printed by two outlets: several sentences repeat
    assert len(cross) >= 4
    for _, train, test in folds:
        side = np.isin(np.arange(len(frame)), test)
        assert all(side[i] == side[j] for i, j in cross)
    # and the articles form one story, so one fold holds both out together
    assert frame.loc[frame["article_id"].isin(["000", "001"]), "story_id"].unique().tolist() == ["story-000"]


def test_holdout_story_002(frame, real_pairs):
    dev, test = holdout(frame, "story-002")
    check_no_leak(frame, dev, test)
    held = frame.iloc[test]
    assert (held["source"] == "real").all() and (held["article_id"] == "002").all()
    assert len(test) == int((frame["article_id"] == "002").sum())
    assert set(dev).isdisjoint(test) and len(dev) + len(test) == len(frame)
    assert set(frame["dup_group"].iloc[dev]).isdisjoint(held["dup_group"])
    test_set = set(test)
    assert all((i in test_set) == (j in test_set) for i, j in real_pairs)


def test_holdout_none_keeps_everything_for_development(frame):
    dev, test = holdout(frame, None)
    assert len(test) == 0 and dev.tolist() == list(range(len(frame)))


def test_folds_are_deterministic(frame, folds):
    again = list(story_folds(frame))
    assert len(again) == len(folds)
    for (s1, tr1, te1), (s2, tr2, te2) in zip(folds, again):
        assert s1 == s2
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(te1, te2)
    d1, t1 = holdout(frame, "story-003")
    d2, t2 = holdout(frame, "story-003")
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(t1, t2)


@pytest.mark.parametrize("story", ["story-001", "story-999", "synthetic"])
def test_unknown_test_story_names_valid_stories(frame, story):
    # story-001 does not exist (001 joins story-000); the synthetic rows are not a story to evaluate
    with pytest.raises(SplitError) as err:
        holdout(frame, story)
    message = str(err.value)
    assert repr(story) in message
    for valid in REAL_STORIES:
        assert valid in message


def test_story_folds_needs_two_stories(frame):
    one = frame[(frame["story_id"] == "story-002") | (frame["source"] == "synthetic")]
    with pytest.raises(SplitError, match="at least 2 stories"):
        list(story_folds(one))


def test_check_no_leak_refuses_a_synthetic_row_in_test(frame, folds):
    _, train, test = folds[1]
    synthetic_row = int(np.flatnonzero(frame["source"].to_numpy() == "synthetic")[0])
    with pytest.raises(SplitError, match="synthetic row"):
        check_no_leak(frame, train[train != synthetic_row], np.append(test, synthetic_row))


def test_check_no_leak_refuses_an_article_split(frame):
    # splitting by article instead of story puts 001's repeats of 000 on the test side
    article = frame["article_id"].to_numpy()
    test = np.flatnonzero(article == "001")
    train = np.flatnonzero(article != "001")
    with pytest.raises(SplitError, match="near-duplicate groups on both sides"):
        check_no_leak(frame, train, test)


def test_check_no_leak_refuses_one_moved_duplicate(frame, folds, real_pairs):
    _, train, test = folds[0]  # story-000 held out
    i, j = next((i, j) for i, j in real_pairs if i in set(test) and j in set(test))
    with pytest.raises(SplitError):
        check_no_leak(frame, np.append(train, j), test[test != j])
