"""
Exercise 05: serving a model over HTTP

Learning goals
--------------
- Put a saved model behind an HTTP API with nothing but the standard library:
  ThreadingHTTPServer, JSON in and out, GET /health and POST /predict.
- Validate every request against the model's recorded input width, and answer
  every malformed one with a 4xx status and a JSON {"error": ...}, never a crash.
- Log each request and stop gracefully on SIGINT / SIGTERM (ex09 load-tests
  this server: latency percentiles and throughput).

The math
--------
A request carries instances X of shape (n_samples, n_features) = (n, d), d the model's; the
reply carries the n predicted labels, computed in one matrix product per layer.

Algorithm
---------
1. Load the model (ex01); record n_features and the classes.
2. For each request: check the method and path (405 / 404), the content type
   (415), the length (411, 400 for empty, 413 for too large), parse JSON (400,
   NaN and Infinity refused), check the shape and the numbers (400), predict, reply 200.
3. Serve on 127.0.0.1 only, a thread per connection; on a signal, shut down and exit 0.

References: R. Fielding et al., RFC 9110 "HTTP Semantics" (status codes, section 15); Python docs, "http.server".
Builds on: 09-mlops-basics/ex01_model_persistence.py (persistence).
Difficulty: 3 of 3, about 60 minutes.
Run: python 09-mlops-basics/ex05_model_serving.py   (a short demo; --serve --port 8000 serves until Ctrl+C)
"""

# %%
import argparse
import http.client
import json
import math
import signal
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

import utils

persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)

HOST = "127.0.0.1"  # loopback only: nothing outside this machine can reach the server
MAX_BODY_BYTES = 1_000_000
MAX_INSTANCES = 1_000
DRAIN_LIMIT_BYTES = 8_000_000  # an oversized body up to this size is read and dropped before the 413
SOCKET_TIMEOUT_S = 10.0  # a client that stops sending mid-request frees its thread after this


class RequestError(Exception):
    """A problem with the request: RequestError(status, message), a 4xx status and a text for the client."""


# %% [markdown]
# ## Validating a request


# %%
def _refuse_constant(name):
    raise RequestError(400, f"{name} is not a number this API accepts")


def parse_instances(body, n_features, max_instances=MAX_INSTANCES):
    """The JSON body {"instances": [[...], ...]} as a float array (n_samples, n_features), or RequestError(4xx)."""
    # BEGIN SOLUTION
    # HINT 1: trust nothing: the JSON itself, its top-level type, the list, each row, each value.
    # HINT 2: json.loads(body, parse_constant=_refuse_constant) refuses NaN / Infinity; a bool is an int
    # HINT 2: in Python, so test isinstance(v, (int, float)) and not isinstance(v, bool); 1e999 parses to inf.
    # HINT 3: payload = json.loads(...) (ValueError / RecursionError -> 400); check a dict with "instances",
    # HINT 3: a non-empty list of <= max_instances rows of n_features finite numbers; np.array(rows, dtype=float)
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise RequestError(400, "the body is not valid JSON") from None
    if not isinstance(payload, dict) or "instances" not in payload:
        raise RequestError(400, 'expected a JSON object {"instances": [[...], ...]}')
    rows = payload["instances"]
    if not isinstance(rows, list) or len(rows) == 0:
        raise RequestError(400, '"instances" must be a non-empty list of rows')
    if len(rows) > max_instances:
        raise RequestError(413, f"at most {max_instances} instances per request; got {len(rows)}")
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != n_features:
            raise RequestError(400, f"instance {i} must be a list of {n_features} numbers")
        for value in row:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise RequestError(400, f"instance {i} holds {value!r}; every feature must be a finite number")
    return np.array(rows, dtype=float)  # (n_samples, n_features)
    # END SOLUTION


# %% [markdown]
# ## The request handler


