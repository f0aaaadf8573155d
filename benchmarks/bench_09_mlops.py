"""Benchmark: module 09's service, tracking database and ONNX export, against the issue's targets.

1. Service (09-mlops-basics/ex05_model_serving.py, started as `--serve` in its own process on
   127.0.0.1): 8 concurrent keep-alive clients (ex09's load_test) send 2,000 POST /predict of one
   digit each. Target: 0 errors, every prediction identical to the in-process model; we report
   p50 and p99 latency and requests per second (median over --repeats runs).
2. The same load with 200 malformed requests sent at the same time by 2 more clients (ten kinds,
   twenty of each: bad JSON, wrong width, a string, NaN, empty body, 1.1 MB body, text/plain,
   GET /predict, DELETE, unknown path). Target: every malformed request answered with a 4xx and
   a JSON error, the 2,000 good ones still all correct, GET /health 200 afterwards.
3. Tracking (ex03): 4 processes write 500 metrics each at once, one transaction per row, into
   one SQLite file in WAL mode. Target: 2,000 rows, none lost.
4. ONNX (ex08): ONNX Runtime and NumPy (float32) on every test digit. Target: the same label
   on every digit and probabilities within 1e-5; we report both speeds (one thread each).

All traffic stays on 127.0.0.1; every request has a timeout; every file goes to a temporary folder.

Run: python benchmarks/bench_09_mlops.py [--repeats 3] [--requests 2000]
"""

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

import utils
from utils.timing import format_table, median_time

