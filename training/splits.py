"""Leak-free evaluation splits: whole stories are held out, synthetic rows only train.

A story is a set of articles that share near-duplicate sentences, so holding out
whole stories also keeps every near-duplicate group on one side.

>>> import pandas as pd
>>> f = pd.DataFrame({"story_id": ["a", "a", "b", "c", "synthetic"], "source": ["real"] * 4 + ["synthetic"]})
>>> [(tr.tolist(), te.tolist()) for _, tr, te in story_folds(f)]
[([2, 3, 4], [0, 1]), ([0, 1, 3, 4], [2]), ([0, 1, 2, 4], [3])]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd


class SplitError(ValueError):
    pass


def real_stories(frame: pd.DataFrame) -> list[str]:
    return sorted(frame.loc[frame["source"] == "real", "story_id"].unique())


def holdout(frame: pd.DataFrame, test_story: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(development rows, test rows): the test story's real sentences vs everything else.

    With ``test_story=None`` every row is development and the test set is empty.
    """
    real = (frame["source"] == "real").to_numpy()
    if test_story is None:
        return np.flatnonzero(np.ones(len(frame), bool)), np.array([], dtype=int)
    stories = real_stories(frame)
    if test_story not in stories:
        raise SplitError(f"eval.test_story={test_story!r} is not a story of the data; expected one of {stories}")
    is_test = real & (frame["story_id"] == test_story).to_numpy()
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def story_folds(frame: pd.DataFrame) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Leave-one-story-out folds over ``frame``: (held-out story, train rows, test rows).

    Test rows are that story's real sentences; synthetic rows are always in train.
    Deterministic: stories in sorted order, rows in frame order.
    """
    stories = real_stories(frame)
    if len(stories) < 2:
        raise SplitError(f"leave-one-story-out needs at least 2 stories, found {stories}")
    real = (frame["source"] == "real").to_numpy()
    for story in stories:
        is_test = real & (frame["story_id"] == story).to_numpy()
        yield story, np.flatnonzero(~is_test), np.flatnonzero(is_test)


def check_no_leak(frame: pd.DataFrame, train_idx: np.ndarray, test_idx: np.ndarray) -> None:
    """Raise if a synthetic row is evaluated or a near-duplicate group straddles the split."""
    test = frame.iloc[test_idx]
    if (test["source"] != "real").any():
        raise SplitError("a synthetic row is in an evaluation split")
    shared = set(frame.iloc[train_idx]["dup_group"]) & set(test["dup_group"])
    if shared:
        raise SplitError(f"near-duplicate groups on both sides of a split: {sorted(shared)[:5]}")
