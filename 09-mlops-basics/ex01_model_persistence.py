"""
Exercise 01: saving and loading a model safely

Learning goals
--------------
- See why a pickle is not a model format: loading one runs whatever function its author chose (we watch
  it happen, harmlessly).
- Store a trained network as plain numbers (.npz) plus readable metadata (JSON), with a format version
  and a SHA-256 checksum that the loader checks.
- Refuse, with a clear ValueError, a file that holds a pickled object, a file whose checksum does not
  match, and a format version we do not know.

The math
--------
A ReLU network with a softmax output (scikit-learn's MLPClassifier, or any model with the same
attributes) is a list of weight matrices W_l of shape (d_{l-1}, d_l), biases b_l of shape (d_l,) and the
labels classes_ of shape (n_classes,) = (K,), K >= 3. We write them into model.npz (a zip of .npy arrays) and beside it
model.json:

    {"format": "mlsc-mlp", "format_version": 1, "sha256": h(model.npz),
     "n_layers": L, "n_features": d_0, "metadata": {...}}

where h(file) is the SHA-256 digest of the file's bytes, 64 hex characters. Any change to one byte of
model.npz changes h with overwhelming probability, so a truncated copy, a disk error or an edit is caught
before a single weight is used.

Algorithm
---------
1. save: write the arrays into a zip with fixed timestamps (same model, same bytes), hash the file, write
   the JSON; each file first goes to a temporary name and is renamed into place, so a crash never leaves
   half a model.
2. load: read the JSON; refuse an unknown format or version; hash the .npz and compare; refuse a file that
   is not a zip (a pickle starts with byte 0x80); read every array with allow_pickle=False; rebuild the
   network (SavedMLP).

References: Python documentation, "pickle: Python object serialization" (the warning at its top); NumPy,
"numpy.lib.format" (the .npy format); NIST FIPS 180-4 (SHA-256).
Difficulty: 1 of 3, about 30 minutes.
Run: python 09-mlops-basics/ex01_model_persistence.py
"""

# %%
import hashlib
import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np

from utils import nn
from utils.base import ClassifierMixin
from utils.validation import check_fitted, check_X

FORMAT = "mlsc-mlp"
FORMAT_VERSION = 1
PICKLE_MAGIC = b"\x80"  # pickle protocols 2 and later start with this byte
ZIP_MAGIC = b"PK\x03\x04"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the file

# %% [markdown]
# ## Why not pickle? Loading a pickle calls a function of the file's choosing. And the network we save


# %%
class PickleThatCallsAFunction:
    """An object whose pickle, when loaded, calls print(message) instead of rebuilding it: __reduce__ tells
    pickle "to rebuild me, call this function with these arguments". An attacker would name os.system."""

    def __init__(self, message):
        self.message = message

    def __reduce__(self):
        return print, (self.message,)


class SavedMLP(ClassifierMixin):
    """The network load_model rebuilds: ReLU hidden layers, softmax output (utils.nn's layers)."""

    def __init__(self, coefs, intercepts, classes, metadata=None):
        self.coefs_, self.intercepts_, self.classes_ = coefs, intercepts, classes
        self.n_features_in_, self.metadata_ = coefs[0].shape[0], metadata or {}

    def predict_proba(self, X):
        h = check_X(X, self.n_features_in_)  # (n_samples, n_features)
        for W, b in zip(self.coefs_[:-1], self.intercepts_[:-1]):
            h = np.maximum(0.0, h @ W + b)  # (n_samples, d_l)
        return nn.softmax(h @ self.coefs_[-1] + self.intercepts_[-1])  # (n_samples, n_classes)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (n_samples,)


# %% [markdown]
# ## Saving


# %%
def sha256_of_file(path, chunk_size=1 << 16):
    """The SHA-256 digest of a file's bytes, as 64 hexadecimal characters."""
    # BEGIN SOLUTION
    # HINT 1: hashlib hashes a stream piece by piece; read the file in binary chunks.
    # HINT 2: digest = hashlib.sha256(); digest.update(chunk) for every chunk; digest.hexdigest().
    # HINT 3: open(path, "rb"); loop: chunk = f.read(chunk_size); stop on b""; update;
    # HINT 3: return the hexdigest.
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()
    # END SOLUTION


