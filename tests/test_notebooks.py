"""The notebooks run top to bottom and show what they promise.

Each notebook is read from ``notebooks/``, its outputs cleared, executed in a
fresh ``python3`` kernel (started in ``notebooks/``, as Jupyter would) and
written to ``tmp_path``: the committed notebooks are never overwritten. The
error-analysis notebook runs against a tiny TF-IDF run trained into the test's
temporary MLflow store.
"""

from __future__ import annotations

import nbformat
import pytest
from mlflow import MlflowClient
from nbclient import NotebookClient

from training.io import ROOT

NOTEBOOKS = ROOT / "notebooks"
EXPLORATION = "1.0-data-exploration.ipynb"
ERROR_ANALYSIS = "2.0-error-analysis.ipynb"


def execute(name: str, out_dir) -> nbformat.NotebookNode:
    """Execute a cleared copy of ``notebooks/<name>``; save it under ``out_dir``; return it."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    nbformat.write(nb, out_dir / name)
    return nb


def outputs(nb: nbformat.NotebookNode) -> list:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def images(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(nb))


def text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for o in outputs(nb):
        parts.append(o.get("text", ""))
        parts.append(o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_data_exploration_notebook(tmp_path):
    nb = execute(EXPLORATION, tmp_path)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    # label bars, real lengths, label mix, length overlay, fronts/styles
    assert images(nb) >= 5, f"expected at least 5 figures, got {images(nb)}"
    shown = text(nb)
    assert "146 real sentences" in shown
    assert "groups with more than one member" in shown
    assert "ttr_at_" in shown and "distinct_bigrams" in shown  # training.synthetic.diversity, side by side
    assert "hard cases:" in shown


def test_error_analysis_notebook(tmp_path, tiny_config, mlflow_uri, monkeypatch):
    from training.analysis import find_run
    from training.train import train

    metrics = train(tiny_config)
    run_id = metrics["run_id"]

    # The default is the latest *parent* run: its fold runs started later and must be skipped.
    assert find_run("tests", tracking_uri=mlflow_uri).info.run_id == run_id
    folds = MlflowClient(mlflow_uri).search_runs(
        [find_run("tests", tracking_uri=mlflow_uri).info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{run_id}'")
    assert folds, "the tiny run should have nested fold runs"
    with pytest.raises(ValueError, match="fold run"):
        find_run(run_id=folds[0].info.run_id, tracking_uri=mlflow_uri)

    # The kernel inherits this environment: the temporary store, the tests experiment, no pinned run.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_uri)
    monkeypatch.setenv("ERROR_ANALYSIS_EXPERIMENT", "tests")
    monkeypatch.delenv("ERROR_ANALYSIS_RUN_ID", raising=False)
    nb = execute(ERROR_ANALYSIS, tmp_path)

    assert not [o for o in outputs(nb) if o.output_type == "error"]
    shown = text(nb)
    assert f"run id:      {run_id}" in shown, "the notebook must say which run it analysed"
    assert mlflow_uri in shown
    assert f"macro-F1 {metrics['cv_macro_f1']:.3f}" in shown  # the CI line, read back from MLflow
    assert f"macro-F1 {metrics['test_macro_f1']:.3f}" in shown
    # confusion matrices for cv and test, confidence histogram, reliability diagram
    assert images(nb) >= 4, f"expected at least 4 figures, got {images(nb)}"


@pytest.mark.parametrize("name", [EXPLORATION, ERROR_ANALYSIS])
def test_committed_notebooks_keep_their_outputs(name):
    """Committed with outputs: every code cell was executed, in order, and the figures are there."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in cells]
    assert None not in counts and counts == sorted(counts), f"{name}: not executed top to bottom: {counts}"
    assert images(nb) >= 4
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert any(c.cell_type == "markdown" for c in nb.cells)
