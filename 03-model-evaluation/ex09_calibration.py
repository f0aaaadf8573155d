"""
Exercise 09: calibrating probabilities (reliability, Brier score, Platt scaling)

Learning goals
--------------
- Check whether predicted probabilities mean what they say with a reliability diagram
  (calibration_curve) and the Brier score.
- Repair an overconfident model on a held-out split with Platt scaling: a one-feature
  logistic regression on the score, fitted by Newton's method.
- See why calibrated probabilities make exercise 08's cost-optimal threshold a formula.

The math
--------
y in {0, 1} has shape (n_samples,) = (n,), s (shape (n,)) is a score, p in [0, 1] a probability.
p is calibrated when P(y = 1 | p) = p.
Reliability: cut [0, 1] into n_bins equal bins (bin b is (b/n_bins, (b+1)/n_bins],
the first one closed); in each non-empty bin compare the mean predicted p
(prob_pred) with the fraction of positives (prob_true). Brier score:
    BS = (1/n) sum_i (p_i - y_i)^2   (0 is perfect; always predicting 1/2 scores 1/4).

Platt scaling: p = sigmoid(a s + b), with (a, b) minimising the log-loss against
Platt's smoothed targets t_+ = (N_+ + 1) / (N_+ + 2) for positives and
t_- = 1 / (N_- + 2) for negatives (they keep a and b finite even when the
scores separate the classes). Newton's method on (a, b), with
    gradient = A^T (p - t),  Hessian = A^T diag(p (1 - p)) A,  A = [s 1] (n, 2).
The sigmoid is one fixed shape; exercise 10 allows any non-decreasing map (isotonic).

Algorithm
---------
1. calibration_curve: bin index by binary search in the inner edges, then three
   bincounts (sum of p, sum of y, count) per bin.
2. Platt: Newton steps with a backtracking line search from a = 0, b = log odds of the targets.

References: J. Platt, "Probabilistic outputs for support vector machines and comparisons to
regularized likelihood methods", Advances in Large Margin Classifiers, 1999; A. Niculescu-Mizil,
R. Caruana, "Predicting good probabilities with supervised learning", ICML 2005; G. W. Brier,
Monthly Weather Review 78, 1950.
Difficulty: 2 of 3, about 20 minutes.
Run: python 03-model-evaluation/ex09_calibration.py
"""

# %%
import numpy as np

from utils import plotting
from utils.label_checks import check_binary_scores, check_both_classes
from utils.nn import sigmoid  # 1 / (1 + exp(-z)) without overflow (module 02 wrote it)
from utils.validation import as_float_array, check_fitted, check_option, check_positive_int

STRATEGIES = ("uniform", "quantile")

# %% [markdown]
# ## Implementation: measuring calibration, and Platt's fix


# %%
def check_probabilities(y_true, y_prob, pos_label=None):
    """(is_positive, y_prob) as boolean and float arrays of shape (n_samples,); y_prob must lie in [0, 1]."""
    is_pos, y_prob = check_binary_scores(y_true, y_prob, pos_label, names=("y_true", "y_prob"))
    if y_prob.min() < 0.0 or y_prob.max() > 1.0:
        raise ValueError(f"y_prob must be probabilities in [0, 1]; got values from {y_prob.min():.4g} to {y_prob.max():.4g}")
    return is_pos, y_prob


