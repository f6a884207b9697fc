"""Speed of every exported model against the raw encoder, each measured in fresh processes.

    python -m training bench [--models models/embed ...] [--out benchmarks/README.md]

Per model: cold load (``from training import load_model; load_model(path)``, imports
included, median of 3 fresh processes), the same plus one prediction (what a lazily
loaded encoder costs shows there), sentences/second of ``Model.predict`` at
batch 1 and 64 after a warm-up call, and peak memory (``ru_maxrss``). The raw
encoder row (tokenize + MiniLM forward + mean pooling) is the ceiling for the
encoder families. Real sentences of ``data/processed/sentences.csv`` are cycled;
Every in-process encoder cache (``embed_logreg``, ``setfit``) is cleared before every call so each
sentence is encoded, as an unseen sentence would be.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from training.io import ROOT, atomic_write_text, project_path

log = logging.getLogger("training")
ENCODER_FAMILIES = ("embed_logreg", "setfit", "finetune")
TARGET_SHARE, TARGET_LOAD = 80.0, 3.0
RAW = "raw encoder (all-MiniLM-L6-v2)"

# Runs in a fresh interpreter: argv = kind, path, n_single, n_batch, full; texts come on stdin.
CHILD = r"""
import time; start = time.perf_counter()
import json, resource, sys
kind, path, n1, n64, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
if kind == "model":
    from training import load_model
    predict = load_model(path).predict