def model_arrays(model):
    """The arrays of a fitted MLP (coefs_, intercepts_, classes_): {"W1", "b1", ..., "WL", "bL", "classes"}."""
    check_fitted(model, "coefs_")
    arrays = {}
    for l, (W, b) in enumerate(zip(model.coefs_, model.intercepts_), start=1):
        arrays[f"W{l}"], arrays[f"b{l}"] = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    arrays["classes"] = np.asarray(model.classes_)
    if arrays["classes"].dtype == object:
        raise ValueError("classes_ must be numbers or strings; an object array would need pickle")
    if arrays["classes"].shape != arrays[f"b{len(model.coefs_)}"].shape:  # e.g. a binary MLP's one logistic unit
        raise ValueError(f"a softmax output needs one unit per class; got {len(arrays['classes'])} classes")
    return arrays


def write_npz(path, arrays):
    """Write arrays into a .npz zip whose bytes depend only on the arrays (no timestamps)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_ZIP_TIME), buffer.getvalue())


def write_atomically(path, write):
    """Call write(temporary_path), then rename the result to path: readers see all or nothing."""
    temporary = path.with_name(path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)  # atomic on one file system


def metadata_path(path):  # model.npz -> model.json, the file that describes it
    return Path(path).with_suffix(".json")


def save_model(model, path, metadata=None):
    """Save a fitted MLP (coefs_, intercepts_, classes_) as path (.npz) and its description path.json.

    metadata: an optional JSON-serialisable dict kept with the model (config, scores).
    Returns the description written to path.json.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"path must end in .npz; got {str(path)!r}")
    arrays = model_arrays(model)
    json.dumps(metadata or {})  # fails now, before any file is written, if metadata is not JSON
    # BEGIN SOLUTION
    # HINT 1: two files: the arrays first, then a JSON that records the arrays' checksum.
    # HINT 2: description["sha256"] = sha256_of_file(path) after write_npz; the JSON also
    # HINT 2: holds FORMAT, FORMAT_VERSION, the layer count and the input width.
    # HINT 3: write_atomically(path, lambda p: write_npz(p, arrays));
    # HINT 3: description = {...}; write_atomically(metadata_path(path), lambda p: p.write_text(json.dumps(...)))
    write_atomically(path, lambda p: write_npz(p, arrays))
    description = {"format": FORMAT, "format_version": FORMAT_VERSION, "sha256": sha256_of_file(path),
                   "n_layers": len(model.coefs_), "n_features": int(arrays["W1"].shape[0]), "metadata": metadata or {}}
    text = json.dumps(description, indent=2, sort_keys=True) + "\n"  # sorted keys: the same text every time
    write_atomically(metadata_path(path), lambda p: p.write_text(text, encoding="utf-8"))
    return description
    # END SOLUTION


# %% [markdown]
# ## Loading: check everything before trusting anything; then the demo


# %%
def read_description(path):
    """The JSON description of path, with its format and version checked."""
    meta = metadata_path(path)
    if not meta.is_file():
        raise ValueError(f"no description {meta.name} next to {Path(path).name}; was it saved by save_model?")
    description = json.loads(meta.read_text(encoding="utf-8"))  # invalid JSON: a ValueError already
    found = description.get("format") if isinstance(description, dict) else None
    if found != FORMAT:
        raise ValueError(f"{meta.name} does not describe an {FORMAT!r} model (format {found!r})")
    if description.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"unknown format_version {description.get('format_version')!r} in {meta.name}; "
                         f"this loader reads version {FORMAT_VERSION}")
    return description


