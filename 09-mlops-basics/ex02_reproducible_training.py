"""
Exercise 02: reproducible training

Learning goals
--------------
- Drive training from a config file, with every source of randomness seeded from it.
- Record the environment (Python, NumPy, platform) with the model.
- Compute a fingerprint, one SHA-256 hash of data + config + code, that names
  exactly what produced a model; and check that the same inputs give a
  byte-identical model file.

The math
--------
A hash h maps any byte string to 256 bits; equal inputs give equal digests, and
two different inputs collide with probability about 2^-256. We hash a canonical
byte string of everything that determines the model:

    fingerprint = h( h(X) || h(y) || h(config) || h(code_1) || ... || h(code_m) )

where h(X) covers X's dtype, shape and bytes (the same numbers in another dtype
or shape are other data), h(config) hashes the JSON text with sorted keys and no
spaces (so key order does not matter) and || joins the hex digests with a
separator and a label, so no two different inputs can be glued into the same string.

Algorithm
---------
1. Read the config (JSON), fill defaults, refuse unknown keys.
2. Fingerprint the data, the config and the code files.
3. Split with random_state = config["seed"]; give the model the config's hyperparameters
   and random_state = config["seed"] (its initial weights and its shuffling).
4. Save with ex01's save_model, the config, environment and fingerprint in the metadata.
5. Run 1-4 twice: the two .npz files have the same SHA-256.

References: J. Pineau et al., "Improving reproducibility in machine learning research"
(the ML reproducibility checklist), JMLR 22, 2021; NumPy, "Random Generator"
(seeding with default_rng).
Builds on: 09-mlops-basics/ex01_model_persistence.py (persistence).
Difficulty: 2 of 3, about 35 minutes.
Run: python 09-mlops-basics/ex02_reproducible_training.py
"""

# %%
import hashlib
import json
import platform
import sys
from pathlib import Path

import numpy as np

import utils
from utils import data
from utils.timing import format_table

persistence = utils.load_exercise("09-mlops-basics/ex01_model_persistence.py", practice=False)

MODEL_KEYS = ("hidden_layer_sizes", "learning_rate_init", "batch_size", "max_iter", "alpha", "tol")
DEFAULT_CONFIG = {"seed": 0, "test_size": 0.25, "hidden_layer_sizes": [32], "learning_rate_init": 1e-3,
                  "batch_size": 32, "max_iter": 200, "alpha": 1e-4, "tol": 1e-2}  # scikit-learn MLPClassifier's names

# %% [markdown]
# ## Config and environment


# %%
def load_config(path):
    """The JSON config at path over DEFAULT_CONFIG; unknown keys refused (a misspelt key would be ignored)."""
    try:
        given = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"config {path} is not valid JSON: {error}") from None
    if not isinstance(given, dict):
        raise ValueError(f"config {path} must hold a JSON object; got {type(given).__name__}")
    unknown = sorted(set(given) - set(DEFAULT_CONFIG))
    if unknown:
        raise ValueError(f"unknown config keys {unknown}; known keys are {sorted(DEFAULT_CONFIG)}")
    return {**DEFAULT_CONFIG, **given}


def environment_info():
    """The versions that can change a trained model's numbers."""
    return {"python": platform.python_version(), "numpy": np.__version__, "platform": platform.platform(),
            "byteorder": sys.byteorder}


# %% [markdown]
# ## The fingerprint


# %%
def hash_array(a):
    """SHA-256 of an array's dtype, shape and bytes (C order), as hex."""
    a = np.ascontiguousarray(a)
    # BEGIN SOLUTION
    # HINT 1: [1, 2] as int64 and as float64 are different data; so are shapes (2, 3) and (3, 2).
    # HINT 2: feed str(a.dtype) and str(a.shape), then a.tobytes(), into one hashlib.sha256().
    # HINT 3: digest = hashlib.sha256(); digest.update(header bytes); digest.update(a.tobytes());
    # HINT 3: return digest.hexdigest()
    if a.dtype == object:
        raise ValueError("cannot fingerprint an object array: its bytes are pointers, not values")
    digest = hashlib.sha256()
    digest.update(f"{a.dtype.str}|{a.shape}|".encode())  # dtype.str includes the byte order, e.g. "<f8"
    digest.update(a.tobytes())
    return digest.hexdigest()
    # END SOLUTION


