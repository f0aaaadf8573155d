"""
Exercise 03: experiment tracking in SQLite

Learning goals
--------------
- Record every training run (its parameters, its metrics step by step, the files it wrote) in a real
  embedded database, the standard library's sqlite3.
- Ask the database questions in SQL: the history of a metric, the best run.
- Keep the records whole when several processes write at once: write-ahead logging (WAL), a busy
  timeout, and one transaction per logical write.
- Map what we built onto MLflow's vocabulary.

The math
--------
Four tables, one row per fact (the key of each row in brackets):

    runs(run_id [key], name, status, started, ended)
    params(run_id, key [key together], value as JSON text)
    metrics(run_id, key, step [key together], value)
    artifacts(run_id, path [key together], sha256)

The best run for a metric m is argmax (or argmin) over finished runs r of m_r(T_r), the value at the
run's last step T_r = max step of m in run r.

A transaction is all-or-nothing: BEGIN IMMEDIATE takes the write lock at the start (so two writers never
both read, then both try to upgrade and one fails), COMMIT makes every row visible at once, ROLLBACK on
error leaves no trace. In WAL mode readers never block the writer and the writer never blocks readers;
writers take turns, waiting up to the busy timeout for the lock.

Algorithm
---------
1. Open the file, switch it to WAL, set the busy timeout, create the tables if missing.
2. start_run inserts a row in runs; log_params / log_metrics insert rows, each call one transaction.
3. end_run sets the status and the end time.
4. best_run: one SQL query that joins each run's last step of the metric.

References: SQLite documentation, "Write-Ahead Logging" and "Transaction" (sqlite.org/wal.html,
sqlite.org/lang_transaction.html); MLflow documentation, "MLflow Tracking" (runs, parameters, metrics,
artifacts, backend stores).
Difficulty: 2 of 3, about 45 minutes.
Run: python 09-mlops-basics/ex03_experiment_tracking.py
"""

# %%
import contextlib
import hashlib
import json
import math
import sqlite3
import sys
import time
from pathlib import Path

from utils.validation import check_option

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running', started REAL NOT NULL, ended REAL);
CREATE TABLE IF NOT EXISTS params (
    run_id INTEGER NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS metrics (
    run_id INTEGER NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, step INTEGER NOT NULL,
    value REAL NOT NULL, PRIMARY KEY (run_id, key, step));
CREATE TABLE IF NOT EXISTS artifacts (
    run_id INTEGER NOT NULL REFERENCES runs(run_id), path TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, path));
