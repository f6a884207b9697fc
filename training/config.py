"""Typed experiment configuration: one class per section, extra keys forbidden.

A config file may start with ``extends: <file>`` (relative to itself) and then
holds only what changes; ``--set section.key=value`` overrides anything last.
Every problem is reported before training starts, naming the dotted key, the bad
value and what was expected.

>>> cfg = load_config("configs/base.yaml", ["model.family=tfidf_logreg", "seed=7"])
>>> cfg.model.family, cfg.seed
('tfidf_logreg', 7)
>>> load_config("configs/base.yaml", ["model.familly=x"])
Traceback (most recent call last):
...
training.config.ConfigError: configs/base.yaml: invalid config:
  model.familly: unknown key (got 'x'); expected one of: family, class_weight, features, tfidf_logreg, embed_logreg, setfit, finetune
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from training.io import project_path

Family = Literal["tfidf_logreg", "embed_logreg", "setfit", "finetune"]
Cue = Literal["quotes", "attribution", "casualty"]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DataConfig(Section):
    sentences: str = "data/processed/sentences.csv"
    labels: str = "data/labels/gold.csv"
    synthetic: str = "data/synthetic/sentences.csv"
    use_synthetic: bool = True
    synthetic_weight: float = Field(1.0, gt=0, description="sample weight of a synthetic row relative to a real one")


class TfidfConfig(Section):
    word_ngram_max: int = Field(2, ge=1, le=3)
    char_ngram_min: int = Field(2, ge=1)
    char_ngram_max: int = Field(5, ge=1, le=8)
    min_df: int = Field(1, ge=1)
    sublinear_tf: bool = True
    C: float = Field(10.0, gt=0)


class EmbedConfig(Section):
    batch_size: int = Field(64, ge=1)
    normalize: bool = True
    C: float = Field(4.0, gt=0)


class SetFitConfig(Section):
    num_epochs: int = Field(1, ge=1)
    num_iterations: int = Field(10, ge=1, description="contrastive pairs per sentence per epoch")
    max_steps: int = Field(-1, ge=-1, description="cap on contrastive steps per fit; -1 for none")
    batch_size: int = Field(16, ge=2)
    body_learning_rate: float = Field(2e-5, gt=0)
    C: float = Field(4.0, gt=0)


class FinetuneConfig(Section):
    epochs: int = Field(8, ge=1)
    learning_rate: float = Field(5e-5, gt=0)
    batch_size: int = Field(16, ge=1)
    max_length: int = Field(128, ge=8, le=256, description="tokens; longer text is truncated (encoder limit 256)")
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.1, ge=0, lt=1)
    dropout: float = Field(0.1, ge=0, lt=1)


class ModelConfig(Section):
    family: Family = "embed_logreg"
    class_weight: Literal["balanced", "none"] = "balanced"
    features: list[Cue] = Field(default_factory=list, description="hand-made cue features for logistic heads")
    tfidf_logreg: TfidfConfig = TfidfConfig()
    embed_logreg: EmbedConfig = EmbedConfig()
    setfit: SetFitConfig = SetFitConfig()
    finetune: FinetuneConfig = FinetuneConfig()

    @model_validator(mode="after")
    def _features_need_logistic_head(self) -> "ModelConfig":
        if self.features and self.family not in ("tfidf_logreg", "embed_logreg"):
            raise ValueError(f"features {self.features} apply to tfidf_logreg and embed_logreg only, not {self.family!r}")
        return self


class EvalConfig(Section):
    test_story: str | None = Field("story-002", description="story held out for the final test; null for none")
    cross_validate: bool = True
    bootstrap: int = Field(1000, ge=0, description="bootstrap resamples for confidence intervals; 0 to skip")
    ci: float = Field(0.95, gt=0, lt=1)


class TrackingConfig(Section):
    uri: str | None = Field(None, description="MLflow tracking URI; default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db")
    experiment: str = "isis-sentences"
    run_name: str | None = None


class ExportConfig(Section):
    enabled: bool = True
    name: str = Field("default", pattern=r"^[A-Za-z0-9_.-]+$")
    dir: str = "models"


class Config(Section):
    seed: int = 13
    data: DataConfig = DataConfig()
    model: ModelConfig = ModelConfig()
    eval: EvalConfig = EvalConfig()
    tracking: TrackingConfig = TrackingConfig()
    export: ExportConfig = ExportConfig()

    def tracking_uri(self) -> str:
        """The config's URI, else $MLFLOW_TRACKING_URI, else the project's SQLite file."""
        return self.tracking.uri or os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{project_path('mlflow.db')}"

    def flat(self) -> dict[str, Any]:
        """Dotted keys to values, for MLflow params."""
        return dict(_flatten(self.model_dump()))


class ConfigError(ValueError):
    """A config that cannot be used; the message lists every problem."""


def _flatten(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_layers(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """A YAML file merged over the file it ``extends`` (recursively)."""
    if path in seen:
        raise ConfigError(f"{path}: extends loops back to itself ({' -> '.join(map(str, seen))})")
    if not path.exists():
        raise ConfigError(f"{path}: config file not found")
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(tree, dict):
        raise ConfigError(f"{path}: expected a mapping of sections, got {type(tree).__name__}")
    parent = tree.pop("extends", None)
    if parent is None:
        return tree
    return _merge(read_layers((path.parent / parent).resolve(), (*seen, path)), tree)


def apply_overrides(tree: dict, overrides: list[str]) -> dict:
    """Apply ``section.key=value`` strings; values are parsed as YAML (``7``, ``true``, ``[a, b]``)."""
    tree = _merge({}, tree)
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected section.key=value")
        node = tree
        *parents, leaf = key.strip().split(".")
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"--set {item!r}: {part!r} is a value, not a section")
            node = child
        node[leaf] = yaml.safe_load(raw) if raw.strip() else None
    return tree


def _describe(error: dict, model: type[BaseModel]) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        parent = model
        for part in error["loc"][:-1]:
            field = parent.model_fields.get(str(part))
            parent = field.annotation if field is not None and isinstance(field.annotation, type) else parent
        allowed = ", ".join(parent.model_fields) if isinstance(parent, type) else ""
        return f"{loc}: unknown key (got {error['input']!r}); expected one of: {allowed}"
    got = error.get("input")
    shown = f" (got {got!r})" if not isinstance(got, dict) else ""
    return f"{loc or '<root>'}: {error['msg']}{shown}"


def build_config(tree: dict, source: str = "<config>") -> Config:
    try:
        return Config.model_validate(tree)
    except ValidationError as err:
        lines = "\n".join(f"  {_describe(e, Config)}" for e in err.errors())
        raise ConfigError(f"{source}: invalid config:\n{lines}") from None


def load_config(path: str | Path, overrides: list[str] | None = None) -> Config:
    """Read, layer, override and validate a config file."""
    path = Path(path)
    resolved = path if path.exists() or path.is_absolute() else project_path(path)
    tree = apply_overrides(read_layers(resolved.resolve()), overrides or [])
    return build_config(tree, str(path))


def check_inputs(cfg: Config) -> None:
    """Files the config names must exist; reported by dotted key before any work starts."""
    wanted = {"data.sentences": cfg.data.sentences, "data.labels": cfg.data.labels}
    if cfg.data.use_synthetic:
        wanted["data.synthetic"] = cfg.data.synthetic
    missing = [f"  {key}: file not found: {value!r} (resolved to {project_path(value)})"
               for key, value in wanted.items() if not project_path(value).exists()]
    if missing:
        raise ConfigError("missing data files:\n" + "\n".join(missing))


def to_yaml(cfg: Config) -> str:
    """The fully resolved config, as logged with every run."""
    return yaml.safe_dump(cfg.model_dump(), sort_keys=False)
