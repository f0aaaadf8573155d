"""
Exercise 06: testing ML code, behaviour and data

Learning goals
--------------
- Test a trained model's behaviour, not just its accuracy, with the three kinds of
  behavioural test of Ribeiro et al. (2020): minimum functionality (easy cases it
  must get right), invariance (changes that must not move the prediction) and
  directional expectation (changes that must move it one way).
- Validate every incoming batch against a schema learnt from the training data:
  width, missing values, values out of the training range.
- See them catch broken pipelines: weights reading the pixels in the wrong order, and a
  client that forgot to scale its inputs (which a clean test set would never show).

The math
--------
X has shape (n_samples, n_features) = (n, d), f(X) the predicted labels and p_k(X) the probability of class
k, both of shape (n,). For a set of cases the tests report rates in [0, 1]:

    minimum functionality  MFT = (1/n) sum_i [f(x_i) = y_i]
    invariance             INV = (1/n) sum_i [f(t(x_i)) = f(x_i)]        for a perturbation t
    directional            DIR = (1/n) sum_i [p_k(t(x_i)) >= p_k(x_i)]   for a change t towards class k

and each test passes when its rate reaches a threshold fixed BEFORE looking at the
results (1.0 for MFT on prototypes, 0.95 for the others here).

The schema of the training data holds d and the per-feature minimum m_j and
maximum M_j; a value is out of range when it lies outside [m_j - tol (M_j - m_j),
M_j + tol (M_j - m_j)], a relative tolerance tol >= 0.

Algorithm
---------
1. infer_schema on the training data; validate_batch on every batch before predicting.
2. Build the cases: class prototypes (mean training image of each digit), noise
   of +-0.05 on test images, a blend 30 % of the way to class k's prototype.
3. Compute the three rates; compare each with its threshold.

References: M. T. Ribeiro, T. Wu, C. Guestrin, S. Singh, "Beyond accuracy: behavioral
testing of NLP models with CheckList", ACL 2020; E. Breck et al., "The ML test score:
a rubric for ML production readiness", IEEE Big Data 2017; E. Breck et al., "Data
validation for machine learning", SysML 2019.
Difficulty: 2 of 3, about 40 minutes.
Run: python 09-mlops-basics/ex06_testing_ml_code.py
"""

# %%
import numpy as np

from utils import data
from utils.timing import format_table
from utils.validation import as_float_array

# %% [markdown]
# ## Data validation: a schema from the training data


# %%
def infer_schema(X):
    """{"n_features": d, "min": list (n_features,), "max": list (n_features,)} of the training X."""
    X = as_float_array(X, "X", ndim=2, allow_empty=False)  # NaN allowed: the range ignores missing values
    return {"n_features": X.shape[1], "min": np.nanmin(X, axis=0).tolist(), "max": np.nanmax(X, axis=0).tolist()}