"""

# %% [markdown]
# ## The tracker


# %%
class Tracker:
    """Runs, parameters, metrics and artifacts in one SQLite file (db_path, created if missing), safe for
    concurrent writers; timeout: the seconds a writer waits for another writer's lock before giving up."""

    schema = SCHEMA

    def __init__(self, db_path, timeout=30.0):
        self.db_path = str(db_path)
        # isolation_level=None: we open and close every transaction ourselves, explicitly.
        self.conn = sqlite3.connect(self.db_path, timeout=timeout, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")  # readers and the writer stop blocking each other
        # In WAL mode, synchronous=NORMAL flushes to disk at checkpoints, not at every COMMIT: a power cut
        # may lose the last few commits but never corrupts the file, and each commit costs no fsync.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")  # a metric for a run that does not exist is refused
        with self.transaction():
            for statement in self.schema.split(";"):  # a subclass may add tables (ex04's registry)
                if statement.strip():
                    self.conn.execute(statement)

    @contextlib.contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if the block raises: all rows or none."""
        # BEGIN SOLUTION
        # HINT 1: take the write lock first, run the block, then make it permanent or undo it.
        # HINT 2: self.conn.execute("BEGIN IMMEDIATE"); yield; "COMMIT" -- and "ROLLBACK" in except.
        # HINT 3: execute BEGIN IMMEDIATE; try: yield self.conn; except BaseException: ROLLBACK; raise;
        # HINT 3: else: COMMIT
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first INSERT
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        # END SOLUTION

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):  # "with Tracker(path) as tracker:" closes the connection at the end
        self.close()

    def start_run(self, name, params=None):
        """A new run (status 'running'); returns its run_id."""
        with self.transaction() as conn:
            run_id = conn.execute("INSERT INTO runs (name, started) VALUES (?, ?)", (name, time.time())).lastrowid
            if params:
                self._insert_params(conn, run_id, params)
        return run_id

    def _insert_params(self, conn, run_id, params):
        rows = [(run_id, str(key), json.dumps(value, sort_keys=True)) for key, value in params.items()]
        conn.executemany("INSERT OR REPLACE INTO params (run_id, key, value) VALUES (?, ?, ?)", rows)

    def log_params(self, run_id, params):
        """Store a dict of parameters (values kept as JSON, so lists and None survive)."""
        with self.transaction() as conn:
            self._insert_params(conn, run_id, params)

    def log_metrics(self, run_id, metrics, step):
        """Store {key: value} at one step, in one transaction: all of them or none."""
        bad = {key: value for key, value in metrics.items() if not math.isfinite(float(value))}
        if bad:
            raise ValueError(f"metric values must be finite numbers; got {bad}")
        if int(step) != step or step < 0:
            raise ValueError(f"step must be a non-negative integer; got {step!r}")
        # BEGIN SOLUTION
        # HINT 1: one transaction, one row per metric: (run_id, key, step, value).
        # HINT 2: conn.executemany("INSERT INTO metrics ... VALUES (?, ?, ?, ?)", rows) inside self.transaction().
        # HINT 3: rows = [(run_id, key, int(step), float(value)) for key, value in metrics.items()];
        # HINT 3: with self.transaction() as conn: conn.executemany(...)
        rows = [(run_id, str(key), int(step), float(value)) for key, value in metrics.items()]
        with self.transaction() as conn:
            conn.executemany("INSERT INTO metrics (run_id, key, step, value) VALUES (?, ?, ?, ?)", rows)
        # END SOLUTION

    def log_artifact(self, run_id, path):
        """Record a file the run produced, with its SHA-256 (so a later change is noticed)."""
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?)", (run_id, str(path), digest))

    def end_run(self, run_id, status="finished"):
        check_option(status, "status", ("finished", "failed"))
        with self.transaction() as conn:
            conn.execute("UPDATE runs SET status = ?, ended = ? WHERE run_id = ?", (status, time.time(), run_id))

    def params(self, run_id):
        rows = self.conn.execute("SELECT key, value FROM params WHERE run_id = ?", (run_id,))
        return {key: json.loads(value) for key, value in rows}

    def metric_history(self, run_id, key):
        """[(step, value), ...] of one metric of one run, in step order."""
        query = "SELECT step, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY step"
        return self.conn.execute(query, (run_id, key)).fetchall()

    def best_run(self, key, mode="max"):
        """(run_id, value) of the finished run whose last value of `key` is best; None if there is none."""
        check_option(mode, "mode", ("max", "min"))
        # BEGIN SOLUTION
        # HINT 1: keep, for each finished run, only the row at that run's largest step of the metric.
        # HINT 2: WHERE m.step = (SELECT MAX(step) FROM metrics WHERE run_id = m.run_id AND key = m.key)
        # HINT 3: SELECT m.run_id, m.value FROM metrics m JOIN runs r USING (run_id)
        # HINT 3: WHERE m.key = ? AND r.status = 'finished' AND <last step> ORDER BY m.value DESC LIMIT 1
        order = "DESC" if mode == "max" else "ASC"  # chosen from two literals: never user text in SQL
        query = f"""
            SELECT m.run_id, m.value FROM metrics AS m JOIN runs AS r USING (run_id)
            WHERE m.key = ? AND r.status = 'finished'
              AND m.step = (SELECT MAX(step) FROM metrics WHERE run_id = m.run_id AND key = m.key)
            ORDER BY m.value {order}, m.run_id LIMIT 1"""
        return self.conn.execute(query, (key,)).fetchone()
        # END SOLUTION

    def count_rows(self, table):
        check_option(table, "table", ("runs", "params", "metrics", "artifacts"))  # never user text in SQL
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def write_metrics(db_path, name, n_metrics):
    """One writer process's job (the demo and the benchmark start several): a run with n_metrics rows."""
    with Tracker(db_path) as tracker:
        run_id = tracker.start_run(name)
        for step in range(n_metrics):
            tracker.log_metrics(run_id, {"value": float(step)}, step=step)  # one transaction per row
        tracker.end_run(run_id)


# %% [markdown]
# ## MLflow's vocabulary, mapped onto ours
#
# | MLflow                                   | here                                        |
# |------------------------------------------|---------------------------------------------|
# | tracking URI `sqlite:///mlflow.db`       | `Tracker("tracking.db")` (MLflow can use SQLite too) |
# | `mlflow.start_run()` / `end_run()`       | `start_run(name)` / `end_run(run_id)`        |
# | `log_param(s)`, `log_metric(key, v, step)` | `log_params`, `log_metrics(run_id, {...}, step)` |
# | `log_artifact(path)` (copies the file)   | `log_artifact` (records path and hash)       |
# | `search_runs(order_by=["metrics.acc DESC"])` | `best_run("val_accuracy")`               |
# | experiment (a group of runs)             | a run `name` prefix                          |
#
# ## Demo: a small sweep, then four processes writing at once


# %%
def main():
    import subprocess
    import tempfile

    from sklearn.neural_network import MLPClassifier

    import utils
    from utils import data
    from utils.timing import format_table

    X, y = data.load_digits()
    X_train, X_val, y_train, y_val = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    epochs = 4 if utils.quick_mode() else 12
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tracking.db"
        with Tracker(db) as tracker:
            for hidden, lr in [(16, 1e-3), (16, 5e-3), (64, 1e-3), (64, 5e-3)]:  # a small sweep, one run each
                run_id = tracker.start_run("digits-sweep", {"hidden": hidden, "learning_rate": lr})
                model = MLPClassifier((hidden,), learning_rate_init=lr, random_state=0)  # the subject: any model
                for step in range(epochs):
                    model.partial_fit(X_train, y_train, classes=list(range(10)))  # one epoch
                    tracker.log_metrics(run_id, {"train_loss": model.loss_,
                                                 "val_accuracy": model.score(X_val, y_val)}, step)
                tracker.end_run(run_id)
            rows = [[r, *tracker.params(r).values(), f"{tracker.metric_history(r, 'val_accuracy')[-1][1]:.1%}"]
                    for r in range(1, 5)]
            print(f"A sweep of 4 runs, {epochs} epochs each, read back from SQLite:")
            print(format_table(["run_id", "hidden", "learning rate", "last val accuracy"], rows))
            best = tracker.best_run("val_accuracy")
            print(f"best_run('val_accuracy') -> run {best[0]} with {best[1]:.1%}")

        n_writers, n_metrics = 4, 50 if utils.quick_mode() else 500
        start = time.perf_counter()
        # Each writer is a separate Python process running write_metrics from this file.
        code = "import sys, utils; utils.load_exercise(sys.argv[1]).write_metrics(sys.argv[2], sys.argv[3], int(sys.argv[4]))"
        writers = [subprocess.Popen([sys.executable, "-c", code, __file__, str(db), f"writer-{i}", str(n_metrics)])
                   for i in range(n_writers)]
        codes = [w.wait(timeout=120) for w in writers]
        with Tracker(db) as tracker:
            rows = tracker.conn.execute("SELECT COUNT(*) FROM metrics JOIN runs USING (run_id) "
                                        "WHERE name LIKE 'writer-%'").fetchone()[0]
        print(f"\n{n_writers} processes wrote {n_metrics} metrics each at once (one transaction per row) in "
              f"{time.perf_counter() - start:.1f} s: exit codes {codes}, {rows} of {n_writers * n_metrics} rows stored")


if __name__ == "__main__":
    main()
