"""
Exercise 09: batch versus online inference

Learning goals
--------------
- Batch inference: score a file of inputs too large for memory in chunks, reading
  it memory-mapped, and write the predictions to a file.
- Online inference: load-test ex05's server with concurrent clients; read p50,
  p99 and throughput, and see how batching trades latency for throughput.

The math
--------
Batch: N = n_samples rows in chunks of size c take ceil(N / c) calls; each call costs a fixed
overhead o plus a per-row cost r, so the time is about ceil(N / c) o + N r, and
large chunks amortise o. Memory holds only one chunk: c rows, not N.

Online: with c clients each waiting for its reply before sending the next request
(a closed loop), Little's law L = lambda W with L = c requests in the system gives

    throughput lambda ~= c / W,   W = the mean latency,

so more clients raise the throughput until the server saturates, after which
only W grows. A request of b = batch_size rows moves b rows per round trip.

Algorithm
---------
1. score_file: np.load(..., mmap_mode="r"), predict chunk by chunk, save the labels.
2. load_test: c threads, each with a keep-alive connection, share N requests;
   record each latency; summarise with percentiles and N / wall time.

References: J. D. C. Little, "A proof for the queuing formula L = lambda W",
Operations Research 9(3), 1961; C. Huyen, "Designing Machine Learning Systems",
O'Reilly 2022, ch. 7 (batch and online prediction); D. Sculley et al., "Hidden
technical debt in machine learning systems", NeurIPS 2015.
Builds on: 09-mlops-basics/ex05_model_serving.py (serving).
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

serving = utils.load_exercise("09-mlops-basics/ex05_model_serving.py", practice=False)

# %% [markdown]
# ## Batch inference: a file, in chunks


# %%
def predict_in_batches(predict, X, chunk_size):
    """predict(X) computed chunk by chunk: only chunk_size rows in memory at once; returns (n_samples,)."""
    chunk_size = check_positive_int(chunk_size, "chunk_size")
    # BEGIN SOLUTION
    # HINT 1: walk over the rows in steps of chunk_size and join the pieces at the end.
    # HINT 2: predict(np.asarray(X[start : start + chunk_size])) for start in range(0, len(X), chunk_size)
    # HINT 3: parts = [...]; return np.concatenate(parts) (np.asarray reads a memory-mapped chunk into RAM)
    parts = [predict(np.asarray(X[start : start + chunk_size])) for start in range(0, len(X), chunk_size)]
    return np.concatenate(parts)  # (n_samples,)
    # END SOLUTION


def score_file(predict, in_path, out_path, chunk_size=1024):
    """Batch job: read the .npy at in_path memory-mapped, predict in chunks, save labels to out_path."""
    X = np.load(in_path, mmap_mode="r", allow_pickle=False)  # (n_samples, n_features) on disk, read a chunk at a time
    labels = predict_in_batches(predict, X, chunk_size)  # (n_samples,)
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
            rows = np.take(X, np.arange(i * batch_size, (i + 1) * batch_size), axis=0, mode="wrap")  # (batch_size, n_features)
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
# ## Demo


# %%
def main():
    import tempfile

    from sklearn.neural_network import MLPClassifier

    from utils import plotting
    from utils.timing import format_table

    X, y = data.load_digits()
    X = X / 16.0
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X, y)  # the subject: any fitted classifier
    with tempfile.TemporaryDirectory() as folder:

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
