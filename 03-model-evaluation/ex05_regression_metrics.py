"""
Exercise 05: regression metrics (MSE, RMSE, MAE, R^2, MAPE) and what moves them

Learning goals
--------------
- Compute the five everyday regression metrics, with scikit-learn's names and
  conventions (R^2 of a constant target, MAPE's epsilon for zero targets).
- Predict how one outlier moves each metric: squared errors grow with its
  square, absolute errors only linearly, MAPE with the error relative to the
  target, R^2 relative to the spread of the targets.
- Know when a metric is misleading: MAPE near zero targets, R^2 on a nearly
  constant target, MSE in squared units.

The math
--------
y (true) and y_hat (predicted) have shape (n_samples,) = (n,); e_i = y_i - y_hat_i.
    MSE  = (1/n) sum_i e_i^2                 RMSE = sqrt(MSE)  (same units as y)
    MAE  = (1/n) sum_i |e_i|
    R^2  = 1 - SS_res / SS_tot,  SS_res = sum_i e_i^2,  SS_tot = sum_i (y_i - mean(y))^2
    MAPE = (1/n) sum_i |e_i| / max(|y_i|, eps),  eps = 2.2e-16 (float64 machine epsilon)
R^2 compares the model with the constant prediction mean(y): 1 is perfect, 0 is
no better than the mean, and it can be any negative number. When y is constant,
SS_tot = 0 and scikit-learn reports 1.0 for a perfect prediction and 0.0
otherwise. MAPE is a fraction (0.1 = 10%), not a percentage; the eps keeps a
zero target finite but astronomically large.

One outlier, an error e_k grown by d: SS_res grows by about d^2, so MSE grows
like d^2 / n, RMSE like |d| / sqrt(n), MAE like |d| / n, whether the outlier sits
in y or in y_hat. MAPE and R^2 tell the two apart. A wild prediction adds
|d| / (n |y_k|) to MAPE and drives R^2 towards minus infinity; a wild target
also enlarges its own denominator: its MAPE term |d| / |y_k + d| stays below
about 1, and SS_tot grows with d^2 too, so R^2 drops only so far.

Algorithm
---------
1. Check both arrays: 1-D, the same length, finite, non-empty.
2. Form the errors e = y - y_hat once; each metric is a short reduction over e.
3. R^2: handle SS_tot = 0 explicitly (no division by zero, no warning).

References: R. J. Hyndman, A. B. Koehler, "Another look at measures of forecast
accuracy", International Journal of Forecasting 22, 2006; T. Hastie, R. Tibshirani,
J. Friedman, The Elements of Statistical Learning, 2nd ed., 2009, ch. 3.2;
scikit-learn user guide, "Regression metrics".
Difficulty: 1 of 3, about 15 minutes.
Run: python 03-model-evaluation/ex05_regression_metrics.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.label_checks import check_1d_pair

# %% [markdown]
# ## Implementation


# %%
def check_regression(y_true, y_pred):
    """y_true and y_pred as finite float arrays of the same shape (n_samples,), n_samples >= 1."""
    y_true, y_pred = check_1d_pair(y_true, y_pred, dtype=float)
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError("y_true and y_pred must be finite (no NaN or infinity)")
    return y_true, y_pred


def mean_squared_error(y_true, y_pred):
    """(1/n) sum (y - y_hat)^2, in squared units of y."""
    y_true, y_pred = check_regression(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: Average the squared errors.
    return float(np.mean((y_true - y_pred) ** 2))
    # END SOLUTION


def root_mean_squared_error(y_true, y_pred):
    """sqrt(MSE), in the units of y."""
    check_regression(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: Back to the units of y: the square root of the MSE.
    return float(np.sqrt(mean_squared_error(y_true, y_pred)))
    # END SOLUTION


def mean_absolute_error(y_true, y_pred):
    """(1/n) sum |y - y_hat|."""
    y_true, y_pred = check_regression(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: Average the absolute errors.
    return float(np.mean(np.abs(y_true - y_pred)))
    # END SOLUTION


def r2_score(y_true, y_pred):
    """1 - SS_res / SS_tot; for a constant y_true: 1.0 if predicted exactly, else 0.0."""
    y_true, y_pred = check_regression(y_true, y_pred)
    if len(y_true) < 2:
        raise ValueError("R^2 needs at least two samples (the spread of one sample is not defined)")
    # BEGIN SOLUTION
    # HINT 1: Compare the squared errors with those of predicting the mean of
    # HINT 1: y_true; a constant target needs a convention (1 if perfect else 0).
    # HINT 2: R^2 = 1 - sum((y - y_hat)^2) / sum((y - mean y)^2)
    # HINT 3: ss_res, ss_tot as above; if ss_tot == 0: return 1.0 if ss_res == 0 else 0.0
    # HINT 3: return float(1 - ss_res / ss_tot)
    ss_res = np.sum((y_true - y_pred) ** 2)
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    if ss_tot == 0.0:  # constant target: the ratio is 0/0 or x/0; follow scikit-learn's finite convention
        return 1.0 if ss_res == 0.0 else 0.0
    return float(1.0 - ss_res / ss_tot)
    # END SOLUTION


def mean_absolute_percentage_error(y_true, y_pred):
    """(1/n) sum |y - y_hat| / max(|y|, eps): a fraction, not a percentage."""
    y_true, y_pred = check_regression(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: Relative absolute errors; guard a zero target with machine epsilon in the denominator.
    # HINT 2: mean(|y_true - y_pred| / max(|y_true|, eps))
    eps = np.finfo(np.float64).eps  # keeps a zero target finite (and its term enormous)
    return float(np.mean(np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), eps)))
    # END SOLUTION


METRICS = {"MSE": mean_squared_error, "RMSE": root_mean_squared_error, "MAE": mean_absolute_error,
           "R^2": r2_score, "MAPE": mean_absolute_percentage_error}


# %% [markdown]
# ## Demo


# %%
def main():
    # A straight-line fit to 100 noisy points with targets around 10.
    x, y = data.make_polynomial_regression(n_samples=100, coefs=(10.0, 1.5), x_range=(-3.0, 3.0), noise=1.0, random_state=0)
    slope, intercept = np.polyfit(x, y, 1)
    y_hat = slope * x + intercept  # (100,)

    def all_metrics(y_t, y_p):
        return {name: f(y_t, y_p) for name, f in METRICS.items()}

    k = 50  # the sample we disturb

    def target_moved_to(v):  # y_k set to v, the size of its error unchanged
        y_v, p_v = y.copy(), y_hat.copy()
        y_v[k], p_v[k] = v, v + (y[k] - y_hat[k])
        return y_v, p_v

    outlier = y.copy()
    outlier[k] += 20.0  # one target 20 noise-sigmas off
    rows = {"clean": all_metrics(y, y_hat), "one outlier (+20)": all_metrics(outlier, y_hat),
            "one target = 1e-3": all_metrics(*target_moved_to(1e-3)), "one target = 0": all_metrics(*target_moved_to(0.0))}
    print(f"{'case':<20}" + "".join(f"{name:>11}" for name in METRICS))
    for case, values in rows.items():
        print(f"{case:<20}" + "".join(f"{v:>11.4g}" for v in values.values()))
    print("(the last two rows have exactly the same errors as 'clean': MSE, RMSE and MAE do not move,")
    print(" R^2 moves a little because the spread of y changed, MAPE explodes)")

    # The figure: how much each metric moves.
    sizes = np.geomspace(0.1, 100.0, 40)
    clean = rows["clean"]
    growth = {name: [] for name in ["MSE", "RMSE", "MAE", "MAPE", "$1 - R^2$", "MAPE, outlier in $\\hat y$", "$1 - R^2$, outlier in $\\hat y$"]}
    for d in sizes:
        y_d, p_d = y.copy(), y_hat.copy()
        y_d[k] += d  # the outlier in the target ...
        p_d[k] -= d  # ... or the same error made by the prediction
        m, m_pred = all_metrics(y_d, y_hat), all_metrics(y, p_d)
        for name in ["MSE", "RMSE", "MAE", "MAPE"]:
            growth[name].append(m[name] / clean[name])
        growth["$1 - R^2$"].append((1 - m["R^2"]) / (1 - clean["R^2"]))
        growth["MAPE, outlier in $\\hat y$"].append(m_pred["MAPE"] / clean["MAPE"])
        growth["$1 - R^2$, outlier in $\\hat y$"].append((1 - m_pred["R^2"]) / (1 - clean["R^2"]))
    targets = np.geomspace(1e-6, 10.0, 40)
    small = {name: [] for name in ["MSE", "MAE", "MAPE"]}
    for v in targets:
        for name in small:
            small[name].append(METRICS[name](*target_moved_to(v)) / clean[name])

    fig, axes = plotting.new_figure(1, 3, width=4.4, height=3.9)
    plotting.plot_regression_fit(axes[0], x, outlier, x, y_hat, label="least-squares line", title="100 points, one outlier (+20)")
    axes[0].scatter(x[k], outlier[k], s=80, facecolor="none", edgecolor=plotting.COLORS[3], linewidth=2)
    for i, (name, values) in enumerate(growth.items()):
        color = plotting.COLORS[[0, 1, 2, 3, 4, 3, 4][i]]
        axes[1].plot(sizes, values, color=color, linewidth=2, linestyle="--" if i >= 5 else "-", label=name)
    axes[1].set(xscale="log", yscale="log", xlabel="size of the outlier d (noise sigma = 1)", ylabel="metric / metric without the outlier", title="One outlier (in y unless marked)")
    axes[1].legend(fontsize=8)
    axes[1].text(0.04, 0.4, "dashed: the same error made by the prediction;\n$1 - R^2$ then follows MSE, MAPE follows MAE", transform=axes[1].transAxes, fontsize=8)
    for i, (name, values) in enumerate(small.items()):
        axes[2].plot(targets, values, color=plotting.COLORS[[0, 2, 3][i]], linewidth=2, linestyle=":" if name == "MSE" else "-", label=name)
    axes[2].set(xscale="log", yscale="log", xlabel="value of one target y_k (its error unchanged)", ylabel="metric / metric with y_k at its true value", title="A target near 0: only MAPE explodes")
    axes[2].legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex05_regression_metrics")


if __name__ == "__main__":
    main()