def canonical_json(obj):
    """JSON text with sorted keys and no spaces: equal dicts give equal text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def fingerprint(X, y, config, code_paths=()):
    """(fingerprint, {part: digest}): one SHA-256 hex digest of X (n_samples, n_features), y (n_samples,),
    the config (a JSON-serialisable dict) and the source files at code_paths."""
    # BEGIN SOLUTION
    # HINT 1: hash every part on its own, then hash the labelled list of part digests.
    # HINT 2: parts = {"X": hash_array(X), "y": hash_array(y), "config": sha256(canonical_json(config)),
    # HINT 2: "code:<name>": sha256(file bytes)}; the whole = sha256 of "label=digest" lines.
    # HINT 3: parts = {...}; for path in code_paths: parts[f"code:{Path(path).name}"] = ...;
    # HINT 3: joined = "\n".join(f"{k}={v}" for k, v in parts.items()); return sha256(joined), parts
    parts = {
        "X": hash_array(np.asarray(X)),
        "y": hash_array(np.asarray(y)),
        "config": hashlib.sha256(canonical_json(config).encode()).hexdigest(),
    }
    for path in code_paths:
        parts[f"code:{Path(path).name}"] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    joined = "\n".join(f"{label}={digest}" for label, digest in parts.items())  # labels: no ambiguous gluing
    return hashlib.sha256(joined.encode()).hexdigest(), parts
    # END SOLUTION


# %% [markdown]
# ## Training from a config


# %%
def train_from_config(config, X, y, model):
    """Split, set model's MODEL_KEYS and random_state from config, fit; returns (model, scores).

    model: an unfitted estimator with set_params (scikit-learn's MLPClassifier in the demo).
    """
    # BEGIN SOLUTION
    # HINT 1: the split and the network each take a seed; both must come from the config.
    # HINT 2: data.train_test_split(X, y, test_size=config["test_size"], random_state=config["seed"]);
    # HINT 2: model.set_params(random_state=config["seed"], **the config's MODEL_KEYS).
    # HINT 3: split; set the model's hyperparameters and seed from the config; fit; return the model
    # HINT 3: and {"train_accuracy": ..., "test_accuracy": ...}.
    X_train, X_test, y_train, y_test = data.train_test_split(
        X, y, test_size=config["test_size"], stratify=True, random_state=config["seed"])
    hyper = {key: tuple(config[key]) if isinstance(config[key], list) else config[key] for key in MODEL_KEYS}
    model.set_params(random_state=config["seed"], **hyper).fit(X_train, y_train)
    return model, {"train_accuracy": model.score(X_train, y_train), "test_accuracy": model.score(X_test, y_test)}
    # END SOLUTION


def run_training(config_path, X, y, out_dir, model, code_paths=()):
    """Config file -> model trained and saved in out_dir with its provenance, named by its fingerprint."""
    config = load_config(config_path)
    digest, parts = fingerprint(X, y, config, code_paths)
    model, scores = train_from_config(config, X, y, model)
    path = Path(out_dir) / f"model-{digest[:12]}.npz"
    persistence.save_model(model, path, metadata={"config": config, "fingerprint": digest, "parts": parts,
                                                  "environment": environment_info(), "scores": scores})
    return path


# %% [markdown]
# ## Demo


# %%
def main():
    import tempfile

    from sklearn.neural_network import MLPClassifier

    X, y = data.load_digits()
    X = X / 16.0  # pixels in [0, 1]
    code = [Path(__file__), persistence.__file__]
    print("Environment:", canonical_json(environment_info()))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for run, seed in (("first run", 0), ("second run", 0), ("seed 1", 1)):
            out = Path(folder) / run.replace(" ", "_")
            out.mkdir()
            (out / "config.json").write_text(json.dumps({"seed": seed}))
            path = run_training(out / "config.json", X, y, out, MLPClassifier(), code)
            rows.append([run, path.name, persistence.sha256_of_file(path)[:16]])
        meta = json.loads(path.with_suffix(".json").read_text())["metadata"]
    print("\nThe same config, data and code twice, then another seed:")
    print(format_table(["run", "file (named by fingerprint)", "SHA-256 of the .npz"], rows))
    print(f"\nByte-identical model files from the two identical runs: {rows[0][2] == rows[1][2]}")
    print(f"Recorded with the model: scores {meta['scores']}, parts {sorted(meta['parts'])}")


if __name__ == "__main__":
    main()