def calibration_curve(y_true, y_prob, n_bins=5, strategy="uniform", pos_label=None):
    """(prob_true, prob_pred), each of shape (n_nonempty_bins,): the fraction of positives and the mean
    predicted probability in each non-empty bin (scikit-learn's order)."""
    is_pos, y_prob = check_probabilities(y_true, y_prob, pos_label)
    n_bins = check_positive_int(n_bins, "n_bins")
    check_option(strategy, "strategy", STRATEGIES)
    # BEGIN SOLUTION
    # HINT 1: Bin the predicted probabilities (uniform or quantile edges); in each non-empty
    # HINT 1: bin compare the fraction of positives with the mean predicted probability.
    # HINT 2: bin_of = searchsorted(edges[1:-1], y_prob); prob_true = sum_true / count; prob_pred = sum_prob / count
    # HINT 3: edges = linspace(0, 1, n_bins + 1) (or percentiles); bin_of = np.searchsorted(edges[1:-1], y_prob)
    # HINT 3: count = bincount(bin_of, minlength)
    # HINT 3: sum_prob, sum_true = bincount with weights y_prob and is_pos
    # HINT 3: used = count > 0; return sum_true[used] / count[used], sum_prob[used] / count[used]
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)  # (n_bins + 1,)
    else:  # equal-count bins: the quantiles of the predictions
        # (fractions times 100, as scikit-learn: an edge can sit on tied p, where other round-off moves bins)
        edges = np.percentile(y_prob, np.linspace(0.0, 1.0, n_bins + 1) * 100)
    # searchsorted(side="left") puts a p equal to an inner edge into the bin below it
    bin_of = np.searchsorted(edges[1:-1], y_prob)  # (n_samples,), values 0..n_bins-1
    count = np.bincount(bin_of, minlength=n_bins)  # (n_bins,)
    sum_prob = np.bincount(bin_of, weights=y_prob, minlength=n_bins)
    sum_true = np.bincount(bin_of, weights=is_pos.astype(float), minlength=n_bins)
    used = count > 0  # empty bins are left out (no 0/0)
    return sum_true[used] / count[used], sum_prob[used] / count[used]
    # END SOLUTION


def brier_score_loss(y_true, y_prob, pos_label=None):
    """(1/n) sum (p_i - y_i)^2 for the probability p of the positive class."""
    is_pos, y_prob = check_probabilities(y_true, y_prob, pos_label)
    # BEGIN SOLUTION
    # HINT 1: The mean squared difference between the probability and the 0/1 outcome.
    return float(np.mean((y_prob - is_pos) ** 2))
    # END SOLUTION


class PlattScaling:
    """p = sigmoid(a * score + b), fitted by Newton's method on Platt's smoothed targets. Fitted: a_, b_ (floats)."""

    def __init__(self, max_iter=100, tol=1e-12):
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, scores, y):
        is_pos, scores = check_binary_scores(y, scores, names=("y", "scores"))
        check_both_classes(is_pos, f"Platt scaling (of scores, n_samples={len(scores)})", name="y")
        # BEGIN SOLUTION
        # HINT 1: Platt scaling is a 1-D logistic regression on the scores, fit by Newton's
        # HINT 1: method, with slightly smoothed targets (Platt's) instead of hard 0/1 labels.
        # HINT 2: t_i = (n_pos + 1)/(n_pos + 2) for positives, 1/(n_neg + 2) for negatives; A = [scores, 1]
        # HINT 2: grad = A.T (p - t) / n; hess = A.T diag(p (1 - p)) A / n; step = solve(hess, -grad)
        # HINT 3: A = column_stack([scores, ones]); loss(theta) = mean(logaddexp(0, z) - t z) with z = A theta
        # HINT 3: theta = [0, log(mean t / (1 - mean t))]; repeat: p = sigmoid(A theta); grad; stop if small
        # HINT 3:     step = solve(hess + 1e-12 I, -grad); halve t while loss(theta + t step) > f + 1e-4 t grad.step
        n_pos, n_neg = is_pos.sum(), (~is_pos).sum()
        target = np.where(is_pos, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))  # (n_samples,)
        A = np.column_stack([scores, np.ones(len(scores))])  # (n_samples, 2)

        def loss(theta):  # -[t log p + (1 - t) log(1 - p)] = logaddexp(0, z) - t z: exact for any z
            z = A @ theta  # (n_samples,)
            return np.mean(np.logaddexp(0.0, z) - target * z)

        theta = np.array([0.0, np.log(target.mean() / (1.0 - target.mean()))])  # (2,): the base rate
        for _ in range(self.max_iter):
            p = sigmoid(A @ theta)  # (n_samples,)
            grad = A.T @ (p - target) / len(p)  # (2,)
            if np.max(np.abs(grad)) <= self.tol:
                break
            hess = A.T @ (A * (p * (1.0 - p))[:, None]) / len(p) + 1e-12 * np.eye(2)  # (2, 2); tiny ridge keeps it invertible
            step = np.linalg.solve(hess, -grad)
            t, f = 1.0, loss(theta)  # Armijo: halve the step until the loss falls enough (a full Newton step can overshoot)
            while loss(theta + t * step) > f + 1e-4 * t * (grad @ step) and t > 1e-10:
                t *= 0.5
            theta = theta + t * step
        self.a_, self.b_ = float(theta[0]), float(theta[1])
        # END SOLUTION
        return self

    def predict(self, scores):
        """Calibrated probabilities, shape (n_samples,)."""
        check_fitted(self, "a_")
        return sigmoid(self.a_ * as_float_array(scores, "scores", ndim=1, finite=True) + self.b_)


