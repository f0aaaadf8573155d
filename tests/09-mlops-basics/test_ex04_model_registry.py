"""Tests for ex04_model_registry: versions, stages, the one-production invariant, rollback and loading."""

import sqlite3
import threading

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

import utils

ex = utils.load_exercise("09-mlops-basics/ex04_model_registry.py")
persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)

N_THREADS = 4
PER_THREAD = 5


@pytest.fixture
def files(tmp_path):
    """Three different small models saved under tmp_path."""
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 4)), np.arange(40) % 3
    paths = []
    for seed in range(3):
        model = MLPClassifier(hidden_layer_sizes=(5,), random_state=seed).partial_fit(X, y, classes=[0, 1, 2])  # 1 epoch
        paths.append(tmp_path / f"m{seed}.npz")
        persistence.save_model(model, paths[-1])
    return paths


@pytest.fixture
def registry(tmp_path):
    r = ex.ModelRegistry(tmp_path / "reg.db")
    yield r
    r.close()


def _production_count(registry, name):
    return registry.conn.execute("SELECT COUNT(*) FROM model_versions WHERE name = ? AND stage = 'production'",
                                 (name,)).fetchone()[0]


def test_versions_count_up_per_name(registry, files):
    # Check that each name has its own sequence 1, 2, 3 and that new versions start in stage "none".
    assert [registry.register("a", p) for p in files] == [1, 2, 3]
    assert registry.register("b", files[0]) == 1
    assert [(v, s) for v, s, _, _ in registry.versions("a")] == [(1, "none"), (2, "none"), (3, "none")]


def test_promotion_archives_the_old_production_version(registry, files):
    # Check the invariant (at most one production version) and the audit log, worked by hand.
    for p in files:
        registry.register("m", p)
    registry.transition("m", 1, "production")
    registry.transition("m", 2, "staging")
    registry.transition("m", 2, "production")
    assert registry.production_version("m") == 2
    assert _production_count(registry, "m") == 1
    assert dict((v, s) for v, s, _, _ in registry.versions("m")) == {1: "archived", 2: "production", 3: "none"}
    assert registry.history("m") == [(1, "none", "production"), (2, "none", "staging"),
                                     (1, "production", "archived"), (2, "staging", "production")]
    registry.transition("m", 2, "production")  # promoting the production version again changes nothing
    assert len(registry.history("m")) == 4


def test_rollback_restores_the_previous_production_version(registry, files):
    # Check rollback twice: 1 -> 2 -> 3 in production; rollback gives 2, another rollback gives 3 back.
    for p in files:
        registry.register("m", p)
    for v in (1, 2, 3):
        registry.transition("m", v, "production")
    assert registry.rollback("m") == 2
    assert registry.production_version("m") == 2 and _production_count(registry, "m") == 1
    assert registry.rollback("m") == 3
    assert registry.production_version("m") == 3


def test_rollback_without_history_is_refused(registry, files):
    # Check the error when there is nothing to go back to.
    registry.register("m", files[0])
    with pytest.raises(ValueError, match="no earlier production"):
        registry.rollback("m")
    registry.transition("m", 1, "production")
    with pytest.raises(ValueError, match="no earlier production"):
        registry.rollback("m")


def test_load_production_gives_that_versions_model(registry, files):
    # Check that the loaded model is the promoted file's model (compared with ex01's load_model).
    for p in files:
        registry.register("m", p)
    registry.transition("m", 2, "production")
    loaded = registry.load_production("m")
    np.testing.assert_array_equal(loaded.coefs_[0], persistence.load_model(files[1]).coefs_[0])


def test_a_file_changed_after_registration_is_refused(registry, files):
    # Check that replacing the registered file (even with another valid model) is caught by the registry.
    registry.register("m", files[0])
    registry.transition("m", 1, "production")
    files[0].write_bytes(files[1].read_bytes())
    files[0].with_suffix(".json").write_bytes(files[1].with_suffix(".json").read_bytes())
    with pytest.raises(ValueError, match="changed"):
        registry.load_production("m")


def test_bad_stage_version_and_name(registry, files):
    # Check an unknown stage, a version that does not exist, a name with nothing in production.
    registry.register("m", files[0])
    with pytest.raises(ValueError, match="stage"):
        registry.transition("m", 1, "prod")
    with pytest.raises(ValueError, match="no version 7"):
        registry.transition("m", 7, "staging")
    with pytest.raises(ValueError, match="no version in production"):
        registry.load_production("m")


def test_registry_shares_the_tracking_database(registry, files):
    # Check "the same database": a run logged through the registry is referenced by the version row.
    run = registry.start_run("train")
    registry.register("m", files[0], run_id=run)
    assert registry.versions("m")[0][2] == run
    with pytest.raises(sqlite3.IntegrityError):  # a run that does not exist
        registry.register("m", files[1], run_id=run + 50)


def test_concurrent_registrations_get_distinct_versions(tmp_path, files):
    # Check that writers on separate connections never receive the same version number.
    db = tmp_path / "reg.db"
    ex.ModelRegistry(db).close()
    got, errors = [], []

    def worker():
        try:
            with ex.ModelRegistry(db) as r:
                got.extend(r.register("m", files[0]) for _ in range(PER_THREAD))
        except Exception as error:  # reported below, so a failing thread fails the test
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(got) == list(range(1, N_THREADS * PER_THREAD + 1))
