"""
Exercise 10: isotonic calibration (pool adjacent violators)

Learning goals
--------------
- Calibrate scores with the most flexible monotone map there is: any non-decreasing
  step function, found exactly by pool adjacent violators (PAVA).
- Handle tied scores by pooling them first, with weights, and predict between the
  fitted points by interpolation.
- See the price of that freedom: with few calibration samples the steps follow the
  noise, and a two-parameter sigmoid (Platt scaling, exercise 09) does better.

The math
--------
y in {0, 1} has shape (n_samples,) = (n,) and s (shape (n,)) is a score. Isotonic calibration
looks for the non-decreasing function f minimising
    sum_i (y_i - f(s_i))^2 .
After sorting by score and pooling tied scores (m = n_unique distinct values x_1 < ... < x_m
with mean labels ybar_j and counts w_j), this is weighted isotonic regression:
    minimise sum_j w_j (ybar_j - f_j)^2   subject to f_1 <= f_2 <= ... <= f_m.
Where two neighbouring blocks are out of order, the optimum gives them one common
value, their weighted mean (m_1 w_1 + m_2 w_2) / (w_1 + w_2): pool adjacent
violators merges such blocks until the sequence is non-decreasing. The fitted
f_j are means of labels, so they already lie in [0, 1].

Algorithm
---------
1. Pool tied scores: the distinct scores x (n_unique,), their counts w and mean labels ybar.
2. PAVA: scan left to right with a stack of blocks (mean, weight, size); push each
   value, then merge the last two blocks while they are out of order.
3. Predict by linear interpolation between the fitted points (x_j, f_j), clipped
   at the ends (a score beyond the training range gets the end value).

References: M. Ayer et al., "An empirical distribution function for sampling with
incomplete information", Ann. Math. Statist. 26, 1955 (PAVA); B. Zadrozny, C. Elkan,
"Transforming classifier scores into accurate multiclass probability estimates",
KDD 2002; A. Niculescu-Mizil, R. Caruana, "Predicting good probabilities with
supervised learning", ICML 2005.
Difficulty: 2 of 3, about 15 minutes.
Run: python 03-model-evaluation/ex10_isotonic_calibration.py
"""

# %%
import numpy as np

from utils import plotting
from utils.label_checks import check_binary_scores
from utils.nn import sigmoid  # 1 / (1 + exp(-z)) without overflow (module 02 wrote it)
from utils.validation import as_float_array, check_fitted

# %% [markdown]
# ## Implementation: pool adjacent violators, then a calibrator on top


# %%
def pool_adjacent_violators(y, weights=None):
    """The non-decreasing sequence closest to y (shape (n_samples,)) in weighted least squares."""
    y = as_float_array(y, "y", ndim=1)
    weights = np.ones(len(y)) if weights is None else as_float_array(weights, "weights")
    if weights.shape != y.shape or np.any(weights <= 0):
        raise ValueError(f"weights must be positive and of shape {y.shape}; got {weights.shape}")
    # BEGIN SOLUTION
    # HINT 1: Scan left to right keeping a stack of blocks (mean, weight, size); whenever the
    # HINT 1: last two blocks are out of order, merge them into their weighted mean, and repeat.
    # HINT 2: merged mean = (m1 w1 + m2 w2) / (w1 + w2); output = each block mean repeated size times
    # HINT 3: for value, weight in zip(y, weights): push block (value, weight, 1)
    # HINT 3:     while len > 1 and means[-2] > means[-1]: merge the last two blocks
    # HINT 3: return np.repeat(means, sizes)
    means, totals, sizes = [], [], []  # one entry per block, blocks in order
    for value, weight in zip(y, weights):
        means.append(value)
        totals.append(weight)
        sizes.append(1)
        # merge while the last two blocks violate the order
        while len(means) > 1 and means[-2] > means[-1]:
            w = totals[-2] + totals[-1]
            means[-2] = (means[-2] * totals[-2] + means[-1] * totals[-1]) / w
            totals[-2], sizes[-2] = w, sizes[-2] + sizes[-1]
            del means[-1], totals[-1], sizes[-1]
    return np.repeat(means, sizes)  # (n_samples,)
    # END SOLUTION


