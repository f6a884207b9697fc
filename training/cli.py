"""Command line: ``python -m training <command>`` (also the ``training`` console script).

    corpus      clean and segment data/raw into data/processed/sentences.csv, then validate
    validate    check sentences, gold labels and the synthetic supplement; print counts
    agreement   Cohen's kappa between the two annotators of the gold labels
    synthetic   build | check | report  (the training-only supplement)
    train       CONFIG [--set section.key=value ...]
    export      --run-id ID [--name NAME]: copy a run's logged model to models/NAME
    predict     TEXT... | --input FILE | --article FILE | stdin  [--format table|jsonl|csv]
    results     train every shipped config and rewrite the results table in README.md
    bench       speed of every exported family vs the raw encoder (writes benchmarks/README.md)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from training.config import ConfigError
from training.dataset import DataError

log = logging.getLogger("training")


def _print_counts(frame) -> None:
    from training.dataset import summary

    tables = summary(frame)
    print(f"{len(frame)} labeled sentences\n")
    print(tables["per_label"].T.to_string(), "\n")
    print(tables["per_article"].to_string(), "\n")
    print(tables["per_story"].to_string())


def cmd_corpus(args) -> int:
    from training.dataset import build_sentences, write_sentences
    from training.similarity import similar_pairs

    frame = build_sentences(args.raw)
    path = write_sentences(frame, args.out)
    print(f"wrote {path} ({len(frame)} sentences, {frame['article_id'].nunique()} articles, "
          f"{frame['story_id'].nunique()} stories)")
    if args.explain_dups:
        texts = frame["text"].tolist()
        for jac, cont, i, j in similar_pairs(texts):
            print(f"{jac:.2f} {cont:.2f} {frame.sentence_id[i]} ~ {frame.sentence_id[j]}: {texts[i][:50]!r} ~ {texts[j][:50]!r}")
    return cmd_validate(args)


def cmd_validate(args) -> int:
    from training.dataset import load_gold, load_synthetic
    from training.io import project_path

    frame = load_gold(args.out, args.labels)
    _print_counts(frame)
    if project_path(args.synthetic).exists():
        syn = load_synthetic(args.synthetic)
        print(f"\nsynthetic supplement: {len(syn)} rows (training only)\n"
              f"{syn['label'].value_counts().to_string()}")
    print("\nvalidation passed")
    return 0


def cmd_agreement(args) -> int:
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    a = pd.read_csv(args.a, dtype=str, keep_default_na=False)
    b = pd.read_csv(args.b, dtype=str, keep_default_na=False)
    both = a.merge(b, on="sentence_id", suffixes=("_a", "_b"))
    agree = (both["label_a"] == both["label_b"])
    print(f"{len(both)} sentences, raw agreement {agree.sum()}/{len(both)} = {agree.mean():.3f}, "
          f"Cohen's kappa {cohen_kappa_score(both['label_a'], both['label_b']):.3f}")
    for row in both[~agree].itertuples():
        print(f"  {row.sentence_id}: A {row.label_a} / B {row.label_b}")
    return 0


def cmd_synthetic(args) -> int:
    from training import synthetic

    if args.action == "build":
        print(json.dumps(synthetic.build(), indent=2))
    elif args.action == "check":
        print(f"synthetic supplement ok: {synthetic.check()} rows, none too close to a real sentence")
    else:
        return _synthetic_report(synthetic)
    return 0


def _synthetic_report(synthetic) -> int:
    from training.dataset import load_synthetic, read_sentences
    from training.io import project_path, write_block

    readme = project_path("data/synthetic/README.md")
    real, syn = read_sentences()["text"].tolist(), load_synthetic()["text"].tolist()
    close = synthetic.closeness(syn, real)
    write_block(readme, "diversity", synthetic.stats_table(real, syn))
    write_block(readme, "closeness", f"Closest synthetic sentence to any real one: cosine "
                          f"{close['cosine'].max():.3f} (threshold {synthetic.EMBED_MAX}); word-overlap hits: "
                          f"{int(close['word_overlap'].sum())}; median nearest-real cosine {close['cosine'].median():.3f}.")
    write_block(readme, "effect", synthetic.effect_table())
    print(f"updated {readme}")
    return 0


def cmd_train(args) -> int:
    from training.config import load_config
    from training.train import train

    cfg = load_config(args.config, args.set)
    metrics = train(cfg, args.config)
    keys = ["cv_macro_f1", "cv_macro_f1_ci_low", "cv_macro_f1_ci_high", "cv_accuracy", "test_macro_f1",
            "test_macro_f1_ci_low", "test_macro_f1_ci_high", "test_accuracy", "run_id", "export_path"]
    print(json.dumps({k: metrics[k] for k in keys if k in metrics}, indent=2))
    return 0


def cmd_export(args) -> int:
    from training.config import Config
    from training.export import export_from_run

    uri = args.tracking_uri or Config().tracking_uri()
    print(f"exported {export_from_run(args.run_id, args.name, uri)}")
    return 0


def cmd_predict(args) -> int:
    from training.predict_cli import run_predict

    return run_predict(args)


def cmd_results(args) -> int:
    from training.results import write_results

    write_results(args.configs)
    return 0


def cmd_bench(args) -> int:
    from training.bench import run_bench

    run_bench(args.models, args.out)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="training", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and results")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("corpus", "validate"):
        c = sub.add_parser(name)
        c.add_argument("--raw", default="data/raw")
        c.add_argument("--out", default="data/processed/sentences.csv")
        c.add_argument("--labels", default="data/labels/gold.csv")
        c.add_argument("--synthetic", default="data/synthetic/sentences.csv")
        c.add_argument("--explain-dups", action="store_true", help="print every similar sentence pair")
        c.set_defaults(func=cmd_corpus if name == "corpus" else cmd_validate)
    c = sub.add_parser("agreement")
    c.add_argument("--a", default="data/labels/annotator_a.csv")
    c.add_argument("--b", default="data/labels/annotator_b.csv")
    c.set_defaults(func=cmd_agreement)
    c = sub.add_parser("synthetic")
    c.add_argument("action", choices=["build", "check", "report"])
    c.set_defaults(func=cmd_synthetic)
    c = sub.add_parser("train")
    c.add_argument("config")
    c.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    c.set_defaults(func=cmd_train)
    c = sub.add_parser("export")
    c.add_argument("--run-id", required=True)
    c.add_argument("--name", default="default")
    c.add_argument("--tracking-uri", default=None)
    c.set_defaults(func=cmd_export)
    c = sub.add_parser("predict")
    c.add_argument("texts", nargs="*")
    c.add_argument("--input", help="file with one sentence a line")
    c.add_argument("--article", help="raw article text: cleaned, segmented, every sentence classified")
    c.add_argument("--model", default="models/default")
    c.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    c.set_defaults(func=cmd_predict)
    c = sub.add_parser("results")
    c.add_argument("configs", nargs="*", help="default: every configs/*.yaml except base.yaml")
    c.set_defaults(func=cmd_results)
    c = sub.add_parser("bench")
    c.add_argument("--models", nargs="*", default=None, help="exported model folders; default: models/*")
    c.add_argument("--out", default="benchmarks/README.md")
    c.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("mlflow", "httpx", "urllib3", "alembic", "transformers", "sentence_transformers", "setfit"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.func(args)
    except (ConfigError, DataError, FileNotFoundError, TypeError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
