"""
Exercise 07: monitoring a model, data drift and prediction drift

Learning goals
--------------
- Measure how far the inputs a model sees in production have moved from its training data: the population
  stability index (PSI) and the two-sample Kolmogorov-Smirnov (KS) test, both written from scratch.
- Watch the model's outputs too: prediction drift is the PSI of the predicted labels.
- Turn the numbers into an alert rule, run a stream that slowly shifts, and see the alert fire (while the
  true labels, and so the accuracy, arrive too late to help).

The math
--------
PSI. Cut the reference sample (training data) into B = n_bins bins at its quantiles 1/B, ..., (B-1)/B. With e_b and
a_b the fractions of the reference and of the current window in bin b,

    PSI = sum_b (a_b - e_b) ln(a_b / e_b)   ( = KL(a || e) + KL(e || a) >= 0 ).

An empty bin would give ln 0, so both fractions are clipped below at eps = 1e-4. A common reading:
PSI < 0.1 stable, 0.1-0.25 some change, > 0.25 a major shift.

KS. For samples x (n values) and y (m values) with empirical CDFs F_n and G_m,

    D = max_t |F_n(t) - G_m(t)|,

the maximum taken over the pooled values t (the CDFs only jump there). Under "same distribution",
sqrt(n m / (n + m)) D tends to Kolmogorov's distribution:

    P(K > x) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2).

For small x this alternating series needs many terms and cancels badly, so there we use the equivalent
form P(K <= x) = sqrt(2 pi) / x sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2)).

Algorithm
---------
1. Keep a reference: the training inputs and the model's predictions on them.
2. For each window of the stream: the PSI and the KS p-value of every feature, and the PSI of the labels.
3. Alert when the largest feature PSI or the prediction PSI exceeds 0.25.

References: B. Yurdakul, "Statistical properties of population stability index", PhD thesis, Western
Michigan University, 2018; W. Feller, "On the Kolmogorov-Smirnov limit theorems for empirical
distributions", Ann. Math. Stat. 19, 1948; J. Gama et al., "A survey on concept drift adaptation",
ACM Computing Surveys 46(4), 2014.
Difficulty: 2 of 3, about 45 minutes.
Run: python 09-mlops-basics/ex07_monitoring_drift.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.timing import format_table
from utils.validation import as_float_array

PSI_ALERT = 0.25
EPS = 1e-4

# %% [markdown]
# ## Population stability index


# %%
def quantile_edges(reference, n_bins=10):
    """The inner bin edges (at most n_bins - 1, increasing, no repeats) at the reference's quantiles."""
    reference = np.asarray(reference, dtype=float).ravel()
    # Repeated values (a pixel that is 0 in 80 % of images) give equal quantiles: keep each edge once.
    return np.unique(np.quantile(reference, np.arange(1, n_bins) / n_bins))  # (<= n_bins - 1,)


def bin_fractions(values, edges):
    """The fraction of values in each of the len(edges) + 1 bins (bin b: edges[b-1] <= v < edges[b])."""
    # BEGIN SOLUTION
    # HINT 1: find each value's bin index with one vectorised search, then count per bin.
    # HINT 2: index = np.searchsorted(edges, values, side="right"); np.bincount(index, minlength=len(edges) + 1)
    # HINT 3: counts = np.bincount(np.searchsorted(...), minlength=...); return counts / len(values)
    index = np.searchsorted(edges, np.asarray(values, dtype=float).ravel(), side="right")  # (n_samples,) in 0..len(edges)
    return np.bincount(index, minlength=len(edges) + 1) / index.size  # (len(edges) + 1,)
    # END SOLUTION


def psi_from_fractions(expected, actual, eps=EPS):
    """sum (a - e) ln(a / e) over bins, both fraction vectors clipped below at eps (no ln 0)."""
    # BEGIN SOLUTION
    # HINT 1: clip first, then the sum has no division by zero and no log of zero.
    # HINT 2: e = np.maximum(expected, eps); a = np.maximum(actual, eps); np.sum((a - e) * np.log(a / e))
    # HINT 3: clip both; return float of the sum above
    e = np.maximum(np.asarray(expected, dtype=float), eps)  # (n_bins,)
    a = np.maximum(np.asarray(actual, dtype=float), eps)  # (n_bins,)
    return float(np.sum((a - e) * np.log(a / e)))
    # END SOLUTION


def psi(reference, current, n_bins=10):
    """The PSI of a 1-D current sample against a 1-D reference sample, with quantile bins."""
    edges = quantile_edges(reference, n_bins)
    return psi_from_fractions(bin_fractions(reference, edges), bin_fractions(current, edges))


def prediction_psi(reference_labels, current_labels, classes):
    """PSI of the predicted label distributions: one bin per class."""
    expected, actual = ([np.mean(np.asarray(labels) == c) for c in classes] for labels in (reference_labels, current_labels))
    return psi_from_fractions(expected, actual)  # each (n_bins,)


# %% [markdown]
# ## The two-sample Kolmogorov-Smirnov test, and a drift report with an alert rule


