"""Tests for ex03_experiment_tracking: the SQLite tracker's records, queries, transactions and concurrency."""

import sqlite3
import subprocess
import sys

import pytest

import utils

SCRIPT = "09-mlops-basics/ex03_experiment_tracking.py"
ex = utils.load_exercise(SCRIPT)

N_WRITERS = 4
N_METRICS = 60  # per writer; the benchmark writes 500
WRITER_TIMEOUT_S = 60


@pytest.fixture
def tracker(tmp_path):
    with ex.Tracker(tmp_path / "t.db") as t:
        yield t


def test_database_is_in_wal_mode_with_the_four_tables(tmp_path):
    # Check with a separate plain sqlite3 connection: WAL journal and the tables exist.
    ex.Tracker(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "params", "metrics", "artifacts"} <= tables
    conn.close()


def test_params_metrics_and_artifacts_round_trip(tracker, tmp_path):
    # Check that what is logged is read back: typed params (JSON), metric history in step order, artifact hash.
    run = tracker.start_run("r", {"lr": 0.01, "hidden": [64, 32], "note": None})
    tracker.log_params(run, {"epochs": 3})
    for step in (2, 0, 1):
        tracker.log_metrics(run, {"loss": 1.0 / (step + 1), "acc": 0.5 + step / 10}, step)
    assert tracker.params(run) == {"lr": 0.01, "hidden": [64, 32], "note": None, "epochs": 3}
    assert tracker.metric_history(run, "loss") == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    artifact = tmp_path / "model.npz"
    artifact.write_bytes(b"abc")
    tracker.log_artifact(run, artifact)
    digest = tracker.conn.execute("SELECT sha256 FROM artifacts WHERE run_id = ?", (run,)).fetchone()[0]
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # SHA-256("abc"), FIPS 180-4


def test_best_run_uses_each_runs_last_step_and_only_finished_runs(tracker):
    # Check by hand: run a peaks early then falls (last 0.7), run b ends at 0.8, run c (failed) ends at 0.99.
    a = tracker.start_run("a")
    for step, v in enumerate([0.5, 0.95, 0.7]):
        tracker.log_metrics(a, {"acc": v}, step)
    b = tracker.start_run("b")
    for step, v in enumerate([0.6, 0.8]):
        tracker.log_metrics(b, {"acc": v, "loss": 1 - v}, step)
    c = tracker.start_run("c")
    tracker.log_metrics(c, {"acc": 0.99, "loss": 0.01}, 0)
    for run in (a, b):
        tracker.end_run(run)
    tracker.end_run(c, status="failed")
    assert tracker.best_run("acc") == (b, pytest.approx(0.8))
    assert tracker.best_run("acc", mode="min") == (a, pytest.approx(0.7))
    assert tracker.best_run("loss", mode="min") == (b, pytest.approx(0.2))
    assert tracker.best_run("nothing") is None


def test_best_run_matches_a_python_reference_on_random_runs(tracker, rng):
    # Check the SQL against the same question answered in plain Python on 12 random runs.
    last = {}
    for i in range(12):
        run = tracker.start_run(f"r{i}")
        n_steps = int(rng.integers(1, 6))
        values = rng.random(n_steps)
        for step in rng.permutation(n_steps):
            tracker.log_metrics(run, {"score": float(values[step])}, int(step))
        tracker.end_run(run)
        last[run] = values[-1]
    expected = max(last, key=last.get)
    assert tracker.best_run("score") == (expected, pytest.approx(last[expected]))


def test_a_failed_transaction_leaves_no_rows(tracker):
    # Check atomicity: an error inside transaction() rolls back the rows already inserted in it.
    run = tracker.start_run("r")
    with pytest.raises(RuntimeError):
        with tracker.transaction() as conn:
            conn.execute("INSERT INTO metrics VALUES (?, 'x', 0, 1.0)", (run,))
            raise RuntimeError("crash in the middle")
    assert tracker.count_rows("metrics") == 0
    tracker.log_metrics(run, {"x": 1.0}, 0)  # the connection is usable again
    with pytest.raises(sqlite3.IntegrityError):  # the same (run, key, step) twice: refused, whole call undone
        tracker.log_metrics(run, {"y": 2.0, "x": 3.0}, 0)
    assert tracker.count_rows("metrics") == 1


def test_bad_values_are_refused(tracker):
    # Check NaN / inf metrics, a negative step, a metric for a run that does not exist, a bad mode.
    run = tracker.start_run("r")
    with pytest.raises(ValueError, match="finite"):
        tracker.log_metrics(run, {"loss": float("nan")}, 0)
    with pytest.raises(ValueError, match="step"):
        tracker.log_metrics(run, {"loss": 1.0}, -1)
    with pytest.raises(sqlite3.IntegrityError):
        tracker.log_metrics(run + 100, {"loss": 1.0}, 0)
    with pytest.raises(ValueError, match="mode"):
        tracker.best_run("loss", mode="best")
    assert tracker.count_rows("metrics") == 0


def test_concurrent_writer_processes_lose_no_row(tmp_path):
    # Check safety under concurrency: 4 processes write at once, one transaction per row; every row arrives.
    db = tmp_path / "t.db"
    code = "import sys, utils; utils.load_exercise(sys.argv[1]).write_metrics(sys.argv[2], sys.argv[3], int(sys.argv[4]))"
    writers = [subprocess.Popen([sys.executable, "-c", code, SCRIPT, str(db), f"w{i}", str(N_METRICS)],
                                cwd=utils.REPO_ROOT, stderr=subprocess.PIPE, text=True) for i in range(N_WRITERS)]
    try:
        results = [(w.wait(timeout=WRITER_TIMEOUT_S), w.stderr.read()) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    assert [code for code, _ in results] == [0] * N_WRITERS, [err for _, err in results]
    conn = sqlite3.connect(db)
    per_run = conn.execute("SELECT r.name, COUNT(*), COUNT(DISTINCT step) FROM metrics JOIN runs r USING (run_id) "
                           "GROUP BY r.name ORDER BY r.name").fetchall()
    statuses = {row[0] for row in conn.execute("SELECT status FROM runs")}
    conn.close()
    assert per_run == [(f"w{i}", N_METRICS, N_METRICS) for i in range(N_WRITERS)]
    assert statuses == {"finished"}
