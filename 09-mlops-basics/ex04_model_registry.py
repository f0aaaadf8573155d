"""
Exercise 04: a model registry

Learning goals
--------------
- Give every saved model a name and a version number, recorded in the same SQLite database as the
  experiments (with the run that made it and its checksum).
- Move versions through stages, none -> staging -> production -> archived, with at most one production
  version per name, and keep an audit log of every move.
- Roll back: put the previous production version back in one step.
- Load "the production model" by name, and refuse a file that changed since it was registered.

The math
--------
For a model name n, versions are 1, 2, 3, ... in the order of registration. Each version v has a stage
s(n, v) in {none, staging, production, archived}, with the invariant

    |{v : s(n, v) = production}| <= 1.

The audit log is a sequence of events (n, v, from, to, time). The previous production version is the most
recent v' != current among the events whose "to" is production; rolling back promotes v' (which archives
the current one).

Algorithm
---------
1. register: in one transaction, version = 1 + the largest version of the name (0 if none), insert the
   row with the file's SHA-256 and stage none.
2. transition(n, v, production): in one transaction, archive the current production version (if
   another), set v's stage, log both moves.
3. rollback(n): find v' in the log, transition(n, v', production).
4. load_production(n): find the production row, compare the file's SHA-256 with the registered one,
   load with ex01's load_model.

References: MLflow documentation, "MLflow Model Registry" (registered models, versions, stages and
aliases); Google, "Rules of Machine Learning", rule 5 and Sculley et al., "Hidden technical debt in
machine learning systems", NeurIPS 2015.
Builds on: 09-mlops-basics/ex01_model_persistence.py (persistence), 09-mlops-basics/ex03_experiment_tracking.py (tracking).
Difficulty: 2 of 3, about 40 minutes.
Run: python 09-mlops-basics/ex04_model_registry.py
"""

# %%
import time
from pathlib import Path

import utils
from utils.validation import check_option

persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)
tracking = utils.load_exercise("09-mlops-basics/ex03_experiment_tracking.py", practice=False)

STAGES = ("none", "staging", "production", "archived")
REGISTRY_SCHEMA = """
CREATE TABLE IF NOT EXISTS model_versions (
    name TEXT NOT NULL, version INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(run_id), stage TEXT NOT NULL DEFAULT 'none', created REAL NOT NULL,
    PRIMARY KEY (name, version));
CREATE TABLE IF NOT EXISTS stage_events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, version INTEGER NOT NULL,
    from_stage TEXT NOT NULL, to_stage TEXT NOT NULL, time REAL NOT NULL);
"""

# %% [markdown]
# ## The registry: ex03's tracker plus two tables


