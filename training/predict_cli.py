"""``python -m training predict``: sentences from arguments, a file, a raw article or stdin."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from training.dataset import LABELS


def gather(args) -> list[str]:
    """The sentences to classify, from exactly one source."""
    if args.article:
        from training.corpus import article_sentences

        return article_sentences(Path(args.article).read_text(encoding="utf-8"))
    if args.input:
        lines = Path(args.input).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    if args.texts:
        return list(args.texts)
    if not sys.stdin.isatty():
        return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    raise ValueError("nothing to classify: give sentences, --input FILE, --article FILE, or pipe text on stdin")


def render(texts: list[str], preds, fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps({"text": t, "label": p.label, "score": round(p.score, 4),
                                   "scores": {k: round(v, 4) for k, v in p.scores.items()}}, ensure_ascii=False) + "\n"
                       for t, p in zip(texts, preds))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["text", "label", "score", *[f"score_{label}" for label in LABELS]])
        for t, p in zip(texts, preds):
            writer.writerow([t, p.label, f"{p.score:.4f}", *[f"{p.scores[label]:.4f}" for label in LABELS]])
        return buf.getvalue()
    width = 90
    lines = [f"{'label':<9} {'score':>5}  text", f"{'-' * 9} {'-' * 5}  {'-' * width}"]
    for t, p in zip(texts, preds):
        shown = t if len(t) <= width else t[: width - 1] + "…"
        lines.append(f"{p.label:<9} {p.score:>5.2f}  {shown}")
    return "\n".join(lines) + "\n"


def run_predict(args) -> int:
    from training.predict import load_model

    texts = gather(args)
    preds = load_model(args.model).predict(texts)
    sys.stdout.write(render(texts, preds, args.format))
    return 0
