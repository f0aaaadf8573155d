"""Tests for ex09_batch_vs_online: chunked batch scoring and the load test on loopback."""

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

import utils

ex = utils.load_exercise("09-mlops-basics/ex09_batch_vs_online.py")
serving = utils.load_exercise("09-mlops-basics/ex05_model_serving.py", practice=False)


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 4)), np.arange(60) % 3
    return MLPClassifier(hidden_layer_sizes=(6,), random_state=0).partial_fit(X, y, classes=[0, 1, 2])  # 1 epoch


class CountingPredict:
    """A predict function that records the size of every call."""

    def __init__(self, predict):
        self.predict, self.sizes = predict, []

    def __call__(self, X):
        self.sizes.append(len(X))
        return self.predict(X)


@pytest.mark.parametrize("chunk", [1, 7, 50, 1000])
def test_predict_in_batches_equals_one_call_and_respects_the_chunk_size(model, rng, chunk):
    # Check the labels equal one whole-array predict, and every call sees at most `chunk` rows, ceil(n / chunk) calls.
    X = rng.random((50, 4))
    counting = CountingPredict(model.predict)
    np.testing.assert_array_equal(ex.predict_in_batches(counting, X, chunk), model.predict(X))
    assert max(counting.sizes) <= chunk and len(counting.sizes) == -(-50 // chunk) and sum(counting.sizes) == 50


def test_predict_in_batches_refuses_a_bad_chunk_size(model):
    # Check 0 and 2.5 are refused with the argument's name.
    for bad in (0, 2.5):
        with pytest.raises(ValueError, match="chunk_size"):
            ex.predict_in_batches(model.predict, np.zeros((3, 4)), bad)


def test_score_file_writes_the_same_labels(model, rng, tmp_path):
    # Check the batch job on files under tmp_path: the saved labels equal an in-memory predict.
    X = rng.random((300, 4))
    np.save(tmp_path / "in.npy", X)
    assert ex.score_file(model.predict, tmp_path / "in.npy", tmp_path / "out.npy", chunk_size=64) == 300
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), model.predict(X))


def test_latency_summary_by_hand():
    # Check by hand: latencies 1..100 ms; NumPy's linear percentile puts p50 at 50.5 ms and p99 at 99.01 ms;
    # 100 requests in 2 s is 50 requests/s.
    summary = ex.latency_summary(np.arange(1, 101) / 1000.0, seconds=2.0)
    assert summary["p50_ms"] == pytest.approx(50.5) and summary["p99_ms"] == pytest.approx(99.01)
    assert summary["requests_per_s"] == pytest.approx(50.0)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_load_test_on_loopback_matches_the_in_process_model(model, rng, batch_size):
    # Check 4 clients x 40 requests against ex05's server on 127.0.0.1: no error, and every reply equals
    # predict on the same rows (cycling through X).
    X = rng.random((25, 4))
    server, thread = serving.start_server(model, port=0)
    try:
        result = ex.load_test(server.server_address[1], X, n_requests=40, n_clients=4, batch_size=batch_size)
    finally:
        serving.stop_server(server, thread)
    assert result["errors"] == 0 and np.all(result["latencies"] > 0) and result["seconds"] > 0
    rows = np.resize(X, (40 * batch_size, 4))  # the rows in request order, wrapping around
    np.testing.assert_array_equal(np.concatenate(result["predictions"]), model.predict(rows))


def test_load_test_counts_errors_when_nothing_listens(rng):
    # Check a closed port: every request is an error, none is a prediction, and the test still ends.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = ex.load_test(port, rng.random((3, 4)), n_requests=6, n_clients=2, timeout=1.0)
    assert result["errors"] == 6 and result["predictions"] == [None] * 6
