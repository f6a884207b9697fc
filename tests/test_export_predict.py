"""The exported model: predict() contract, atomic export, the predict CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from training import Prediction, load_model, predict
from training.dataset import LABELS
from training.export import export_model
from training.io import ROOT
from training.models import build

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}


def test_export_folder_is_a_complete_pyfunc(exported_model):
    for name in ("MLmodel", "README.md", "requirements.txt", "input_example.json", "training_info.json",
                 "artifacts/model/meta.json", "code/training/predict.py"):
        assert (exported_model / name).exists(), name
    from mlflow.models import Model

    sig = Model.load(str(exported_model)).signature
    assert sig.inputs.input_names() == ["text"] and sig.inputs.input_types()[0].name == "string"
    assert sig.outputs.input_names() == ["label", "score", *[f"score_{label}" for label in LABELS]]
    requirements = (exported_model / "requirements.txt").read_text()
    assert "torch==2.13.0" in requirements and "mlflow==" in requirements
    card = (exported_model / "README.md").read_text()
    assert "95% CI" in card and "Intended use and limits" in card


def test_predict_list_and_single(exported_model):
    preds = predict(["Twelve soldiers were killed in the ambush.", "IS fighters fled the town."], model=exported_model)
    assert len(preds) == 2 and all(isinstance(p, Prediction) for p in preds)
    for p in preds:
        assert p.label in LABELS
        assert set(p.scores) == set(LABELS)
        assert p.score == pytest.approx(max(p.scores.values()))
        assert sum(p.scores.values()) == pytest.approx(1.0)
    single = predict("Twelve soldiers were killed in the ambush.", model=exported_model)
    assert single == preds[0]


def test_load_model_is_cached_and_behaves_like_predict(exported_model):
    model = load_model(exported_model)
    assert load_model(str(exported_model)) is model
    assert model.predict(["A sentence about Mosul."]) == predict(["A sentence about Mosul."], model=exported_model)


@pytest.mark.parametrize("bad, error, message", [
    (["fine sentence", None], TypeError, r"texts\[1\] is NoneType, expected str"),
    (["fine sentence", 42], TypeError, r"texts\[1\] is int, expected str"),
    (["ok", "   "], ValueError, r"texts\[1\] is empty or blank"),
    ([""], ValueError, r"texts\[0\] is empty or blank"),
    (None, TypeError, "texts must be a str or a list of str"),
])
def test_bad_input_names_the_index(exported_model, bad, error, message):
    with pytest.raises(error, match=message):
        predict(bad, model=exported_model)


def test_empty_list_and_long_text(exported_model):
    assert predict([], model=exported_model) == []
    long = " ".join(["Iraqi forces advanced on the town."] * 300)
    assert predict(long, model=exported_model).label in LABELS


def test_missing_model_folder_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="not an exported model folder"):
        load_model(tmp_path)


def test_interrupted_export_keeps_the_previous_model(exported_model, tmp_path):
    target = tmp_path / "models" / "m"
    model = build("tfidf_logreg").fit(["IS fled.", "Ten were killed."], ["advance", "casualty"])
    info = json.loads((exported_model / "training_info.json").read_text())
    export_model(model, target, info)
    before = (target / "MLmodel").read_text()

    class Broken:
        def save(self, path):
            raise KeyboardInterrupt("interrupted mid-export")

    with pytest.raises(KeyboardInterrupt):
        export_model(Broken(), target, info)
    assert (target / "MLmodel").read_text() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["m"]  # no half-written folder left


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "training", "-q", "predict", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, env=ENV, timeout=300)


def test_cli_formats_and_sources(exported_model, tmp_path):
    table = _cli("Ten people were killed.", "--model", str(exported_model))
    assert table.returncode == 0 and table.stdout.splitlines()[0].startswith("label")
    lines = tmp_path / "in.txt"
    lines.write_text("Ten people were killed.\n\nIS fled the city.\n")
    jsonl = _cli("--input", str(lines), "--format", "jsonl", "--model", str(exported_model))
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Ten people were killed.", "IS fled the city."]
    assert all(set(r["scores"]) == set(LABELS) for r in rows)
    csv_out = _cli("--format", "csv", "--model", str(exported_model), stdin="IS fled the city.\n")
    assert csv_out.stdout.splitlines()[0].startswith("text,label,score,score_advance")
    article = _cli("--article", str(ROOT / "data/raw/004_963d639acda7667b.txt"), "--format", "jsonl",
                   "--model", str(exported_model))
    assert len(article.stdout.splitlines()) == 26  # the cleaned, segmented article
    assert "Powered by" not in article.stdout


def test_cli_reports_bad_input(exported_model):
    missing = _cli("--input", "/nonexistent/file.txt", "--model", str(exported_model))
    assert missing.returncode == 2 and "No such file" in missing.stderr