def load_model(path):
    """Load a model written by save_model as a SavedMLP, refusing pickles, bad checksums, unknown versions."""
    path = Path(path)
    description = read_description(path)
    # BEGIN SOLUTION
    # HINT 1: compare the file's hash with the recorded one, then look at its first bytes,
    # HINT 1: and only then let NumPy read it (never with allow_pickle=True).
    # HINT 2: sha256_of_file(path) != description["sha256"] -> ValueError; head[:1] == PICKLE_MAGIC
    # HINT 2: or head != ZIP_MAGIC -> ValueError; np.load(path, allow_pickle=False).
    # HINT 3: check checksum; check magic bytes; with np.load(...) as archive: read every
    # HINT 3: array (an object array raises ValueError); rebuild W1..WL, b1..bL in order.
    if sha256_of_file(path) != description["sha256"]:
        raise ValueError(f"checksum mismatch: {path.name} is not the file its description was written for")
    head = path.read_bytes()[:4]
    if head[:1] == PICKLE_MAGIC:
        raise ValueError(f"{path.name} holds a pickle; loading it could run any code, so we refuse")
    if head != ZIP_MAGIC:
        raise ValueError(f"{path.name} is not an .npz archive")
    try:
        with np.load(path, allow_pickle=False) as archive:  # an object array needs pickle: refused
            arrays = {name: archive[name] for name in archive.files}
    except ValueError as error:
        raise ValueError(f"{path.name} holds a pickled object, which we refuse to load ({error})") from None
    layers = range(1, description["n_layers"] + 1)
    expected = {"classes"} | {f"{kind}{l}" for kind in "Wb" for l in layers}
    if set(arrays) != expected:
        raise ValueError(f"{path.name} holds arrays {sorted(arrays)}; expected {sorted(expected)}")
    coefs, intercepts, classes = [arrays[f"W{l}"] for l in layers], [arrays[f"b{l}"] for l in layers], arrays["classes"]
    # END SOLUTION
    chained = all(W.ndim == 2 for W in coefs) and all(a.shape[1] == b.shape[0] for a, b in zip(coefs, coefs[1:]))
    biases_fit = [b.shape for b in intercepts] == [(W.shape[1],) for W in coefs]
    if not (chained and biases_fit and classes.shape == intercepts[-1].shape):
        shapes = [W.shape for W in coefs] + [b.shape for b in intercepts] + [classes.shape]
        raise ValueError(f"{path.name} holds arrays whose shapes do not form a network: {shapes}")
    return SavedMLP(coefs, intercepts, classes, description["metadata"])


def main():
    import tempfile

    from sklearn.neural_network import MLPClassifier

    from utils import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X_train, y_train)  # the subject: any MLP
    print(f"scikit-learn's MLP 64 -> 32 -> 10 on the digits: test accuracy {model.score(X_test, y_test):.1%}")

    print("\n1. Why not pickle: this call to pickle.loads prints a line, because the file told it to.")
    payload = pickle.dumps(PickleThatCallsAFunction("   >>> hello from inside pickle.loads: this could have been os.system"))
    print(f"   pickle.loads returned {pickle.loads(payload)!r}, not a PickleThatCallsAFunction")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digits_mlp.npz"
        description = save_model(model, path, metadata={"test_accuracy": model.score(X_test, y_test)})
        print(f"\n2. Saved {path.name} ({path.stat().st_size} bytes) and {metadata_path(path).name}:")
        print("   " + json.dumps(description)[:110] + " ...")
        gap = np.abs(load_model(path).predict_proba(X_test) - model.predict_proba(X_test)).max()
        print(f"   loaded as a SavedMLP: largest probability gap to scikit-learn on {len(X_test)} digits {gap:.1e}")

        print("\n3. What load_model refuses:")
        data_bytes = bytearray(path.read_bytes())
        data_bytes[-40] ^= 1  # flip one bit inside the last array
        forged_pickle = dict(description, sha256=hashlib.sha256(payload).hexdigest())  # checksum updated too
        for case, content, meta in (("one flipped bit", bytes(data_bytes), description),
                                    ("a pickle with a matching checksum", payload, forged_pickle),
                                    ("format_version 2", None, dict(description, format_version=2))):
            save_model(model, path)
            if content is not None:
                path.write_bytes(content)
            metadata_path(path).write_text(json.dumps(meta))
            try:
                load_model(path)
                print(f"   {case:<34} loaded (this should not happen)")
            except ValueError as error:
                print(f"   {case:<34} ValueError: {error}")


if __name__ == "__main__":
    main()
