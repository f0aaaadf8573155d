"""Tests for ex01_model_persistence: checksums, a round trip, and every file load_model must refuse."""

import hashlib
import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

import utils

ex = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py")


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 5)), np.arange(60) % 3
    return MLPClassifier(hidden_layer_sizes=(7, 4), max_iter=500, random_state=0).fit(X, y)  # converges: no warning


def test_sha256_matches_hashlib_on_known_bytes(tmp_path):
    # Check against hashlib on the whole content and the published digest of b"abc" (FIPS 180-4 example),
    # with a chunk size smaller than the file so several chunks are joined.
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    assert ex.sha256_of_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    content = bytes(range(256)) * 40
    path.write_bytes(content)
    assert ex.sha256_of_file(path, chunk_size=1000) == hashlib.sha256(content).hexdigest()


def test_round_trip_gives_identical_weights_and_predictions(model, tmp_path):
    # Check that every array comes back bit for bit, with the metadata, and that the rebuilt SavedMLP gives
    # scikit-learn's own probabilities and labels (an independent forward pass).
    path = tmp_path / "m.npz"
    ex.save_model(model, path, metadata={"note": "hi", "accuracy": 0.5})
    loaded = ex.load_model(path)
    assert len(loaded.coefs_) == 3
    for a, b in zip(loaded.coefs_ + loaded.intercepts_, model.coefs_ + model.intercepts_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.classes_, model.classes_)
    assert loaded.metadata_ == {"note": "hi", "accuracy": 0.5}
    X = np.random.default_rng(1).random((10, 5))
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_description_records_format_version_and_checksum(model, tmp_path):
    # Check the JSON beside the .npz: format, version, the SHA-256 of the .npz (hashlib), input width.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    description = json.loads((tmp_path / "m.json").read_text())
    assert description["format_version"] == ex.FORMAT_VERSION
    assert description["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert description["n_features"] == 5 and description["n_layers"] == 3


def test_the_npz_holds_only_plain_arrays(model, tmp_path):
    # Check with NumPy's own reader (allow_pickle=False) that the archive is an ordinary .npz.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["W1", "W2", "W3", "b1", "b2", "b3", "classes"]
        np.testing.assert_array_equal(archive["W2"], model.coefs_[1])


def test_saving_twice_gives_the_same_bytes(model, tmp_path):
    # Check determinism: the same model saved at two moments gives byte-identical files (no timestamps).
    ex.save_model(model, tmp_path / "a.npz")
    ex.save_model(model, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert not list(tmp_path.glob("*.tmp"))  # the temporary files were renamed away


def test_a_flipped_bit_is_refused(model, tmp_path):
    # Check the checksum: one changed bit in the .npz gives a ValueError naming the checksum.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum"):
        ex.load_model(path)


def _forge(path, content):
    """Replace path's bytes and update its checksum, as an attacker who controls both files would."""
    path.write_bytes(content)
    meta = path.with_suffix(".json")
    description = json.loads(meta.read_text())
    description["sha256"] = hashlib.sha256(content).hexdigest()
    meta.write_text(json.dumps(description))


class _Marker:
    calls = []

    def __reduce__(self):
        return _Marker.calls.append, ("ran",)


def test_a_pickle_with_a_valid_checksum_is_refused_without_running(model, tmp_path):
    # Check that a pickle file, even with a correct checksum, is refused and its code never runs.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    _forge(path, pickle.dumps({"W1": _Marker()}))
    with pytest.raises(ValueError, match="pickle"):
        ex.load_model(path)
    assert _Marker.calls == []


def test_an_npz_holding_an_object_array_is_refused(model, tmp_path):
    # Check the subtler case: a real .npz (a zip) with one pickled object array inside.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    buffer = io.BytesIO()
    arrays = {"W1": model.coefs_[0], "W2": model.coefs_[1], "W3": model.coefs_[2], "b1": model.intercepts_[0],
              "b2": model.intercepts_[1], "b3": model.intercepts_[2], "classes": np.array([_Marker()], dtype=object)}
    np.savez(buffer, **arrays)
    _forge(path, buffer.getvalue())
    with pytest.raises(ValueError, match="pickle"):
        ex.load_model(path)
    assert _Marker.calls == []


def test_unknown_format_version_and_foreign_files_are_refused(model, tmp_path):
    # Check an unknown version, a different format name, a missing description and a non-zip file.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    meta = tmp_path / "m.json"
    good = json.loads(meta.read_text())
    meta.write_text(json.dumps(dict(good, format_version=99)))
    with pytest.raises(ValueError, match="format_version"):
        ex.load_model(path)
    meta.write_text(json.dumps(dict(good, format="other")))
    with pytest.raises(ValueError, match="format"):
        ex.load_model(path)
    meta.write_text(json.dumps(good))
    _forge(path, b"just some text")
    with pytest.raises(ValueError, match="not an .npz"):
        ex.load_model(path)
    meta.unlink()
    with pytest.raises(ValueError, match="description"):
        ex.load_model(path)


def test_arrays_that_do_not_form_the_described_network_are_refused(model, tmp_path):
    # Check a description that claims more layers than the file holds, and arrays whose shapes do not chain.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    meta = tmp_path / "m.json"
    meta.write_text(json.dumps(dict(json.loads(meta.read_text()), n_layers=5)))
    with pytest.raises(ValueError, match="expected"):
        ex.load_model(path)
    ex.save_model(model, path)
    arrays = ex.model_arrays(model)
    arrays["W2"] = arrays["W2"].T  # (4, 7) instead of (7, 4)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    _forge(path, buffer.getvalue())
    with pytest.raises(ValueError, match="shapes"):
        ex.load_model(path)


def test_a_zip_made_by_np_savez_still_loads(model, tmp_path):
    # Check that the loader reads any plain .npz (here one written by NumPy itself), not only our writer's.
    path = tmp_path / "m.npz"
    ex.save_model(model, path)
    buffer = io.BytesIO()
    np.savez(buffer, **ex.model_arrays(model))
    _forge(path, buffer.getvalue())
    assert zipfile.is_zipfile(path)
    np.testing.assert_array_equal(ex.load_model(path).coefs_[2], model.coefs_[2])


def test_bad_arguments(model, tmp_path):
    # Check a wrong suffix, an unfitted model, metadata that is not JSON and a binary MLP (no softmax); nothing is written.
    with pytest.raises(ValueError, match=".npz"):
        ex.save_model(model, tmp_path / "m.pkl")
    with pytest.raises(RuntimeError, match="fit"):
        ex.save_model(MLPClassifier(), tmp_path / "m.npz")
    with pytest.raises(TypeError):
        ex.save_model(model, tmp_path / "m.npz", metadata={"x": object()})
    rng = np.random.default_rng(0)
    binary = MLPClassifier((3,), random_state=0).partial_fit(rng.random((20, 5)), np.arange(20) % 2, classes=[0, 1])
    with pytest.raises(ValueError, match="one unit per class"):  # a binary MLP has one logistic output unit
        ex.save_model(binary, tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


def test_the_pickle_demo_really_calls_print(capsys):
    # Check the lesson's demonstration: loading the pickle prints the message and returns None.
    result = pickle.loads(pickle.dumps(ex.PickleThatCallsAFunction("side effect!")))
    assert result is None
    assert capsys.readouterr().out == "side effect!\n"
