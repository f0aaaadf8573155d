"""
Exercise 07: ROC curve, AUC (two ways), precision-recall curve and average precision

Learning goals
--------------
- Sweep the decision threshold over a score and count true and false positives at every
  distinct score, treating tied scores exactly (they move together).
- Build the ROC curve like scikit-learn and its area by the trapezoid rule; compute the
  same AUC as the Mann-Whitney rank statistic: P(random positive outscores random negative).
- Build the precision-recall curve and average precision (step-wise, no interpolation).

The math
--------
y has shape (n_samples,) = (n,) with n_pos positives and n_neg negatives, s (shape (n,)) is a score, higher
meaning "more positive". At threshold t we predict positive where s >= t; with the distinct
scores t_1 > t_2 > ... > t_m,
    TP(t_k) = #{i : y_i = 1, s_i >= t_k},   FP(t_k) = #{i : y_i = 0, s_i >= t_k},
    TPR = TP / n_pos (recall),  FPR = FP / n_neg,  precision = TP / (TP + FP).
The ROC curve joins (0, 0), (FPR(t_1), TPR(t_1)), ..., (1, 1); a group of tied
scores with both classes gives a diagonal segment. Trapezoid rule:
    AUC = sum_k (FPR_k - FPR_{k-1}) (TPR_k + TPR_{k-1}) / 2.
Mann-Whitney: with R_pos the sum of the positives' ranks among all n scores (ties averaged),
    AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg)
        = P(s_pos > s_neg) + P(s_pos = s_neg) / 2.
Average precision (scikit-learn), with recall R_k and precision P_k from the highest threshold down:
    AP = sum_k (R_k - R_{k-1}) P_k,    R_0 = 0,
a sum of rectangles (trapezoids would be optimistic: precision is not linear between points).

Algorithm
---------
1. Sort the scores in decreasing order (stable); cumulative sums of the labels give TP and FP;
   keep the last position of every run of equal scores (where a threshold can sit).
2. ROC: drop collinear points (optional), prepend (0, 0) at threshold +inf, divide by n_neg, n_pos.
3. Precision-recall: TP / (TP + FP) and TP / n_pos, reversed, with (recall 0, precision 1) appended.

References: T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27, 2006;
D. J. Hand, R. J. Till, Machine Learning 45, 2001 (AUC as a rank statistic); J. Davis, M. Goadrich,
"The relationship between precision-recall and ROC curves", ICML 2006.
Difficulty: 2 of 3, about 35 minutes.
Run: python 03-model-evaluation/ex07_roc_auc.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.label_checks import check_1d_pair, check_binary_scores, check_both_classes
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation: counting along the threshold, ROC and AUC, precision-recall


# %%
def binary_clf_curve(y_true, y_score, pos_label=None):
    """(fps, tps, thresholds), each of shape (n_thresholds,): the false and true positive counts of the samples
    with score >= thresholds[k], at the n_thresholds distinct scores, decreasing."""
    is_pos, y_score = check_binary_scores(y_true, y_score, pos_label)
    # BEGIN SOLUTION
    # HINT 1: Sort by decreasing score; a threshold admits whole runs of ties; cumulative sums count the positives.
    # HINT 2: last = indices where the sorted score changes, plus n - 1; tps = cumsum(hits)[last]; fps = (last + 1) - tps
    # HINT 3: order = argsort(-y_score, kind="stable"); scores, hits = sorted scores and positive flags
    # HINT 3: last = np.r_[flatnonzero(np.diff(scores) != 0), len(scores) - 1]
    # HINT 3: tps = np.cumsum(hits)[last]; fps = (last + 1) - tps; return fps, tps, scores[last]
    order = np.argsort(-y_score, kind="stable")  # (n_samples,), decreasing score
    scores, hits = y_score[order], is_pos[order].astype(float)
    # The last index of each run of equal scores: a threshold takes a whole run of ties at once.
    last = np.r_[np.flatnonzero(np.diff(scores) != 0), len(scores) - 1]  # (n_thresholds,)
    tps = np.cumsum(hits)[last]  # (n_thresholds,)
    fps = (last + 1) - tps  # samples taken so far minus the positives among them
    return fps, tps, scores[last]
    # END SOLUTION


def roc_curve(y_true, y_score, pos_label=None, drop_intermediate=True):
    """(fpr, tpr, thresholds), shape (n_thresholds + 1,) or fewer: from (0, 0) at threshold +inf to (1, 1).

    drop_intermediate=True (scikit-learn's default) drops the points in the middle of straight
    segments; they change neither the curve nor its area."""
    fps, tps, thresholds = binary_clf_curve(y_true, y_score, pos_label)
    check_both_classes(check_binary_scores(y_true, y_score, pos_label)[0], "the ROC curve")
    # BEGIN SOLUTION
    # HINT 1: Optionally keep only the corners; start at (0, 0) with threshold +inf; divide by the totals.
    # HINT 2: corner = second difference of fps or tps != 0 (keep the ends); fpr = fps / fps[-1]
    # HINT 3: if drop_intermediate and len(fps) > 2: keep the corners only
    # HINT 3: prepend 0 to fps and tps, +inf to thresholds; return fps / fps[-1], tps / tps[-1], thresholds
    if drop_intermediate and len(fps) > 2:
        # A point is a corner if FP or TP changes its step there (non-zero second difference).
        corner = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]  # (n_thresholds,)
        fps, tps, thresholds = fps[corner], tps[corner], thresholds[corner]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]  # (0, 0) at threshold +inf: nothing predicted positive
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]
    # END SOLUTION


def auc(x, y):
    """Area under the curve through the points (x, y) by the trapezoid rule; x monotonic."""
    x, y = as_float_array(x, "x"), as_float_array(y, "y")
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2; got {x.shape} and {y.shape}")
    dx = np.diff(x)
    if np.any(dx < 0) and np.any(dx > 0):
        raise ValueError("x must be increasing or decreasing")
    # BEGIN SOLUTION
    # HINT 1: The trapezoidal rule: width times the average of the two heights, summed.
    # HINT 2: area = sum(dx * (y[1:] + y[:-1]) / 2); return |area|
    return float(abs(np.sum(dx * (y[1:] + y[:-1]) / 2.0)))  # a decreasing x gives the negative of the same area
    # END SOLUTION


def roc_auc_score(y_true, y_score):
    """Area under the ROC curve by the trapezoid rule; the larger label is positive (as scikit-learn)."""
    y_true, y_score = check_1d_pair(y_true, y_score, names=("y_true", "y_score"))  # empty: a clear error
    return auc(*roc_curve(y_true, y_score, pos_label=np.unique(y_true)[-1])[:2])


def roc_auc_mann_whitney(y_true, y_score):
    """AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg), average ranks for ties."""
    y_true, y_score = check_1d_pair(y_true, y_score, names=("y_true", "y_score"))  # empty: a clear error
    is_pos, y_score = check_binary_scores(y_true, y_score, pos_label=np.unique(y_true)[-1])
    check_both_classes(is_pos, "the AUC")
    # BEGIN SOLUTION
    # HINT 1: AUC equals the probability that a random positive outranks a random negative: use ranks.
    # HINT 2: AUC = (sum of positive ranks - n_pos (n_pos + 1) / 2) / (n_pos n_neg), average ranks for ties
    # HINT 3: _, inverse, counts = np.unique(y_score, return_inverse=True, return_counts=True)
    # HINT 3: ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]; rank_sum = ranks[is_pos].sum()
    n_pos, n_neg = is_pos.sum(), (~is_pos).sum()
    _, inverse, counts = np.unique(y_score, return_inverse=True, return_counts=True)  # distinct scores, sorted
    # The copies of a score hold ranks last - counts + 1 .. last, last = cumsum(counts): ties share their mean.
    rank_sum = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse][is_pos].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))
    # END SOLUTION


def precision_recall_curve(y_true, y_score, pos_label=None):
    """(precision, recall) of shape (n_thresholds + 1,), recall decreasing down to the end point (recall 0, precision 1),
    and the thresholds (n_thresholds,), increasing (scikit-learn's convention)."""
    fps, tps, thresholds = binary_clf_curve(y_true, y_score, pos_label)
    if tps[-1] == 0:
        raise ValueError("no positive samples in y_true: recall (and the precision-recall curve) is not defined")
    # BEGIN SOLUTION
    # HINT 1: Precision and recall from the counts; reverse so recall decreases; append (recall 0, precision 1).
    # HINT 2: precision = tps / (tps + fps); recall = tps / tps[-1]
    precision = tps / (tps + fps)  # tps + fps >= 1 at every threshold: no division by zero
    recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]
    # END SOLUTION