SERVING = "09-mlops-basics/ex05_model_serving.py"
TIMEOUT_S = 10.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_request(port, method, path, body, content_type):
    """(status, JSON body) on a fresh connection; (None, error) if the connection failed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": content_type} if content_type else {})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, repr(error)
    finally:
        conn.close()


def malformed_requests():
    one = [[0.0] * 64]
    return [
        ("POST", "/predict", b"{oops", "application/json"),
        ("POST", "/predict", json.dumps({"instances": [[0.0] * 3]}).encode(), "application/json"),
        ("POST", "/predict", json.dumps({"instances": [["x"] * 64]}).encode(), "application/json"),
        ("POST", "/predict", b'{"instances": [[NaN' + b", 0" * 63 + b"]]}", "application/json"),
        ("POST", "/predict", b"", "application/json"),
        ("POST", "/predict", b'{"instances": [' + b"[0]," * 300_000 + b"[0]]}", "application/json"),
        ("POST", "/predict", json.dumps({"instances": one}).encode(), "text/plain"),
        ("GET", "/predict", None, None),
        ("DELETE", "/predict", None, None),
        ("GET", "/admin", None, None),
    ]


def start_server(model_path):
    port = free_port()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    process = subprocess.Popen([sys.executable, SERVING, "--serve", "--port", str(port), "--model", str(model_path)],
                               cwd=utils.REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if raw_request(port, "GET", "/health", None, None)[0] == 200:
            return process, port
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def bench_service(ex09, model, X_test, model_path, repeats, n_requests):
    process, port = start_server(model_path)
    try:
        expected = model.predict(np.resize(X_test, (n_requests, X_test.shape[1])))
        runs = []
        for _ in range(repeats):
            result = ex09.load_test(port, X_test, n_requests=n_requests, n_clients=8, timeout=TIMEOUT_S)
            ok = [p is not None for p in result["predictions"]]
            same = all(ok) and np.array_equal(np.concatenate(result["predictions"]), expected)
            runs.append({**ex09.latency_summary(result["latencies"], result["seconds"]), "errors": result["errors"],
                         "same": same})

        # The same load, with 200 malformed requests from 2 more clients at the same time.
        kinds = malformed_requests()
        statuses = []

        def bad_client(offset):
            for i in range(offset, 200, 2):
                status, body = raw_request(port, *kinds[i % len(kinds)])
                statuses.append((status, isinstance(body, dict) and isinstance(body.get("error"), str)))

        senders = [threading.Thread(target=bad_client, args=(k,)) for k in range(2)]
        for t in senders:
            t.start()
        mixed = ex09.load_test(port, X_test, n_requests=n_requests, n_clients=8, timeout=TIMEOUT_S)
        for t in senders:
            t.join()
        health = raw_request(port, "GET", "/health", None, None)[0]
        mixed_same = mixed["errors"] == 0 and np.array_equal(np.concatenate(mixed["predictions"]), expected)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    return runs, mixed, mixed_same, statuses, health, code


def bench_tracking(n_writers=4, n_metrics=500):
    code = "import sys, utils; utils.load_exercise(sys.argv[1]).write_metrics(sys.argv[2], sys.argv[3], int(sys.argv[4]))"
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tracking.db"
        start = time.perf_counter()
        writers = [subprocess.Popen([sys.executable, "-c", code, "09-mlops-basics/ex03_experiment_tracking.py", str(db),
                                     f"w{i}", str(n_metrics)], cwd=utils.REPO_ROOT) for i in range(n_writers)]
        codes = [w.wait(timeout=300) for w in writers]
        seconds = time.perf_counter() - start
        import sqlite3

        conn = sqlite3.connect(db)
        rows = conn.execute("SELECT COUNT(*) FROM metrics").fetchone()[0]
        distinct = conn.execute("SELECT COUNT(*) FROM (SELECT DISTINCT run_id, step FROM metrics)").fetchone()[0]
        conn.close()
    return codes, rows, distinct, seconds


def bench_onnx(model, X_test, repeats):
    ex08 = utils.load_exercise("09-mlops-basics/ex08_onnx_export.py", practice=False)
    session = ex08.onnx_session(ex08.mlp_to_onnx(model.coefs_, model.intercepts_, model.classes_))
    X32 = X_test.astype(np.float32)
    labels, proba = session.run(["label", "probabilities"], {"X": X32})
    W32, b32 = [W.astype(np.float32) for W in model.coefs_], [b.astype(np.float32) for b in model.intercepts_]
    proba_np = ex08.numpy_forward_float32(W32, b32, X32)
    rows = []
    for name, X in (("1 digit", X32[:1]), (f"{len(X32)} digits", X32)):
        t_np, _ = median_time(lambda: ex08.numpy_forward_float32(W32, b32, X), repeats=repeats)
        t_ort, _ = median_time(lambda: session.run(["label", "probabilities"], {"X": X}), repeats=repeats)
        rows.append([name, f"{1e6 * t_np:.1f}", f"{1e6 * t_ort:.1f}", f"{t_np / t_ort:.2f}x"])
    agree = np.array_equal(labels, model.predict(X_test)) and np.array_equal(labels, model.classes_[proba_np.argmax(1)])
    return agree, float(np.abs(proba - proba_np).max()), rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="load-test runs (the median is reported)")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)

    ex09 = utils.load_exercise("09-mlops-basics/ex09_batch_vs_online.py", practice=False)
    persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)
    from sklearn.neural_network import MLPClassifier  # module 09's subject, as in its exercises

    from utils import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((64,), tol=1e-2, random_state=0).fit(X_train, y_train)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}")
    print(f"Model: scikit-learn's MLP 64-64-10 on the digits, test accuracy {model.score(X_test, y_test):.1%}\n")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digits_mlp.npz"
        persistence.save_model(model, path)
        runs, mixed, mixed_same, statuses, health, code = bench_service(ex09, model, X_test, path, args.repeats,
                                                                        args.requests)
    med = {key: float(np.median([r[key] for r in runs])) for key in ("p50_ms", "p99_ms", "requests_per_s")}
    errors = sum(r["errors"] for r in runs)
    same = all(r["same"] for r in runs)
    print(f"1. Service: {args.requests} requests of one digit from 8 clients, {args.repeats} runs (median)")
    print(format_table(["p50 ms", "p99 ms", "requests/s", "errors (all runs)", "same as in-process", "target met"],
                       [[f"{med['p50_ms']:.2f}", f"{med['p99_ms']:.2f}", f"{med['requests_per_s']:.0f}", errors,
                         same, "yes" if errors == 0 and same else "NO"]]))
    four_xx = sum(1 for s, has_error in statuses if s is not None and 400 <= s < 500 and has_error)
    mixed_summary = ex09.latency_summary(mixed["latencies"], mixed["seconds"])
    met = four_xx == 200 and mixed_same and health == 200
    print(f"\n2. The same load with 200 malformed requests mixed in (server exit code after SIGTERM: {code})")
    print(format_table(["malformed answered 4xx + JSON error", "good requests correct", "p50 / p99 ms",
                        "health afterwards", "target met"],
                       [[f"{four_xx} / {len(statuses)}", f"{mixed_same} ({mixed['errors']} errors)",
                         f"{mixed_summary['p50_ms']:.2f} / {mixed_summary['p99_ms']:.2f}", health,
                         "yes" if met else "NO"]]))

    codes, rows, distinct, seconds = bench_tracking()
    print("\n3. Tracking: 4 processes x 500 metrics at once, one transaction per row (SQLite WAL)")
    print(format_table(["exit codes", "rows stored", "distinct (run, step)", "seconds", "target met"],
                       [[codes, rows, distinct, f"{seconds:.2f}", "yes" if rows == distinct == 2000 else "NO"]]))

    agree, max_diff, rows = bench_onnx(model, X_test, repeats=200)
    print(f"\n4. ONNX Runtime vs NumPy float32 on all {len(X_test)} test digits: same labels {agree}, "
          f"max |probability difference| {max_diff:.1e}; target met: {'yes' if agree and max_diff <= 1e-5 else 'NO'}")
    print(format_table(["batch", "NumPy float32 us", "ONNX Runtime us", "NumPy / ORT"], rows))
    print(f"\nCommand: python benchmarks/bench_09_mlops.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
