"""``python -m training results``: train every shipped config, write the README results table.

Each config runs exactly as ``python -m training train`` would (MLflow logging and
export included); the table gives leave-one-story-out macro-F1 with its 95% CI,
the held-out test story's macro-F1, accuracy, and wall time on this machine.
"""

from __future__ import annotations

import logging
import os
import platform
import time
from datetime import date
from pathlib import Path

from training.io import ROOT

log = logging.getLogger("training")


def shipped_configs() -> list[Path]:
    return sorted(p for p in (ROOT / "configs").glob("*.yaml") if p.name != "base.yaml")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _ci(m: dict, key: str) -> str:
    if key not in m:
        return "n/a"
    return f"{m[key]:.3f} [{m[f'{key}_ci_low']:.3f}, {m[f'{key}_ci_high']:.3f}]"


def row(path: Path, cfg, m: dict, seconds: float) -> str:
    syn = "yes" if cfg.data.use_synthetic else "no"
    return (f"| `{path.name}` | `{cfg.model.family}` | {syn} | {_ci(m, 'cv_macro_f1')} | {m.get('cv_accuracy', float('nan')):.3f} "
            f"| {_ci(m, 'test_macro_f1')} | {m.get('test_accuracy', float('nan')):.3f} | {seconds / 60:.1f} min |")


def table(rows: list[str]) -> str:
    head = ["| config | family | synthetic | CV macro-F1 [95% CI] | CV accuracy | test macro-F1 [95% CI] "
            "| test accuracy | train time |", "|---|---|---|---|---|---|---|---|"]
    foot = ["", f"Measured {date.today().isoformat()} on {machine()} with `make results`. CV: leave-one-story-out "
            "over the development stories (story-000, story-003, story-004; 118 real sentences), predictions pooled "
            "across folds; test: story-002 (28 real sentences, no `quote`). Train time covers the CV folds, the final "
            "fit, evaluation and export."]
    return "\n".join(head + rows + foot)


def write_results(configs: list[str] | None = None, readme: Path = ROOT / "README.md") -> str:
    from training.config import load_config
    from training.io import write_block
    from training.train import train

    rows = []
    for path in [Path(c) for c in configs] if configs else shipped_configs():
        cfg = load_config(path)
        log.info("== %s", path.name)
        started = time.perf_counter()
        metrics = train(cfg, str(path.relative_to(ROOT) if path.is_absolute() else path))
        rows.append(row(path, cfg, metrics, time.perf_counter() - started))
    body = table(rows)
    write_block(readme, "results", body)
    print(body)
    return body
