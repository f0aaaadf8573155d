"""Tests for ex05_model_serving: request validation, and the server end to end over real HTTP on loopback.

The server runs in a subprocess started by these tests on a free port of 127.0.0.1 and
stopped by them; every request has a timeout, and every file goes under pytest's tmp_path.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

import utils

SCRIPT = "09-mlops-basics/ex05_model_serving.py"
ex = utils.load_exercise(SCRIPT)
persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)

N_FEATURES = 6
STARTUP_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 5
STOP_TIMEOUT_S = 15


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    """(status, parsed JSON body) of one request on a fresh connection, with a timeout."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def post(port, payload, content_type="application/json"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return request(port, "POST", "/predict", body, {"Content-Type": content_type})


def start(args, tmp_path):
    """Start the server script in a subprocess and wait until GET /health answers."""
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmp_path), OPENBLAS_NUM_THREADS="1")
    process = subprocess.Popen([sys.executable, str(utils.exercise_path(SCRIPT)), "--serve", "--port", str(port), *args],
                               cwd=utils.REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited early:\n{process.stderr.read()[-2000:]}")
        try:
            if request(port, "GET", "/health")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not answer /health in time")


def stop(process, signum=signal.SIGTERM):
    process.send_signal(signum)
    try:
        out, err = process.communicate(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"the server ignored {signum!r}")
    return process.returncode, out, err


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    rng = np.random.default_rng(0)
    X, y = rng.random((90, N_FEATURES)), np.arange(90) % 3
    model = MLPClassifier(hidden_layer_sizes=(8,), random_state=0).partial_fit(X, y, classes=[0, 1, 2])  # 1 epoch
    path = tmp_path_factory.mktemp("model") / "m.npz"
    persistence.save_model(model, path)
    return path, persistence.load_model(path)


@pytest.fixture(scope="module")
def server(saved_model, tmp_path_factory):
    process, port = start(["--model", str(saved_model[0])], tmp_path_factory.mktemp("server"))
    yield port
    if process.poll() is None:
        stop(process)


def test_parse_instances_accepts_a_batch_and_refuses_bad_payloads():
    # Check the validator on hand-made bodies: a good batch becomes a float array; each bad one a 4xx.
    X = ex.parse_instances(b'{"instances": [[1, 2.5], [0, -3e2]]}', n_features=2)
    np.testing.assert_array_equal(X, [[1.0, 2.5], [0.0, -300.0]])
    assert X.dtype == np.float64
    bad = [b"{oops", b"[[1, 2]]", b'{"rows": [[1, 2]]}', b'{"instances": []}', b'{"instances": [1, 2]}',
           b'{"instances": [[1, 2, 3]]}', b'{"instances": [[1, "2"]]}', b'{"instances": [[1, true]]}',
           b'{"instances": [[1, null]]}', b'{"instances": [[NaN, 1]]}', b'{"instances": [[1, -Infinity]]}',
           b'{"instances": [[1, 1e999]]}', b'{"instances": [[1, [2]]]}', b"\xff\xfe", b"[" * 100_000]
    for body in bad:
        with pytest.raises(ex.RequestError) as caught:
            ex.parse_instances(body, n_features=2)
        assert caught.value.args[0] == 400, body[:40]
    with pytest.raises(ex.RequestError) as caught:
        ex.parse_instances(json.dumps({"instances": [[0, 0]] * 11}).encode(), n_features=2, max_instances=10)
    assert caught.value.args[0] == 413


def test_health_reports_the_models_input_width(server, saved_model):
    # Check GET /health: 200 and n_features equal to the saved model's width.
    status, body = request(server, "GET", "/health")
    assert status == 200 and body["n_features"] == N_FEATURES == saved_model[1].n_features_in_


def test_predictions_equal_the_in_process_model(server, saved_model, rng):
    # Check POST /predict against ex01's load_model(path).predict on the same rows (one and many).
    X = rng.random((25, N_FEATURES))
    status, body = post(server, {"instances": X.tolist()})
    assert status == 200
    assert body["predictions"] == saved_model[1].predict(X).tolist()
    assert post(server, {"instances": X[:1].tolist()})[1]["predictions"] == saved_model[1].predict(X[:1]).tolist()


MALFORMED = {
    "bad JSON": ("POST", "/predict", b"{oops", "application/json"),
    "wrong feature count": ("POST", "/predict", b'{"instances": [[1, 2]]}', "application/json"),
    "a string": ("POST", "/predict", b'{"instances": [["a", 0, 0, 0, 0, 0]]}', "application/json"),
    "NaN": ("POST", "/predict", b'{"instances": [[NaN, 0, 0, 0, 0, 0]]}', "application/json"),
    "Infinity by overflow": ("POST", "/predict", b'{"instances": [[1e999, 0, 0, 0, 0, 0]]}', "application/json"),
    "empty body": ("POST", "/predict", b"", "application/json"),
    "oversized body": ("POST", "/predict", b'{"instances": [' + b"[0,0,0,0,0,0]," * 90_000 + b"[0,0,0,0,0,0]]}",
                       "application/json"),
    "too many instances": ("POST", "/predict", json.dumps({"instances": [[0] * 6] * 1001}).encode(), "application/json"),
    "wrong content type": ("POST", "/predict", b'{"instances": [[0, 0, 0, 0, 0, 0]]}', "text/plain"),
    "no content type": ("POST", "/predict", b'{"instances": [[0, 0, 0, 0, 0, 0]]}', None),
    "GET /predict": ("GET", "/predict", None, None),
    "PUT /predict": ("PUT", "/predict", b"{}", "application/json"),
    "DELETE /predict": ("DELETE", "/predict", None, None),
    "an invented method": ("BREW", "/predict", None, None),
    "POST /health": ("POST", "/health", b"{}", "application/json"),
    "unknown path": ("GET", "/admin", None, None),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_requests_get_a_4xx_json_error_and_the_server_keeps_serving(server, saved_model, case):
    # Check each malformed request: a 4xx status, a JSON body {"error": "<text>"}, then a good request still works.
    method, path, body, content_type = MALFORMED[case]
    status, reply = request(server, method, path, body, {"Content-Type": content_type} if content_type else {})
    assert 400 <= status < 500
    assert isinstance(reply, dict) and isinstance(reply.get("error"), str) and reply["error"]
    X = np.full((1, N_FEATURES), 0.5)
    assert post(server, {"instances": X.tolist()}) == (200, {"predictions": saved_model[1].predict(X).tolist()})


@pytest.mark.parametrize("raw", [b"GARBAGE\r\n\r\n", b"POST /predict HTTP/1.1\r\nContent-Type: application/json\r\n\r\n",
                                 b"POST /predict HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: x\r\n\r\n"],
                         ids=["garbled request line", "no Content-Length", "non-integer Content-Length"])
def test_raw_malformed_http_gets_a_4xx_json_error(server, raw):
    # Check requests http.client would not send: a raw socket gets a 4xx status line and a JSON error.
    with socket.create_connection(("127.0.0.1", server), timeout=REQUEST_TIMEOUT_S) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert 400 <= status < 500 and "error" in json.loads(body)
    assert request(server, "GET", "/health")[0] == 200


def test_concurrent_clients_all_get_correct_answers(server, saved_model, rng):
    # Check 8 threads x 10 requests at once: every reply is 200 and equal to the in-process predictions.
    X = rng.random((80, N_FEATURES))
    results = [None] * len(X)

    def client(k):
        for i in range(k, len(X), 8):
            results[i] = post(server, {"instances": X[i : i + 1].tolist()})

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    expected = saved_model[1].predict(X).tolist()
    assert results == [(200, {"predictions": [label]}) for label in expected]


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's table of sockets")
def test_server_listens_on_loopback_only(server):
    # Check in the kernel's socket table that the listening socket is bound to 127.0.0.1, not 0.0.0.0.
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    local = [fields[1] for fields in listening if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == server]
    assert local == [f"0100007F:{server:04X}"]


def test_start_server_binds_loopback(saved_model):
    # Check the in-process helper too: its address is 127.0.0.1 and it stops when asked.
    server, thread = ex.start_server(saved_model[1], port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert request(server.server_address[1], "GET", "/health")[0] == 200
    finally:
        ex.stop_server(server, thread)
    assert not thread.is_alive()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_cleanly_on_a_signal(saved_model, tmp_path, signum):
    # Check a clean exit (code 0, no traceback) on SIGINT and SIGTERM; without --model (SIGTERM case) the
    # script trains its own model in a temporary folder (here under tmp_path) and removes it on exit.
    args = ["--model", str(saved_model[0])] if signum == signal.SIGINT else []
    process, port = start(args, tmp_path)
    assert request(port, "GET", "/health")[1]["n_features"] == (N_FEATURES if args else 64)
    code, out, err = stop(process, signum)
    assert code == 0, err[-2000:]
    assert "Traceback" not in err and "stopped" in out
    assert list(tmp_path.iterdir()) == []