# %%
def kolmogorov_sf(x):
    """P(K > x) for Kolmogorov's limiting distribution, accurate for every x >= 0."""
    x = np.atleast_1d(as_float_array(x, "x"))
    k = np.arange(1, 101)[:, None]  # (100, 1): 100 terms are far more than either series needs
    small = x < 1.0
    out = np.empty_like(x)
    xs = np.maximum(x[small], 1e-3)  # below 1e-3, P(K <= x) underflows to 0 anyway: avoid 1 / 0
    out[small] = 1.0 - np.sqrt(2 * np.pi) / xs * np.exp(-((2 * k - 1) ** 2) * np.pi**2 / (8 * xs**2)).sum(axis=0)
    out[~small] = 2.0 * ((-1.0) ** (k - 1) * np.exp(-2.0 * k**2 * x[~small] ** 2)).sum(axis=0)
    return np.clip(out, 0.0, 1.0)


def ks_2samp(x, y):
    """Two-sided two-sample KS test: (D, asymptotic p-value)."""
    x, y = (as_float_array(v, name, finite=True, allow_empty=False) for v, name in ((x, "x"), (y, "y")))
    x, y = np.sort(x.ravel()), np.sort(y.ravel())  # (n,), (m,)
    # BEGIN SOLUTION
    # HINT 1: the two empirical CDFs only jump at the observed values: compare them there.
    # HINT 2: F(t) = np.searchsorted(x, t, side="right") / n at the pooled values t; D = max |F - G|;
    # HINT 2: p = kolmogorov_sf(sqrt(n m / (n + m)) * D).
    # HINT 3: t = np.concatenate([x, y]); F = ...; G = ...; D = np.max(np.abs(F - G));
    # HINT 3: return float(D), float(kolmogorov_sf(np.sqrt(n * m / (n + m)) * D)[0])
    n, m = x.size, y.size
    t = np.concatenate([x, y])  # (n + m,), every place a CDF can jump
    F = np.searchsorted(x, t, side="right") / n  # (n + m,), side="right": F(t) counts values <= t
    G = np.searchsorted(y, t, side="right") / m  # (n + m,)
    D = float(np.max(np.abs(F - G)))
    return D, float(kolmogorov_sf(np.sqrt(n * m / (n + m)) * D)[0])
    # END SOLUTION


def drift_report(X_ref, pred_ref, X_now, pred_now, classes, alpha=0.01):
    """Feature PSI (max), KS rejections (Bonferroni alpha / d), prediction PSI, and the alert."""
    d = X_ref.shape[1]
    feature_psi = np.array([psi(X_ref[:, j], X_now[:, j]) for j in range(d)])  # (n_features,)
    p_values = np.array([ks_2samp(X_ref[:, j], X_now[:, j])[1] for j in range(d)])  # (n_features,)
    report = {"max_feature_psi": float(feature_psi.max()), "ks_rejected": int(np.sum(p_values < alpha / d)),
              "prediction_psi": prediction_psi(pred_ref, pred_now, classes)}
    report["alert"] = report["max_feature_psi"] > PSI_ALERT or report["prediction_psi"] > PSI_ALERT
    return report


# %% [markdown]
# ## Demo: a stream of digit windows that slowly shifts


# %%
def main():
    from sklearn.neural_network import MLPClassifier

    from utils import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X_train, y_train)  # the subject: any classifier
    pred_ref = model.predict(X_train)

    # The stream: windows of 500 test images; from window 8 on, a growing smear of ink over the background.
    # Why 500: without any drift the PSI of a sample of n is about (B - 1)(1/n + 1/N) on average, and we
    # take the largest of 64 pixels; with n = 200 that maximum crosses 0.25 now and then (false alarms).
    rng = np.random.default_rng(0)
    n_windows = 14 if utils.quick_mode() else 20
    rows = []
    for w in range(n_windows):
        idx = rng.integers(0, len(X_test), 500)  # (500,), drawn with replacement
        shift = max(0, w - 7) / (n_windows - 8)  # 0 until window 7, then up to 1
        X_now = np.clip(X_test[idx] + shift * rng.uniform(0.0, 0.6, X_test[idx].shape), 0.0, 1.0)  # (500, 64)
        report = drift_report(X_train, pred_ref, X_now, model.predict(X_now), model.classes_)
        accuracy = model.score(X_now, y_test[idx])  # known only later in real life
        rows.append([w, f"{shift:.2f}", round(report["max_feature_psi"], 3), report["ks_rejected"], round(report["prediction_psi"], 3),
                     f"{accuracy:.1%}", "ALERT" if report["alert"] else ""])
    print(f"Monitoring a stream of digits windows (500 images each); alert when a PSI exceeds {PSI_ALERT}")
    print(format_table(["window", "shift", "max pixel PSI", "KS rejections", "prediction PSI", "accuracy", "alert"], rows))
    # Another kind of shift: a new client sends only 0s and 1s. Each image looks normal; the label mix does not.
    idx = rng.choice(np.flatnonzero(np.isin(y_test, [0, 1])), 500)  # (500,)
    report = drift_report(X_train, pred_ref, X_test[idx], model.predict(X_test[idx]), model.classes_)
    print(f"\nA window of only 0s and 1s: prediction PSI {report['prediction_psi']:.2f}, max pixel PSI {report['max_feature_psi']:.2f}")

    fig, ax = plotting.new_figure(1, 1, width=5.5, height=3.8)
    ax.plot([row[2] for row in rows], "o-", label="max pixel PSI")
    ax.plot([row[4] for row in rows], "s-", label="prediction PSI")
    ax.axhline(PSI_ALERT, color="gray", linestyle="--", label="alert threshold")
    ax.set(xlabel="window", ylabel="PSI", yscale="log", title="Drift scores (the accuracy drop shows later)")
    ax.legend()
    plotting.show_or_save(fig, "ex07_monitoring_drift")


if __name__ == "__main__":
    main()