else:
    import torch
    from transformers import AutoModel, AutoTokenizer
    from training.models.encoder import MAX_TOKENS, encoder_path, mean_pool
    tok, enc = AutoTokenizer.from_pretrained(encoder_path()), AutoModel.from_pretrained(encoder_path()).eval()
    def predict(batch):
        x = tok(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with torch.inference_mode():
            return mean_pool(enc(**x).last_hidden_state, x["attention_mask"]).numpy()
load_s = time.perf_counter() - start
texts = json.load(sys.stdin)
def call(batch):
    mod = sys.modules.get("training.models.encoder")
    if mod is not None:
        mod.Encoder.clear_caches()
    predict(batch)
call(texts[:1])
out = {"load_s": load_s, "first_s": time.perf_counter() - start}
if full:
    call(texts[1:65])
    for key, size, part in (("b1", 1, texts[65:65 + n1]), ("b64", 64, texts[65 + n1:65 + n1 + n64])):
        t = time.perf_counter()
        for i in range(0, len(part), size):
            call(part[i:i + size])
        out[key] = len(part) / (time.perf_counter() - t)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("BENCH " + json.dumps(out))
"""


def find_models(models: list[str] | None) -> list[Path]:
    """The given folders, or every folder under models/ that holds an MLmodel file."""
    if not models:
        return sorted(p.parent for p in project_path("models").glob("*/MLmodel") if not p.parent.name.startswith("."))
    paths = [(Path(m) if Path(m).exists() else project_path(m)).resolve() for m in models]
    for p in paths:
        if not (p / "MLmodel").exists():
            raise FileNotFoundError(f"{p}: not an exported model folder (no MLmodel)")
    return paths


def family_of(path: Path) -> str:
    return json.loads((path / "artifacts" / "model" / "meta.json").read_text(encoding="utf-8"))["family"]


def bench_texts(n: int) -> list[str]:
    """``n`` real sentences, cycling through the corpus."""
    import pandas as pd

    real = pd.read_csv(project_path("data/processed/sentences.csv"), dtype=str, keep_default_na=False)["text"]
    real = [t for t in real.tolist() if t.strip()]
    return [real[i % len(real)] for i in range(n)]


def run_child(kind: str, path: str, texts: list[str], n1: int, n64: int, full: bool) -> dict:
    """One fresh interpreter; its measurements as a dict."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               TQDM_DISABLE="1")
    done = subprocess.run([sys.executable, "-c", CHILD, kind, path, str(n1), str(n64), "1" if full else "0"],
                          input=json.dumps(texts), capture_output=True, text=True, cwd=ROOT, env=env, timeout=1800)
    lines = [x for x in done.stdout.splitlines() if x.startswith("BENCH ")]
    if done.returncode or not lines:
        raise RuntimeError(f"bench of {path or kind} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(lines[-1][len("BENCH "):])


def measure(kind: str, path: str, texts: list[str], n1: int, n64: int, repeats: int) -> dict:
    """Throughput and memory from one process; load times are medians over ``repeats`` processes."""
    runs = [run_child(kind, path, texts, n1, n64, full=(i == 0)) for i in range(repeats)]
    return runs[0] | {k: statistics.median(r[k] for r in runs) for k in ("load_s", "first_s")}


def _cpu_seconds() -> tuple[float, float]:
    """(CPU seconds used by the whole machine, by this process and its children)."""
    import psutil

    t = psutil.cpu_times()
    mine = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
    return t.user + t.system + t.nice + getattr(t, "irq", 0) + getattr(t, "softirq", 0), mine


def machine(background_cores: float) -> list[str]:
    """Where and when it ran, and how busy the machine was with other work."""
    import psutil

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown")
    n = os.cpu_count() or 1
    busy = (f"**busy**: other processes used {background_cores:.1f} of {n} cores on average during the run, "
            "so these numbers are pessimistic; batch 1 suffers most (torch's intra-op threads "
            "contend with the other work for the same cores)" if background_cores > 0.25 else
            f"idle (other processes used {background_cores:.2f} of {n} cores on average)")
    return [f"- Platform: {platform.platform()}, Python {platform.python_version()}, torch {version('torch')}",
            f"- CPU: {cpu}, {n} cores (nproc); RAM {psutil.virtual_memory().total / 2**30:.1f} GiB",
            f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; machine {busy}"]


def _row(r: dict, raw64: float) -> str:
    share = 100 * r["b64"] / raw64
    enc = r["family"] in ENCODER_FAMILIES
    t_share = ("PASS" if share >= TARGET_SHARE else "MISS") if enc else "—"
    t_load = ("PASS" if r["load_s"] < TARGET_LOAD else "MISS") if enc else "—"
    return (f"| {r['model']} | {r['family']} | {r['load_s']:.2f} | {r['first_s']:.2f} | {r['b1']:.1f} | "
            f"{r['b64']:.1f} | {share:.0f}% | {r['peak_mb']:.0f} | {t_share} | {t_load} |")


def render(rows: list[dict], env: list[str], n1: int, n64: int, repeats: int) -> str:
    """The benchmark page: table, targets, machine."""
    raw64 = next(r["b64"] for r in rows if r["model"] == RAW)
    head = ("| model | family | cold load s | load + 1st predict s | sent/s batch 1 | sent/s batch 64 | "
            "batch 64 vs raw encoder | peak MB | target ≥80% of raw | target load <3 s |\n|" + "---|" * 10)
    return "\n".join([
        "# Benchmarks", "", "Generated by `python -m training bench`; do not edit by hand.", "", head,
        *(_row(r, raw64) for r in rows), "",
        f"Targets (encoder families `{'`, `'.join(ENCODER_FAMILIES)}`): `predict` at batch 64 within "
        f"{TARGET_SHARE:.0f}% of the raw encoder's throughput; cold load under {TARGET_LOAD:.0f} s.", "",
        f"- Cold load: `from training import load_model; load_model(path)` in a fresh process, imports included, "
        f"median of {repeats}. The next column adds the first prediction (where a lazily loaded encoder "
        "would show).",
        f"- Throughput: `Model.predict` on {n1} sentences one at a time and {n64} in chunks of 64, after a "
        "warm-up call; real sentences cycled, encoder cache cleared before each call.",
        "- Raw encoder: `AutoTokenizer` + `AutoModel` (mean pooling, `torch.inference_mode`, tokenization "
        "included) on the same sentences; peak MB is the process's maximum resident set.", "",
        "## Machine", "", *env, ""])


def run_bench(models: list[str] | None = None, out: str = "benchmarks/README.md", *, n_single: int = 100,
              n_batch: int = 640, repeats: int = 3) -> list[dict]:
    """Measure the raw encoder and every exported model; write the Markdown table to ``out``."""
    paths = find_models(models)
    if not paths:
        raise FileNotFoundError("no exported models under models/; train one first")
    texts = bench_texts(65 + n_single + n_batch)
    jobs = [(RAW, "encoder forward", "raw", "")] + [(p.name, family_of(p), "model", str(p)) for p in paths]
    busy0, mine0, wall0 = *_cpu_seconds(), time.monotonic()
    rows = []
    for i, (name, family, kind, path) in enumerate(jobs, 1):
        log.info("[%d/%d] bench %s (%s)", i, len(jobs), name, family)
        rows.append({"model": name, "family": family, **measure(kind, path, texts, n_single, n_batch, repeats)})
        log.info("  load %.2f s, %.1f sent/s at batch 1, %.1f at batch 64", rows[-1]["load_s"], rows[-1]["b1"],
                 rows[-1]["b64"])
    busy1, mine1 = _cpu_seconds()
    background = max(0.0, ((busy1 - busy0) - (mine1 - mine0)) / (time.monotonic() - wall0))
    atomic_write_text(project_path(out), render(rows, machine(background), n_single, n_batch, repeats))
    log.info("wrote %s", project_path(out))
    return rows
