"""`mlflow models serve` on an exported folder: real HTTP, same answers as `training.predict`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from servers import free_port, stop, wait_until_up
from training import predict

pytestmark = pytest.mark.slow

TEXTS = ["Iraqi forces recaptured the town of Rutba from Islamic State fighters on Saturday.",
         "At least 40 people were killed when a car bomb exploded in a crowded market, police said.",
         "“We will not stop until every village is free,” the commander told reporters."]


def post(url: str, body: bytes | str, content_type: str = "application/json") -> tuple[int, str]:
    """(status, body text) of a POST; 4xx/5xx are returned, not raised."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture(scope="module")
def server(exported_model, tmp_path_factory):
    """The exported model behind `mlflow models serve`, run from an unrelated folder; yields its base URL."""
    work = tmp_path_factory.mktemp("serve")
    port, log = free_port(), work / "serve.log"
    bindir = str(Path(sys.executable).parent)
    # The venv's bin on PATH, as an activated venv has it: mlflow execs `uvicorn` by name.
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    cmd = [os.path.join(bindir, "mlflow"), "models", "serve", "-m", str(exported_model), "--env-manager", "local",
           "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/ping", proc, log)
        yield url
    finally:
        stop(proc)


def check_matches_predict(body: str, exported_model) -> None:
    expected = predict(TEXTS, model=exported_model)
    rows = json.loads(body)["predictions"]
    assert [r["label"] for r in rows] == [p.label for p in expected]
    for row, p in zip(rows, expected):
        assert row["score"] == pytest.approx(p.score, abs=1e-6)
        assert {k[len("score_"):]: v for k, v in row.items() if k.startswith("score_")} == pytest.approx(p.scores, abs=1e-6)


def test_dataframe_split_matches_predict(server, exported_model):
    status, body = post(f"{server}/invocations", json.dumps(
        {"dataframe_split": {"columns": ["text"], "data": [[t] for t in TEXTS]}}))
    assert status == 200, body
    check_matches_predict(body, exported_model)


def test_inputs_format_matches_predict(server, exported_model):
    status, body = post(f"{server}/invocations", json.dumps({"inputs": {"text": TEXTS}}))
    assert status == 200, body
    check_matches_predict(body, exported_model)


def test_unknown_payload_key_is_a_4xx_naming_the_accepted_keys(server):
    status, body = post(f"{server}/invocations", '{"foo": 1}')
    assert 400 <= status < 500
    message = json.loads(body)["message"]
    assert "dataframe_split" in message and "inputs" in message


def test_wrong_column_is_a_4xx_naming_the_missing_column(server):
    status, body = post(f"{server}/invocations", json.dumps(
        {"dataframe_split": {"columns": ["wrong"], "data": [["Ten people were killed."]]}}))
    assert 400 <= status < 500
    message = json.loads(body)["message"]
    assert "text" in message and "wrong" in message


def test_invalid_json_is_a_4xx(server):
    status, body = post(f"{server}/invocations", "not json")
    assert 400 <= status < 500
    assert "JSON" in json.loads(body)["message"]


def test_blank_text_is_a_4xx_that_says_blank(server):
    status, body = post(f"{server}/invocations", json.dumps(
        {"dataframe_split": {"columns": ["text"], "data": [["Ten were killed."], ["   "]]}}))
    assert 400 <= status < 500
    assert "texts[1] is empty or blank" in json.loads(body)["message"]
