"""
Exercise 09: batch versus online inference, and the whole pipeline end to end

Learning goals
--------------
- Batch inference: score a file of inputs too large for memory in chunks, reading
  it memory-mapped, and write the predictions to a file.
- Online inference: load-test ex05's server with concurrent clients; read p50,
  p99 and throughput, and see how batching trades latency for throughput.
- Tie the module together: a pipeline from a config file to a monitored service
  (train, track, test, register, export, serve, monitor), with gates that stop it.

The math
--------
Batch: N rows in chunks of size c take ceil(N / c) calls; each call costs a fixed
overhead o plus a per-row cost r, so the time is about ceil(N / c) o + N r, and
large chunks amortise o. Memory holds only one chunk: c rows, not N.

Online: with c clients each waiting for its reply before sending the next request
(a closed loop), Little's law L = lambda W with L = c requests in the system gives

    throughput lambda ~= c / W,   W = the mean latency,

so more clients raise the throughput until the server saturates, after which
only W grows. A request of b rows moves b rows per round trip.

Algorithm
---------
1. score_file: np.load(..., mmap_mode="r"), predict chunk by chunk, save the labels.
2. load_test: c threads, each with a keep-alive connection, share N requests;
   record each latency; summarise with percentiles and N / wall time.
3. run_pipeline: ex02 trains from a config (fingerprinted); ex03/ex04 record the
   run and register the model; ex06's behavioural tests gate the promotion; ex08
   exports ONNX and checks it; ex05 serves; ex07 watches a clean and a shifted window.

References: J. D. C. Little, "A proof for the queuing formula L = lambda W",
Operations Research 9(3), 1961; C. Huyen, "Designing Machine Learning Systems",
O'Reilly 2022, ch. 7 (batch and online prediction); D. Sculley et al., "Hidden
technical debt in machine learning systems", NeurIPS 2015.
Builds on: ex01_model_persistence, ex02_reproducible_training, ex04_model_registry, ex05_model_serving,
ex06_testing_ml_code, ex07_monitoring_drift, ex08_onnx_export.
Difficulty: 2 of 3, about 45 minutes.
Run: python 09-mlops-basics/ex09_batch_vs_online.py
"""

# %%
import http.client
import json
import threading
import time
from pathlib import Path

import numpy as np

import utils
from utils import data
from utils.validation import check_positive_int

persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)
reproducible = utils.load_exercise("09-mlops-basics/ex02_reproducible_training.py", practice=False)
registry_lesson = utils.load_exercise("09-mlops-basics/ex04_model_registry.py", practice=False)
serving = utils.load_exercise("09-mlops-basics/ex05_model_serving.py", practice=False)
ml_tests = utils.load_exercise("09-mlops-basics/ex06_testing_ml_code.py", practice=False)
drift = utils.load_exercise("09-mlops-basics/ex07_monitoring_drift.py", practice=False)
onnx_export = utils.load_exercise("09-mlops-basics/ex08_onnx_export.py", practice=False)

# %% [markdown]
# ## Batch inference: a file, in chunks


# %%
def predict_in_batches(predict, X, chunk_size):
    """predict(X) computed chunk by chunk: only chunk_size rows in memory at once; returns (n,)."""
    chunk_size = check_positive_int(chunk_size, "chunk_size")
    # BEGIN SOLUTION
    # HINT 1: walk over the rows in steps of chunk_size and join the pieces at the end.
    # HINT 2: predict(np.asarray(X[start : start + chunk_size])) for start in range(0, len(X), chunk_size)
    # HINT 3: parts = [...]; return np.concatenate(parts) (np.asarray reads a memory-mapped chunk into RAM)
    parts = [predict(np.asarray(X[start : start + chunk_size])) for start in range(0, len(X), chunk_size)]
    return np.concatenate(parts)  # (n,)
    # END SOLUTION


def score_file(predict, in_path, out_path, chunk_size=1024):
    """Batch job: read the .npy at in_path memory-mapped, predict in chunks, save labels to out_path."""
    X = np.load(in_path, mmap_mode="r", allow_pickle=False)  # (n, d) on disk, read a chunk at a time
    labels = predict_in_batches(predict, X, chunk_size)  # (n,)
    np.save(out_path, labels, allow_pickle=False)
    return len(labels)


