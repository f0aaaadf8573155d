"""
Exercise 08: choosing a decision threshold

Learning goals
--------------
- Treat the threshold as a decision of its own: pick it to maximise F1, to
  minimise an expected cost, or by Youden's J, on data the model was not fitted on.
- Compute all three rules at every candidate threshold at once from the
  cumulative counts of exercise 07, instead of re-thresholding the scores.
- See that the default 0.5 is one choice among many, and rarely the best one
  when the two errors cost different amounts.

The math
--------
y in {0, 1} has shape (n_samples,) = (n,) and s (shape (n,)) is a score. Thresholding at t
predicts 1 where s >= t; at each distinct t we count TP, FP, FN, TN.
    F1(t) = 2 TP / (2 TP + FP + FN)
    cost(t) = (c_FP FP + c_FN FN) / n          (average cost per sample)
    J(t) = TPR - FPR = TP / n_pos - FP / n_neg (Youden's J: the ROC point farthest above the diagonal)
If s is a calibrated probability p (exercise 09), P(y = 1 | p) = p, and calling a
sample positive costs (1 - p) c_FP on average against p c_FN for calling it
negative: the best rule is then p >= t* = c_FP / (c_FP + c_FN).

Algorithm
---------
1. Count FP and TP at every distinct score (ex07's binary_clf_curve), add
   t = +inf ("predict nothing positive"), and get FN = n_pos - TP, TN = n_neg - FP.
2. Evaluate F1, cost and J at every threshold; take the best (the highest
   threshold on a tie, as argmax / argmin return the first).

References: W. J. Youden, "Index for rating diagnostic tests", Cancer 3, 1950;
C. Elkan, "The foundations of cost-sensitive learning", IJCAI 2001; C. J. van
Rijsbergen, Information Retrieval, 2nd ed., 1979, ch. 7 (F measure).
Builds on: 03-model-evaluation/ex07_roc_auc.py (roc).
Difficulty: 1 of 3, about 25 minutes.
Run: python 03-model-evaluation/ex08_decision_threshold.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting

roc = utils.load_exercise("03-model-evaluation/ex07_roc_auc.py", practice=False)

# %% [markdown]
# ## Implementation: choosing a threshold


# %%
def counts_at_thresholds(y_true, y_score, pos_label=None):
    """TP, FP, FN, TN for "positive if score >= t", at t = +inf and at every distinct score (decreasing).

    Returns
    -------
    thresholds, tp, fp, fn, tn : ndarrays of shape (n_thresholds + 1,)
    """
    fps, tps, thresholds = roc.binary_clf_curve(y_true, y_score, pos_label)
    # BEGIN SOLUTION
    # HINT 1: Reuse the ROC counts and add the threshold +inf (nothing predicted positive).
    # HINT 2: tp, fp with a leading 0; fn = n_pos - tp; tn = n_neg - fp; thresholds with a leading inf
    # HINT 3: tp, fp = np.r_[0.0, tps], np.r_[0.0, fps]; n_pos, n_neg = tp[-1], fp[-1]
    # HINT 3: return np.r_[np.inf, thresholds], tp, fp, n_pos - tp, n_neg - fp
    tp, fp = np.r_[0.0, tps], np.r_[0.0, fps]  # t = +inf predicts nothing positive
    n_pos, n_neg = tp[-1], fp[-1]  # the lowest threshold predicts everything positive
    return np.r_[np.inf, thresholds], tp, fp, n_pos - tp, n_neg - fp
    # END SOLUTION


def best_f1_threshold(y_true, y_score, pos_label=None):
    """The threshold with the largest F1 (the highest such threshold on a tie) and that F1."""
    t, tp, fp, fn, _ = counts_at_thresholds(y_true, y_score, pos_label)
    if tp[-1] == 0:
        raise ValueError("no positive samples in y_true: F1 is 0/0 at every threshold, so there is nothing to maximise")
    # BEGIN SOLUTION
    # HINT 1: F1 at every threshold at once from the counts; take the best.
    # HINT 2: f1 = 2 tp / (2 tp + fp + fn); k = argmax(f1); return t[k], f1[k]
    # HINT 3: f1 = 2 * tp / (2 * tp + fp + fn); k = int(np.argmax(f1)) (the first maximum is the highest
    # HINT 3: threshold, as thresholds decrease); return float(t[k]), float(f1[k])
    f1 = 2 * tp / (2 * tp + fp + fn)  # denominator >= n_pos > 0
    k = int(np.argmax(f1))
    return float(t[k]), float(f1[k])
    # END SOLUTION


def min_cost_threshold(y_true, y_score, cost_fp=1.0, cost_fn=1.0, pos_label=None):
    """The threshold with the smallest average cost (c_FP FP + c_FN FN) / n, and that cost.

    The threshold is +inf (inf: flag nothing) when no threshold through the scores costs less.
    """
    if cost_fp < 0 or cost_fn < 0:
        raise ValueError(f"costs must be >= 0; got cost_fp={cost_fp}, cost_fn={cost_fn}")
    t, tp, fp, fn, tn = counts_at_thresholds(y_true, y_score, pos_label)
    # BEGIN SOLUTION
    # HINT 1: Weighted cost of the two error types at every threshold, per sample; take the smallest.
    # HINT 2: cost = (cost_fp * fp + cost_fn * fn) / n; k = argmin(cost)
    cost = (cost_fp * fp + cost_fn * fn) / (tp[-1] + fp[-1])  # (m + 1,), per sample
    k = int(np.argmin(cost))
    return float(t[k]), float(cost[k])
    # END SOLUTION


def youden_threshold(y_true, y_score, pos_label=None):
    """The threshold maximising Youden's J = TPR - FPR, and that J."""
    t, tp, fp, fn, tn = counts_at_thresholds(y_true, y_score, pos_label)
    if tp[-1] == 0 or fp[-1] == 0:
        raise ValueError("only one class is present in y_true: Youden's J needs positives and negatives")
    # BEGIN SOLUTION
    # HINT 1: Youden's J is TPR minus FPR; take the threshold where it peaks.
    # HINT 2: j = tp / tp[-1] - fp / fp[-1]; k = argmax(j)
    j = tp / tp[-1] - fp / fp[-1]  # (m + 1,)
    k = int(np.argmax(j))
    return float(t[k]), float(j[k])
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # The split and the model (module 02's logistic regression) come from the library.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.model_selection import train_test_split

    X, y = data.load_breast_cancer()
    y = (y == 0).astype(int)  # 1 = malignant, the class we want to find
    X_tr, X_rest, y_tr, y_rest = train_test_split(X, y, test_size=0.6, random_state=0, stratify=y)
    X_val, X_te, y_val, y_te = train_test_split(X_rest, y_rest, test_size=0.5, random_state=1, stratify=y_rest)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)  # training statistics for every part
    model = LogisticRegression(C=0.05).fit((X_tr - mean) / std, y_tr)
    p_val, p_te = (model.predict_proba((Z - mean) / std)[:, 1] for Z in (X_val, X_te))

    # Thresholds chosen on the validation split, judged on the test split.
    # A missed tumour costs 5, a false alarm 1.
    c_fp, c_fn = 1.0, 5.0
    choices = {
        "0.5 (default)": 0.5,
        "best F1": best_f1_threshold(y_val, p_val)[0],
        "Youden's J": youden_threshold(y_val, p_val)[0],
        "min cost (5:1)": min_cost_threshold(y_val, p_val, c_fp, c_fn)[0],
    }
    print(f"Breast cancer, logistic regression: thresholds chosen on {len(y_val)} validation, judged on {len(y_te)} test tumours")
    print(f"{'threshold rule':<18}{'t':>7}{'precision':>11}{'recall':>8}{'F1':>7}{'cost':>7}")
    for name, t in choices.items():
        pred = (p_te >= t).astype(int)
        cost = (c_fp * np.sum((pred == 1) & (y_te == 0)) + c_fn * np.sum((pred == 0) & (y_te == 1))) / len(y_te)
        prec = precision_score(y_te, pred, zero_division=0)
        print(f"{name:<18}{t:>7.3f}{prec:>11.3f}{recall_score(y_te, pred):>8.3f}{f1_score(y_te, pred):>7.3f}{cost:>7.3f}")

    fig, ax_thr = plotting.new_figure(1, 1, width=6.5, height=4.6)
    t, tp, fp, fn, tn = counts_at_thresholds(y_val, p_val)
    t_plot = np.clip(t, 0, 1)  # t = +inf drawn at 1
    ax_cost = ax_thr.twinx()  # the cost has its own scale, on the right
    ax_cost.grid(False)
    ax_cost.spines["right"].set_visible(True)
    curves = [
        (ax_thr, "F1", 2 * tp / (2 * tp + fp + fn), "best F1"),
        (ax_thr, "Youden's J = TPR - FPR", tp / tp[-1] - fp / fp[-1], "Youden's J"),
        (ax_cost, "cost per sample, FN:FP = 5:1 (right axis)", (c_fp * fp + c_fn * fn) / len(y_val), "min cost (5:1)"),
    ]
    for i, (ax, name, values, choice) in enumerate(curves):
        ax.plot(t_plot, values, color=plotting.COLORS[i + 3], linewidth=2, label=name)
        ax_thr.axvline(choices[choice], color=plotting.COLORS[i + 3], linestyle=":", linewidth=1.5)
    ax_thr.set(xlabel="threshold t on the predicted probability", ylabel="F1, J (validation split)", title="Three ways to pick t (dotted: the choices)", ylim=(0, 1.35))  # head room for the legend
    ax_cost.set(ylabel="average cost per sample", ylim=(0, 1.35 * curves[2][2].max()))
    handles = ax_thr.get_legend_handles_labels()[0] + ax_cost.get_legend_handles_labels()[0]
    ax_thr.legend(handles=handles, loc="upper center", fontsize=8, frameon=True, framealpha=0.9, edgecolor="white")
    plotting.show_or_save(fig, "ex08_decision_threshold")


if __name__ == "__main__":
    main()