def average_precision_score(y_true, y_score, pos_label=1):
    """AP = sum_k (R_k - R_{k-1}) P_k: the step-wise area under the precision-recall curve."""
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label)
    # BEGIN SOLUTION
    # HINT 1: AP is a step-function area: each recall step times the precision at that step.
    # HINT 2: AP = -sum(diff(recall) * precision[:-1])
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))  # recall decreases: -diff(recall) >= 0
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # Logistic regression (built in module 02) as the subject: scikit-learn's here.
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y, names, _ = data.load_breast_cancer(return_names=True)
    y = (y == 0).astype(int)  # 1 = malignant, the class we want to find
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    Z_tr, Z_te = (StandardScaler().fit(X_tr).transform(Z) for Z in (X_tr, X_te))  # training statistics for both
    weak = [names.index("mean smoothness"), names.index("mean symmetry")]
    scores = {f"logistic regression, {name}": LogisticRegression(C=1.0).fit(Z_tr[:, cols], y_tr).predict_proba(Z_te[:, cols])[:, 1]
              for name, cols in [("30 features", slice(None)), ("2 weak features", weak)]}
    scores["mean texture, rounded (many ties)"] = np.round(X_te[:, names.index("mean texture")])
    print(f"{len(y_te)} test tumours, {y_te.sum()} malignant (positive)\n{'score':<38}{'AUC trapezoid':>14}{'AUC ranks':>11}{'AP':>7}{'ROC points (all / kept)':>25}")
    for name, s in scores.items():
        n_all, n_kept = len(roc_curve(y_te, s, drop_intermediate=False)[0]), len(roc_curve(y_te, s)[0])
        print(f"{name:<38}{roc_auc_score(y_te, s):>14.6f}{roc_auc_mann_whitney(y_te, s):>11.6f}{average_precision_score(y_te, s):>7.3f}{f'{n_all} / {n_kept}':>25}")

    fig, (ax_roc, ax_pr) = plotting.new_figure(1, 2, width=5.3, height=4.8)
    for i, (name, s) in enumerate(scores.items()):
        fpr, tpr, _ = roc_curve(y_te, s)
        ax_roc.plot(fpr, tpr, color=plotting.COLORS[i], linewidth=2, marker="o" if i == 2 else None, markersize=3, label=f"{name} (AUC {roc_auc_score(y_te, s):.3f})")
        precision, recall, _ = precision_recall_curve(y_te, s)
        ax_pr.step(recall, precision, where="post", color=plotting.COLORS[i], linewidth=2, label=f"AP {average_precision_score(y_te, s):.3f}")
    ax_roc.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax_roc.set(xlabel="false positive rate", ylabel="true positive rate (recall)", title="ROC: ties give diagonal segments", aspect="equal", xlim=(0, 1), ylim=(0, 1.01))
    ax_roc.legend(loc="lower right", fontsize=8)
    ax_pr.axhline(y_te.mean(), linestyle="--", color="grey", label=f"chance = share of positives ({y_te.mean():.2f})")
    ax_pr.set(xlabel="recall", ylabel="precision", title="Precision-recall (AP: step-wise area)", xlim=(0, 1), ylim=(0, 1.02))
    ax_pr.legend(loc="lower left", fontsize=8)
    plotting.show_or_save(fig, "ex07_roc_auc")


if __name__ == "__main__":
    main()