class IsotonicCalibration:
    """A non-decreasing map from score to probability, fitted by pool adjacent violators.

    Fitted: x_, y_, the distinct training scores (increasing) and their fitted probabilities."""

    def fit(self, scores, y):
        is_pos, scores = check_binary_scores(y, scores, names=("y", "scores"))
        # BEGIN SOLUTION
        # HINT 1: Pool tied scores first (mean label per distinct score), then fit a non-decreasing
        # HINT 1: step function with pool adjacent violators, weighted by the tie counts.
        # HINT 2: x, inverse, counts = unique(scores, ...); mean_y = bincount(inverse, is_pos) / counts
        # HINT 3: x, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
        # HINT 3: mean_y = np.bincount(inverse, weights=is_pos.astype(float)) / counts
        # HINT 3: x_ = x; y_ = pool_adjacent_violators(mean_y, counts.astype(float))
        x, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)  # (n_unique,)
        mean_y = np.bincount(inverse, weights=is_pos.astype(float)) / counts  # tied scores pooled first
        self.x_, self.y_ = x, pool_adjacent_violators(mean_y, counts.astype(float))
        # END SOLUTION
        return self

    def predict(self, scores):
        """Calibrated probabilities: linear interpolation between the fitted points, clipped at the ends."""
        check_fitted(self, "x_")
        return np.interp(as_float_array(scores, "scores", ndim=1, finite=True), self.x_, self.y_)


# %% [markdown]
# ## Demo: isotonic against a sigmoid, as the calibration set grows


# %%
def main():
    # The split, the model, the Brier score and the sigmoid (Platt-style) fit come from the library.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss

    rng = np.random.default_rng(0)
    n_train, n_cal_max, n_test = 150, 2000, 2000
    n = n_train + n_cal_max + n_test
    X = rng.standard_normal((n, 42))  # (n_samples, 42): two informative features and 40 useless ones
    p_true = sigmoid(1.5 * X[:, 0] - 1.0 * X[:, 1] - 0.5)  # (n_samples,): the known P(y = 1 | x)
    y = (rng.random(n) < p_true).astype(int)
    tr, cal, te = np.split(np.arange(n), [n_train, n_train + n_cal_max])
    model = LogisticRegression(C=1.0).fit(X[tr], y[tr])  # 42 features, 150 samples: overconfident
    s_cal, s_te = model.decision_function(X[cal]), model.decision_function(X[te])  # (n_cal_max,), (n_test,)

    print(f"Brier score on {n_test} test samples (lower is better); the model as trained: "
          f"{brier_score_loss(y[te], sigmoid(s_te)):.4f}, the true probabilities: {brier_score_loss(y[te], p_true[te]):.4f}")
    print(f"{'calibration samples':>20}{'sigmoid (Platt)':>17}{'isotonic':>10}{'steps':>7}")
    for n_cal in [30, 100, 300, 2000]:
        s, t = s_cal[:n_cal], y[cal][:n_cal]
        platt = LogisticRegression(C=1e6).fit(s[:, None], t)  # two parameters a, b (no target smoothing)
        iso = IsotonicCalibration().fit(s, t)
        print(f"{n_cal:>20}{brier_score_loss(y[te], platt.predict_proba(s_te[:, None])[:, 1]):>17.4f}"
              f"{brier_score_loss(y[te], iso.predict(s_te)):>10.4f}{len(np.unique(iso.y_)):>7}")

    fig, ax = plotting.new_figure(1, 1, width=6.4, height=4.4)
    grid = np.linspace(s_cal.min(), s_cal.max(), 400)  # (400,)
    ax.plot(s_cal, y[cal] + rng.uniform(-0.03, 0.03, n_cal_max), ".", color="grey", alpha=0.15, markersize=3, label="calibration labels (jittered)")
    ax.plot(grid, sigmoid(grid), color=plotting.COLORS[0], linewidth=2, label="model as trained: sigmoid(score)")
    ax.plot(grid, platt.predict_proba(grid[:, None])[:, 1], color=plotting.COLORS[1], linewidth=2, label="sigmoid fitted (Platt)")
    ax.plot(grid, iso.predict(grid), color=plotting.COLORS[2], linewidth=2, label=f"isotonic, PAVA ({len(np.unique(iso.y_))} steps)")
    ax.set(xlabel="score of the model", ylabel="P(y = 1)", title=f"Calibration maps fitted on {n_cal_max} samples", ylim=(-0.05, 1.05))
    ax.legend(loc="center left", fontsize=8)
    plotting.show_or_save(fig, "ex10_isotonic_calibration")


if __name__ == "__main__":
    main()