# %% [markdown]
# ## Online inference: a load test


# %%
def latency_summary(latencies, seconds):
    """{"p50_ms", "p99_ms", "requests_per_s"} of per-request latencies (s) over a run of `seconds`."""
    # BEGIN SOLUTION
    # HINT 1: percentiles of the latencies, and requests divided by the wall-clock time.
    # HINT 2: np.percentile(latencies, [50, 99]) * 1000 gives milliseconds; len(latencies) / seconds.
    # HINT 3: p50, p99 = ...; return {"p50_ms": p50, "p99_ms": p99, "requests_per_s": ...}
    p50, p99 = np.percentile(np.asarray(latencies), [50, 99]) * 1000.0
    return {"p50_ms": float(p50), "p99_ms": float(p99), "requests_per_s": len(latencies) / seconds}
    # END SOLUTION


def load_test(port, X, n_requests=200, n_clients=8, batch_size=1, timeout=5.0):
    """n_clients keep-alive clients share n_requests POST /predict of batch_size rows of X (cycling).

    Returns {"latencies": (n_requests,) seconds, "predictions": list (None where a request
    failed), "errors": count, "seconds": wall-clock time}.
    """
    latencies, predictions, errors = np.zeros(n_requests), [None] * n_requests, []

    def client(indices):
        conn = http.client.HTTPConnection(serving.HOST, port, timeout=timeout)
        for i in indices:
            rows = np.take(X, np.arange(i * batch_size, (i + 1) * batch_size), axis=0, mode="wrap")  # (b, d)
            start = time.perf_counter()
            try:
                conn.request("POST", "/predict", body=json.dumps({"instances": rows.tolist()}),
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                reply = json.loads(response.read())
                if response.status != 200:
                    raise RuntimeError(f"status {response.status}: {reply}")
                predictions[i] = reply["predictions"]
            except (OSError, http.client.HTTPException, RuntimeError, ValueError) as error:
                errors.append(error)
                conn.close()  # http.client reconnects on the next request
            latencies[i] = time.perf_counter() - start
        conn.close()

    threads = [threading.Thread(target=client, args=(range(k, n_requests, n_clients),)) for k in range(n_clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "predictions": predictions, "errors": len(errors),
            "seconds": time.perf_counter() - start}


# %% [markdown]
# ## The pipeline, exercises 01-08 in order


# %%
def run_pipeline(workdir, X, y, max_epochs=10):
    """Config -> trained, tested, registered, exported, served and monitored model; returns {step: result}."""
    workdir = Path(workdir)
    steps = {}
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps({"seed": 0, "max_epochs": max_epochs}))
    model_path = reproducible.run_training(config_path, X, y, workdir)  # ex02 (saves with ex01)
    meta = json.loads(model_path.with_suffix(".json").read_text())["metadata"]
    steps["train"] = f"{model_path.name}, test accuracy {meta['scores']['test_accuracy']:.1%}"

    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, stratify=True, random_state=0)
    with registry_lesson.ModelRegistry(workdir / "mlops.db") as registry:  # ex03 + ex04, one database
        run_id = registry.start_run("pipeline", meta["config"])
        registry.log_metrics(run_id, meta["scores"], step=0)
        registry.log_artifact(run_id, model_path)
        registry.end_run(run_id)
        version = registry.register("digits-mlp", model_path, run_id=run_id)
        model = persistence.load_model(model_path)
        checks = ml_tests.behavioural_suite(model, X_train, y_train, X_test, np.random.default_rng(0))  # ex06
        if not all(passed for *_, passed in checks):
            raise RuntimeError(f"behavioural tests failed, version {version} stays unpromoted: {checks}")
        steps["behavioural tests"] = ", ".join(f"{name.split(':')[0]} {rate:.0%}" for name, rate, _, _ in checks)
        registry.transition("digits-mlp", version, "staging")
        registry.transition("digits-mlp", version, "production")
        steps["register"] = f"version {version} in production (run {run_id})"
        production = registry.load_production("digits-mlp")

    session = onnx_export.onnx_session(onnx_export.mlp_to_onnx(production.coefs_, production.intercepts_,
                                                               production.classes_))  # ex08
    onnx_labels = session.run(["label"], {"X": X_test.astype(np.float32)})[0]
    if not np.array_equal(onnx_labels, production.predict(X_test)):
        raise RuntimeError("the ONNX export disagrees with the NumPy model")
    steps["export ONNX"] = f"same labels on all {len(X_test)} test digits"

    server, thread = serving.start_server(production, port=0)  # ex05
    try:
        result = load_test(server.server_address[1], X_test, n_requests=100, n_clients=4)
        served = np.concatenate(result["predictions"])
        if result["errors"] or not np.array_equal(served, production.predict(np.resize(X_test, (100, 64)))):
            raise RuntimeError(f"the service failed: {result['errors']} errors")
        p50 = latency_summary(result["latencies"], result["seconds"])["p50_ms"]
        steps["serve"] = f"100 requests from 4 clients, 0 errors, same labels as in process, p50 {p50:.2f} ms"
    finally:
        serving.stop_server(server, thread)

    reference_pred = production.predict(X_train)
    shifted = np.clip(X_test + np.random.default_rng(1).uniform(0.0, 0.5, X_test.shape), 0.0, 1.0)
    alerts = [drift.drift_report(X_train, reference_pred, W, production.predict(W), production.classes_)["alert"]
              for W in (X_test, shifted)]  # ex07
    steps["monitor"] = f"alert on a clean window: {alerts[0]}, on a shifted window: {alerts[1]}"
    return steps


