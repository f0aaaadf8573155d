"""Tests for ex02_reproducible_training: config, fingerprint and byte-identical retraining."""

import hashlib
import json

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

import utils

ex = utils.load_exercise("09-mlops-basics/ex02_reproducible_training.py")

SMALL = {"hidden_layer_sizes": [8], "max_iter": 300, "batch_size": 16}


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(0)
    return rng.random((80, 6)), np.arange(80) % 3


def test_hash_array_is_sha256_of_header_and_bytes():
    # Check by hand-built reference: the digest equals hashlib over "dtype|shape|" then the raw bytes.
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    expected = hashlib.sha256(b"<i8|(2, 3)|" + a.tobytes()).hexdigest()
    assert ex.hash_array(a) == expected


def test_hash_array_sees_dtype_shape_and_values():
    # Check that the same numbers in another dtype or shape, or one changed value, hash differently,
    # and that a non-contiguous view hashes like its contiguous copy.
    a = np.arange(6.0).reshape(2, 3)
    digests = {ex.hash_array(a), ex.hash_array(a.astype(np.float32)), ex.hash_array(a.reshape(3, 2)),
               ex.hash_array(a + np.eye(2, 3) * 1e-12)}
    assert len(digests) == 4
    assert ex.hash_array(a.T) == ex.hash_array(np.ascontiguousarray(a.T))


def test_fingerprint_changes_with_each_part_and_only_then(toy, tmp_path):
    # Check that X, y, the config and each code file all enter the fingerprint; key order does not.
    X, y = toy
    code = tmp_path / "train.py"
    code.write_text("print('v1')\n")
    config = {"seed": 0, "learning_rate": 0.1}
    base, parts = ex.fingerprint(X, y, config, [code])
    assert sorted(parts) == ["X", "code:train.py", "config", "y"]
    assert len(base) == 64
    assert ex.fingerprint(X.copy(), y.copy(), {"learning_rate": 0.1, "seed": 0}, [code])[0] == base
    X2 = X.copy()
    X2[3, 2] += 1e-9
    y2 = y.copy()
    y2[0] = 2
    assert ex.fingerprint(X2, y, config, [code])[0] != base
    assert ex.fingerprint(X, y2, config, [code])[0] != base
    assert ex.fingerprint(X, y, {"seed": 1, "learning_rate": 0.1}, [code])[0] != base
    code.write_text("print('v2')\n")
    assert ex.fingerprint(X, y, config, [code])[0] != base


def test_config_defaults_and_unknown_keys(tmp_path):
    # Check that missing keys take the defaults and a misspelt key is refused by name.
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"seed": 7}))
    config = ex.load_config(path)
    assert config["seed"] == 7 and config["max_iter"] == ex.DEFAULT_CONFIG["max_iter"]
    path.write_text(json.dumps({"learnig_rate": 0.1}))
    with pytest.raises(ValueError, match="learnig_rate"):
        ex.load_config(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="JSON"):
        ex.load_config(path)


def test_same_inputs_give_a_byte_identical_model_file(toy, tmp_path):
    # Check the goal of the lesson: two runs from the same config, data and code write identical bytes.
    X, y = toy
    config = tmp_path / "c.json"
    config.write_text(json.dumps(SMALL))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = ex.run_training(config, X, y, tmp_path / "a", MLPClassifier())
    b = ex.run_training(config, X, y, tmp_path / "b", MLPClassifier())
    assert a.name == b.name
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".json").read_bytes() == b.with_suffix(".json").read_bytes()


def test_another_seed_gives_another_model_and_name(toy, tmp_path):
    # Check that the seed really drives the randomness: seed 1 changes both the weights and the file name.
    X, y = toy
    config = tmp_path / "c.json"
    config.write_text(json.dumps(SMALL))
    a = ex.run_training(config, X, y, tmp_path, MLPClassifier())
    config.write_text(json.dumps({**SMALL, "seed": 1}))
    b = ex.run_training(config, X, y, tmp_path, MLPClassifier())
    assert a.name != b.name and a.read_bytes() != b.read_bytes()


def test_metadata_records_config_environment_and_fingerprint(toy, tmp_path):
    # Check the provenance stored beside the model: the full config, the versions, the fingerprint.
    X, y = toy
    config = tmp_path / "c.json"
    config.write_text(json.dumps(SMALL))
    path = ex.run_training(config, X, y, tmp_path, MLPClassifier())
    meta = json.loads(path.with_suffix(".json").read_text())["metadata"]
    assert meta["config"] == {**ex.DEFAULT_CONFIG, **SMALL}
    assert meta["environment"]["numpy"] == np.__version__
    assert meta["fingerprint"] == ex.fingerprint(X, y, meta["config"])[0]
    assert path.name == f"model-{meta['fingerprint'][:12]}.npz"
    assert 0.0 <= meta["scores"]["test_accuracy"] <= 1.0


def test_train_from_config_uses_the_seed_for_the_split(toy):
    # Check that the split is seeded too: the same config gives the same scores, a new seed other weights.
    X, y = toy
    config = {**ex.DEFAULT_CONFIG, **SMALL}
    m1, s1 = ex.train_from_config(config, X, y, MLPClassifier())
    m2, s2 = ex.train_from_config(config, X, y, MLPClassifier())
    assert s1 == s2
    np.testing.assert_array_equal(m1.coefs_[0], m2.coefs_[0])
    m3, _ = ex.train_from_config({**config, "seed": 5}, X, y, MLPClassifier())
    assert m3.get_params()["random_state"] == 5 and m3.get_params()["max_iter"] == SMALL["max_iter"]  # the model's seed too
    assert not np.array_equal(m1.coefs_[0], m3.coefs_[0])
    assert m1.coefs_[0].shape == (6, 8)