# %%
def make_handler(model, log=None):
    """A BaseHTTPRequestHandler class serving `model`; log(line) receives one line per request."""
    info = {"status": "ok", "n_features": int(model.n_features_in_), "classes": model.classes_.tolist()}

    class PredictionHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a client reuses its connection
        timeout = SOCKET_TIMEOUT_S
        server_version = "mlsc-serving/1"
        disable_nagle_algorithm = True  # TCP_NODELAY: the body, a 2nd write, skips a 40 ms delayed-ACK wait

        def do_GET(self):
            self.started = time.perf_counter()
            status = 200 if self.path == "/health" else 405 if self.path == "/predict" else 404
            self.reply(status, info if status == 200 else {"error": f"no GET {self.path}"})

        def do_POST(self):
            self.started = time.perf_counter()
            if self.path != "/predict":
                self.reply(405 if self.path == "/health" else 404, {"error": f"no POST {self.path}"})
                return
            try:
                X = parse_instances(self.read_body(), info["n_features"])  # (n_samples, n_features)
            except RequestError as error:
                self.reply(error.args[0], {"error": error.args[1]})
                return
            self.reply(200, {"predictions": model.predict(X).tolist()})  # one matrix product for the batch

        def read_body(self):
            """The request body, after checking its type and length (RequestError otherwise)."""
            # BEGIN SOLUTION
            # HINT 1: look at the headers before reading a byte: type, then length.
            # HINT 2: 415 unless Content-Type is application/json; 411 without Content-Length;
            # HINT 2: 400 for 0 or a non-integer; 413 above MAX_BODY_BYTES.
            # HINT 3: media = header.split(";")[0].strip().lower(); check; length = int(...); too large: read and
            # HINT 3: drop it (up to DRAIN_LIMIT_BYTES), raise 413; body = self.rfile.read(length); short -> 400
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media != "application/json":
                raise RequestError(415, f"Content-Type must be application/json; got {media or 'none'!r}")
            if "Content-Length" not in self.headers:
                raise RequestError(411, "a Content-Length header is required")
            try:
                length = int(self.headers["Content-Length"])
            except ValueError:
                raise RequestError(400, "Content-Length must be an integer") from None
            if length <= 0:
                raise RequestError(400, "the body is empty")
            if length > MAX_BODY_BYTES:
                # Reading the rest lets the client receive our reply instead of a reset connection.
                remaining = min(length, DRAIN_LIMIT_BYTES)
                while remaining > 0 and (chunk := self.rfile.read(min(1 << 16, remaining))):
                    remaining -= len(chunk)
                raise RequestError(413, f"the body may hold at most {MAX_BODY_BYTES} bytes; got {length}")
            body = self.rfile.read(length)
            if len(body) < length:
                raise RequestError(400, "the body is shorter than its Content-Length")
            return body
            # END SOLUTION

        def reply(self, status, payload):
            body = json.dumps(payload).encode()
            if status >= 400:
                self.close_connection = True  # bytes we did not read must not be taken for the next request
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def send_error(self, code, message=None, explain=None):  # errors http.server finds itself: JSON too
            self.request_version = "HTTP/1.0" if self.request_version == "HTTP/0.9" else self.request_version
            self.reply(code, {"error": message or HTTPStatus(code).phrase})  # (0.9 replies have no status line)

        def __getattr__(self, name):  # do_PUT, do_DELETE, do_FOO, ...: 405, not http.server's 501
            if name.startswith("do_"):
                return lambda: self.reply(405, {"error": f"method {self.command} is not allowed"})
            raise AttributeError(name)

        def log_request(self, code="-", size="-"):
            if log is not None:
                ms = 1000 * (time.perf_counter() - getattr(self, "started", time.perf_counter()))
                log(f'{self.client_address[0]} "{self.requestline}" {int(code)} {ms:.2f} ms')

    return PredictionHandler


def start_server(model, port=0, log=None):
    """Serve model on 127.0.0.1:port (0: any free port) in a background thread; returns (server, thread)."""
    server = ThreadingHTTPServer((HOST, port), make_handler(model, log))
    server.daemon_threads = True  # an idle keep-alive connection never blocks the exit
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return server, thread


def stop_server(server, thread):
    server.shutdown()  # finishes the request in progress, then serve_forever returns
    server.server_close()  # closes the listening socket
    thread.join(timeout=5)


def call(port, method, path, body=None, content_type="application/json", timeout=5.0):
    """One request on a new connection; returns (status, decoded JSON reply)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        body = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        conn.request(method, path, body=body, headers={"Content-Type": content_type} if body is not None else {})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


# %% [markdown]
# ## Serving from the command line, and the demo (ex09 load-tests the server with concurrent clients)


# %%
def train_small_model(path):
    """Train scikit-learn's MLP on the digits (pixels / 16), save it to path (ex01); returns the test inputs."""
    from sklearn.neural_network import MLPClassifier

    from utils import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X_train, y_train)  # the subject: any MLP
    persistence.save_model(model, path, {"test_accuracy": model.score(X_test, y_test)})
    return X_test


def serve(port, model_path=None):
    """Serve until SIGINT or SIGTERM; a model is trained into a temporary folder when none is given."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())  # the main thread wakes up and shuts down
    with tempfile.TemporaryDirectory() as folder:
        if model_path is None:
            model_path = Path(folder) / "digits_mlp.npz"
            train_small_model(model_path)
        server, thread = start_server(persistence.load_model(model_path), port,
                                      log=lambda line: print(line, file=sys.stderr, flush=True))
        print(f"Serving {Path(model_path).name} on http://{HOST}:{server.server_address[1]} (Ctrl+C stops)", flush=True)
        while not stop.wait(0.2):
            pass
        stop_server(server, thread)
        print("Server stopped cleanly", flush=True)


def demo():
    from utils.timing import format_table

    with tempfile.TemporaryDirectory() as folder:
        X_test = train_small_model(Path(folder) / "digits_mlp.npz")
        model = persistence.load_model(Path(folder) / "digits_mlp.npz")
        lines = []
        server, thread = start_server(model, port=0, log=lines.append)
        port = server.server_address[1]
        try:
            print(f"GET /health -> {call(port, 'GET', '/health')}")
            status, reply = call(port, "POST", "/predict", {"instances": X_test[:5].tolist()})
            print(f"POST /predict (5 digits) -> {status} {reply}; in-process: {model.predict(X_test[:5]).tolist()}")
            bad = {"not JSON": ("POST", "/predict", b"{oops"), "wrong width": ("POST", "/predict", {"instances": [[0.0]]}),
                   "NaN": ("POST", "/predict", b'{"instances": [[NaN]]}'), "DELETE": ("DELETE", "/predict", None),
                   "unknown path": ("GET", "/admin", None)}
            rows = [[name, *call(port, *request)] for name, request in bad.items()]
            rows.append(["text/plain", *call(port, "POST", "/predict", b"{}", content_type="text/plain")])
            print("\n" + format_table(["malformed request", "status", "reply"], rows))
            print(f"GET /health after them -> {call(port, 'GET', '/health')[0]}")
            print("\nThe request log's last lines:\n  " + "\n  ".join(lines[-3:]))
        finally:
            stop_server(server, thread)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve the digits MLP over HTTP on 127.0.0.1.")
    parser.add_argument("--serve", action="store_true", help="keep serving until Ctrl+C / SIGTERM")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--model", type=Path, default=None, help="a model saved by ex01 (default: train one)")
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.port, args.model)
    else:
        demo()


if __name__ == "__main__":
    main()