# %% [markdown]
# ## Demo


# %%
def main():
    import tempfile

    from utils import plotting
    from utils.timing import format_table

    X, y = data.load_digits()
    X = X / 16.0
    with tempfile.TemporaryDirectory() as folder:
        print("The pipeline, step by step:")
        steps = run_pipeline(folder, X, y)
        print(format_table(["step", "result"], list(steps.items())))
        model = persistence.load_model(next(Path(folder).glob("model-*.npz")))

        big = np.resize(X, (10_000 if utils.quick_mode() else 100_000, 64))  # a "large" file of inputs
        np.save(Path(folder) / "inputs.npy", big)
        rows = []
        for chunk in (1, 64, 4096):
            n = 2_000 if chunk == 1 else len(big)  # one row at a time is slow: time fewer rows
            start = time.perf_counter()
            predict_in_batches(model.predict, np.load(Path(folder) / "inputs.npy", mmap_mode="r")[:n], chunk)
            batch_rate = n / (time.perf_counter() - start)  # rows/s; the last one (chunks of 4096) is drawn
            rows.append([f"batch job, chunks of {chunk}", n, f"{batch_rate:,.0f}", "-"])

        server, thread = serving.start_server(model, port=0)
        sizes, rates = (1, 4, 16, 64), []
        try:
            for b in sizes:
                n_requests = 100 if utils.quick_mode() else 1000
                result = load_test(server.server_address[1], X, n_requests=n_requests, n_clients=8, batch_size=b)
                s = latency_summary(result["latencies"], result["seconds"])
                rates.append(s["requests_per_s"] * b)
                rows.append([f"online, 8 clients, {b} rows/request", n_requests * b, f"{rates[-1]:,.0f}",
                             f"{s['p50_ms']:.2f} / {s['p99_ms']:.2f}  ({result['errors']} errors)"])
        finally:
            serving.stop_server(server, thread)
    print("\nBatch versus online on this machine:")
    print(format_table(["mode", "rows", "rows/s", "p50 / p99 ms"], rows))

    fig, ax = plotting.new_figure(1, 1, width=5.5, height=3.8)
    ax.plot(sizes, rates, "o-", label="online (HTTP, 8 clients)")
    ax.axhline(batch_rate, color="gray", linestyle="--", label="batch job, chunks of 4096")
    ax.set(xscale="log", yscale="log", xlabel="rows per request", ylabel="rows per second",
           title="Throughput: batch job versus online service")
    ax.legend()
    plotting.show_or_save(fig, "ex09_batch_vs_online")


if __name__ == "__main__":
    main()
