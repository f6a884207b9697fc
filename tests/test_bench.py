"""`run_bench` on a tiny exported model: the table has its row, and every number parses and is positive."""

from __future__ import annotations

import pytest

from training.bench import RAW, run_bench

pytestmark = pytest.mark.slow


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by their first cell."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| model ")]
    return {cells[0]: cells for cells in rows}


def test_bench_writes_a_row_per_model_with_positive_numbers(exported_model, tmp_path):
    out = tmp_path / "bench" / "README.md"
    returned = run_bench([str(exported_model)], str(out), n_single=5, n_batch=64, repeats=1)
    text = out.read_text(encoding="utf-8")
    rows = table_rows(text)
    assert set(rows) == {RAW, exported_model.name}
    row = rows[exported_model.name]
    assert row[1] == "tfidf_logreg"
    load_s, first_s, b1, b64, peak_mb = (float(row[i]) for i in (2, 3, 4, 5, 7))
    assert min(load_s, first_s, b1, b64, peak_mb) > 0
    assert first_s >= load_s
    assert float(row[6].rstrip("%")) > 0
    assert row[8] == row[9] == "—", "targets apply to encoder families only"
    assert rows[RAW][6] == "100%" and float(rows[RAW][5]) > 0
    assert "## Machine" in text and "nproc" in text and "torch" in text
    assert [r["model"] for r in returned] == [RAW, exported_model.name]
    assert not list(out.parent.glob(".*.tmp")), "the write is atomic: no temporary file left behind"


def test_bench_rejects_a_folder_that_is_not_an_export(tmp_path):
    with pytest.raises(FileNotFoundError, match="MLmodel"):
        run_bench([str(tmp_path)], str(tmp_path / "out.md"))
    assert not (tmp_path / "out.md").exists()