def validate_batch(X, schema, tol=0.0):
    """Check a batch against the schema before it reaches the model.

    Returns
    -------
    dict with "ok" (bool), "problems" (list of str, empty when ok), "n_missing" (NaN
    count), "n_out_of_range" (finite values outside the widened training range)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != schema["n_features"]:
        width = X.shape[1] if X.ndim == 2 else f"a {X.ndim}-D array"
        return {"ok": False, "problems": [f"expected {schema['n_features']} features; got {width}"],
                "n_missing": 0, "n_out_of_range": 0}
    # BEGIN SOLUTION
    # HINT 1: three separate counts: NaN, infinities, and finite values outside the range widened by tol.
    # HINT 2: span = hi - lo; outside = (X < lo - tol * span) | (X > hi + tol * span), among finite values.
    # HINT 3: lo, hi = np.array(schema["min"]), np.array(schema["max"]); missing = np.isnan(X);
    # HINT 3: count each kind; append a readable message for each non-zero count; ok = not problems
    lo, hi = np.asarray(schema["min"], dtype=float), np.asarray(schema["max"], dtype=float)  # (n_features,), (n_features,)
    span = hi - lo  # (n_features,), 0 for a constant feature: then only that exact value is in range
    missing = np.isnan(X)  # (n_samples, n_features)
    infinite = np.isinf(X)  # (n_samples, n_features)
    finite = ~(missing | infinite)
    # Compare only finite values: NaN < lo is False anyway, but infinities must not count twice.
    outside = finite & ((X < lo - tol * span) | (X > hi + tol * span))  # (n_samples, n_features)
    problems = []
    if missing.any():
        problems.append(f"{missing.sum()} missing values in {missing.any(axis=0).sum()} features")
    if infinite.any():
        problems.append(f"{infinite.sum()} infinite values")
    if outside.any():
        worst = int(np.argmax(outside.sum(axis=0)))
        problems.append(f"{outside.sum()} values outside the training range (most in feature {worst})")
    return {"ok": not problems, "problems": problems, "n_missing": int(missing.sum()),
            "n_out_of_range": int(outside.sum())}
    # END SOLUTION


# %% [markdown]
# ## Behavioural tests


# %%
def minimum_functionality(predict, X, y):
    """MFT: the fraction of the easy cases X (n_samples, n_features) predicted as y (n_samples,)."""
    # BEGIN SOLUTION
    # HINT 1: it is an accuracy, on cases chosen so that any working model gets them right.
    # HINT 2: np.mean(predict(X) == y)
    # HINT 3: return float(np.mean(predict(X) == np.asarray(y)))
    return float(np.mean(predict(X) == np.asarray(y)))
    # END SOLUTION


def invariance_rate(predict, X, perturb):
    """INV: the fraction of rows of X whose predicted label stays the same after perturb(X)."""
    # BEGIN SOLUTION
    # HINT 1: compare the model with itself: before and after the change, no true labels needed.
    # HINT 2: np.mean(predict(perturb(X)) == predict(X))
    # HINT 3: before = predict(X); after = predict(perturb(X)); return the mean of before == after
    before = predict(X)  # (n_samples,)
    after = predict(perturb(X))  # (n_samples,)
    return float(np.mean(after == before))
    # END SOLUTION


def directional_rate(predict_proba, X, transform, k):
    """DIR: the fraction of rows whose probability of class index k does not fall after transform(X)."""
    # BEGIN SOLUTION
    # HINT 1: only the direction matters: the k-th probability must not go down.
    # HINT 2: np.mean(predict_proba(transform(X))[:, k] >= predict_proba(X)[:, k])
    # HINT 3: before = predict_proba(X)[:, k]; after = ...; return float(np.mean(after >= before))
    before = predict_proba(X)[:, k]  # (n_samples,)
    after = predict_proba(transform(X))[:, k]  # (n_samples,)
    return float(np.mean(after >= before))
    # END SOLUTION


def behavioural_suite(model, X_train, y_train, X_test, rng, threshold=0.95):
    """Run MFT, INV and DIR on a digits classifier; returns rows (test, rate, threshold, passed)."""
    classes = np.unique(y_train)
    prototypes = np.stack([X_train[y_train == c].mean(axis=0) for c in classes])  # (n_classes, n_features): mean image per class
    noise = lambda Z: np.clip(Z + rng.uniform(-0.05, 0.05, Z.shape), 0.0, 1.0)  # (n_samples, n_features), pixels stay in [0, 1]
    rows = [("MFT: each class prototype gets its own label", minimum_functionality(model.predict, prototypes, classes), 1.0)]
    rows.append(("INV: +-0.05 pixel noise keeps the label", invariance_rate(model.predict, X_test, noise), threshold))
    rates = [directional_rate(model.predict_proba, X_test, lambda Z: 0.7 * Z + 0.3 * prototypes[k], k)
             for k in range(len(classes))]
    rows.append(("DIR: 30 % towards digit k raises p(k), worst k", min(rates), threshold))
    return [(name, rate, limit, rate >= limit) for name, rate, limit in rows]


# %% [markdown]
# ## Demo


# %%
def main():
    import copy

    from sklearn.neural_network import MLPClassifier

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X_train, y_train)  # the subject: any classifier
    schema = infer_schema(X_train)

    # A "broken" model: the same weights, but its input pixels are read in the wrong order (a pipeline bug).
    broken = copy.deepcopy(model)
    broken.coefs_[0] = model.coefs_[0][data.as_rng(1).permutation(X_train.shape[1])]  # (64, 32), rows shuffled

    for name, m in (("the trained MLP", model), ("the same MLP, pixels in the wrong order", broken)):
        print(f"Behavioural tests of {name} (test accuracy {m.score(X_test, y_test):.1%}):")
        rows = behavioural_suite(m, X_train, y_train, X_test, np.random.default_rng(0))
        print(format_table(["test", "rate", "threshold", "passed"],
                           [[n, f"{r:.1%}", f"{t:.0%}", "yes" if p else "NO"] for n, r, t, p in rows]) + "\n")

    print("Data validation of incoming batches against the training schema:")
    raw = X_test[:50] * 16.0  # a client that forgot to divide the pixels by 16
    holes = X_test[:50].copy()
    holes[::7, 10] = np.nan  # a sensor that sometimes sends nothing
    batches = {"clean test images": X_test[:50], "pixels not divided by 16": raw,
               "some missing pixels": holes, "32 features instead of 64": X_test[:50, :32]}
    rows = []
    for name, batch in batches.items():
        report = validate_batch(batch, schema, tol=0.05)
        rows.append([name, "ok" if report["ok"] else "REFUSED", "; ".join(report["problems"]) or "-"])
    print(format_table(["batch", "verdict", "problems"], rows))


if __name__ == "__main__":
    main()