# %% [markdown]
# ## Demo


# %%
def main():
    # The split and the model (module 02's logistic regression) come from the library.
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(0)
    X = rng.standard_normal((3000, 42))  # (n_samples, 42): two informative features and 40 useless ones
    p_true = sigmoid(1.5 * X[:, 0] - 1.0 * X[:, 1] - 0.5)  # (n_samples,): the known P(y = 1 | x)
    y = (rng.random(3000) < p_true).astype(int)
    i_tr, i_rest = train_test_split(np.arange(len(y)), test_size=len(y) - 150, random_state=0, stratify=y)
    i_cal, i_te = train_test_split(i_rest, test_size=0.5, random_state=1, stratify=y[i_rest])
    model = LogisticRegression(C=1.0).fit(X[i_tr], y[i_tr])  # 42 features, 150 samples: it overfits
    s_cal, s_te = model.decision_function(X[i_cal]), model.decision_function(X[i_te])
    y_te = y[i_te]

    platt = PlattScaling().fit(s_cal, y[i_cal])
    probs = {"model as trained": sigmoid(s_te), "Platt scaling": platt.predict(s_te), "true P(y=1|x)": p_true[i_te]}
    c_fp, c_fn = 1.0, 5.0  # a missed positive costs 5, a false alarm 1
    t_star = c_fp / (c_fp + c_fn)  # for calibrated p the best rule is p >= c_FP / (c_FP + c_FN) = 1/6 (ex08)
    print(f"Logistic regression, 150 training samples with 40 useless features; calibrated on {len(i_cal)}, tested on {len(i_te)}")
    print(f"{'probabilities':<20}{'Brier':>8}{'cost of p >= 1/6':>18}")
    for name, p in probs.items():
        pred = p >= t_star
        cost = (c_fp * np.sum(pred & (y_te == 0)) + c_fn * np.sum(~pred & (y_te == 1))) / len(y_te)
        print(f"{name:<20}{brier_score_loss(y_te, p):>8.4f}{cost:>18.3f}")
    print(f"Platt: p = sigmoid({platt.a_:.3f} * score {'+' if platt.b_ >= 0 else '-'} {abs(platt.b_):.3f})  (a < 1 shrinks the overconfident scores)")

    fig, ax_rel = plotting.new_figure(1, 1, width=5.6, height=5.0)
    ax_rel.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for i, name in enumerate(["model as trained", "Platt scaling"]):
        frac, mean_p = calibration_curve(y_te, probs[name], n_bins=10)
        ax_rel.plot(mean_p, frac, marker="o", color=plotting.COLORS[i], linewidth=2, label=f"{name} (Brier {brier_score_loss(y_te, probs[name]):.3f})")
    ax_rel.set(xlabel="mean predicted probability (10 bins)", ylabel="fraction of positives", title="Reliability diagram (test split)", xlim=(0, 1), ylim=(0, 1), aspect="equal")
    ax_rel.legend(loc="upper left", fontsize=8)
    plotting.show_or_save(fig, "ex09_calibration")


if __name__ == "__main__":
    main()