# %%
class ModelRegistry(tracking.Tracker):
    """Named, versioned models with stages, in the tracking database (every Tracker method works too)."""

    schema = tracking.SCHEMA + REGISTRY_SCHEMA  # the Tracker's tables and two more, created by Tracker.__init__

    def register(self, name, path, run_id=None):
        """Record the model file at path as the next version of name; returns the version number."""
        path = Path(path).resolve()
        digest = persistence.sha256_of_file(path)  # also fails early if the file is missing
        # BEGIN SOLUTION
        # HINT 1: reading the largest version and inserting the next must happen in ONE transaction,
        # HINT 1: or two writers could both pick the same number.
        # HINT 2: version = 1 + COALESCE(MAX(version), 0) over the rows WHERE name = ?.
        # HINT 3: with self.transaction() as conn: version = conn.execute(SELECT ...).fetchone()[0];
        # HINT 3: conn.execute(INSERT INTO model_versions (...) VALUES (...)); return version
        with self.transaction() as conn:
            version = conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?",
                                   (name,)).fetchone()[0]
            conn.execute("INSERT INTO model_versions (name, version, path, sha256, run_id, created) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (name, version, str(path), digest, run_id, time.time()))
        return version
        # END SOLUTION

    def _stage(self, conn, name, version):
        row = conn.execute("SELECT stage FROM model_versions WHERE name = ? AND version = ?", (name, version)).fetchone()
        if row is None:
            raise ValueError(f"model {name!r} has no version {version!r}")
        return row[0]

    def _move(self, conn, name, version, from_stage, to_stage):
        conn.execute("UPDATE model_versions SET stage = ? WHERE name = ? AND version = ?", (to_stage, name, version))
        conn.execute("INSERT INTO stage_events (name, version, from_stage, to_stage, time) VALUES (?, ?, ?, ?, ?)",
                     (name, version, from_stage, to_stage, time.time()))

    def transition(self, name, version, stage):
        """Move a version to stage; promoting to production archives the current production version."""
        check_option(stage, "stage", STAGES)
        # BEGIN SOLUTION
        # HINT 1: everything in one transaction: look up both versions, move the old one, move the new one.
        # HINT 2: if stage == "production" and current is not None and current != version: current -> archived.
        # HINT 3: with self.transaction() as conn: old = self._stage(conn, name, version);
        # HINT 3: if promoting: find current production, self._move(... "production", "archived");
        # HINT 3: if old != stage: self._move(conn, name, version, old, stage)
        with self.transaction() as conn:
            old = self._stage(conn, name, version)
            current = self.production_version(name, conn) if stage == "production" else None
            if current is not None and current != version:
                self._move(conn, name, current, "production", "archived")  # keep the invariant: one production
            if old != stage:
                self._move(conn, name, version, old, stage)
        # END SOLUTION

    def production_version(self, name, conn=None):
        """The version of name in production, or None (read through conn inside a transaction)."""
        row = (conn or self.conn).execute("SELECT version FROM model_versions WHERE name = ? AND stage = 'production'",
                                          (name,)).fetchone()
        return None if row is None else row[0]

    def rollback(self, name):
        """Put back the version that was in production before the current one; returns its number."""
        current = self.production_version(name)
        # BEGIN SOLUTION
        # HINT 1: the audit log remembers every promotion, newest last.
        # HINT 2: the newest event with to_stage = 'production' and version != current names the previous one.
        # HINT 3: row = SELECT version FROM stage_events WHERE name = ? AND to_stage = 'production'
        # HINT 3: AND version != ? ORDER BY event_id DESC LIMIT 1; None -> ValueError;
        # HINT 3: self.transition(name, row[0], "production"); return row[0]
        row = self.conn.execute("SELECT version FROM stage_events WHERE name = ? AND to_stage = 'production' "
                                "AND version IS NOT ? ORDER BY event_id DESC LIMIT 1", (name, current)).fetchone()
        if row is None:
            raise ValueError(f"model {name!r} has no earlier production version to roll back to")
        self.transition(name, row[0], "production")
        return row[0]
        # END SOLUTION

    def versions(self, name):  # [(version, stage, run_id, path), ...] of name, oldest first
        return self.conn.execute("SELECT version, stage, run_id, path FROM model_versions WHERE name = ? ORDER BY version", (name,)).fetchall()

    def history(self, name):  # the audit log of name: [(version, from_stage, to_stage), ...] in order
        return self.conn.execute("SELECT version, from_stage, to_stage FROM stage_events WHERE name = ? ORDER BY event_id", (name,)).fetchall()

    def load_production(self, name):
        """Load the production version of name, after checking its file is the one registered."""
        row = self.conn.execute("SELECT version, path, sha256 FROM model_versions WHERE name = ? "
                                "AND stage = 'production'", (name,)).fetchone()
        if row is None:
            raise ValueError(f"model {name!r} has no version in production")
        version, path, digest = row
        if persistence.sha256_of_file(path) != digest:
            raise ValueError(f"the file of {name!r} version {version} changed after it was registered: {path}")
        return persistence.load_model(path)


# %% [markdown]
# ## Demo


# %%
def main():
    import tempfile

    from sklearn.neural_network import MLPClassifier

    from utils import data
    from utils.timing import format_table

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), learning_rate_init=5e-3, random_state=0)  # the subject: any MLP save_model takes
    with tempfile.TemporaryDirectory() as folder, ModelRegistry(Path(folder) / "mlops.db") as registry:
        for epochs in (2, 10):  # two versions: trained for 2 epochs, then on to 10
            while getattr(model, "t_", 0) < epochs * len(X_train):  # t_ counts the samples seen
                model.partial_fit(X_train, y_train, classes=list(range(10)))  # one more epoch
            run_id = registry.start_run("digits", {"epochs": epochs})  # ex03's tracking, same database
            registry.log_metrics(run_id, {"test_accuracy": model.score(X_test, y_test)}, step=0)
            registry.end_run(run_id)
            persistence.save_model(model, Path(folder) / f"digits-{epochs}-epochs.npz")
            version = registry.register("digits-mlp", Path(folder) / f"digits-{epochs}-epochs.npz", run_id=run_id)
            for stage in ("staging", "production"):
                registry.transition("digits-mlp", version, stage)
            accuracy = registry.load_production("digits-mlp").score(X_test, y_test)
            print(f"version {version} (run {run_id}, {epochs} epochs) registered, promoted: test accuracy {accuracy:.1%}")
        print(f"\nVersion 2 misbehaves in production (a bad input pipeline, say): rollback puts version "
              f"{registry.rollback('digits-mlp')} back. The stages now, then the audit log:")
        print(format_table(["version", "stage", "run_id", "file"],
                           [[v, s, r, Path(p).name] for v, s, r, p in registry.versions("digits-mlp")]))
        print(format_table(["version", "from", "to"], registry.history("digits-mlp")))


if __name__ == "__main__":
    main()
