"""
Exercise 04: classification metrics (accuracy, precision, recall, F1, F-beta)

Learning goals
--------------
- Compute accuracy, precision, recall and the F-beta score from the counts of true positives,
  predicted positives and actual positives of each class; average them over the classes three
  ways (micro, macro, weighted) or not at all, and know which question each average answers.
- Handle the undefined cases the way scikit-learn does (zero_division), and see
  what each metric hides on imbalanced data.

The math
--------
y_true and y_pred have shape (n_samples,) = (n,). For a class c:
    TP_c = #{i : y_true_i = c and y_pred_i = c}
    P_c  = #{i : y_pred_i = c}   (predicted as c; TP_c + FP_c)
    T_c  = #{i : y_true_i = c}   (really c, the "support"; TP_c + FN_c)
    precision_c = TP_c / P_c,   recall_c = TP_c / T_c,
    F_beta,c = (1 + beta^2) TP_c / ((1 + beta^2) TP_c + beta^2 FN_c + FP_c)
             = (1 + beta^2) TP_c / (beta^2 T_c + P_c),
the weighted harmonic mean of precision and recall in which recall counts beta
times as much (F1: beta = 1). accuracy = (1/n) #{i : y_true_i = y_pred_i}.

A ratio with a zero denominator is undefined; it is replaced by zero_division
(0 or 1; the default "warn" means 0 and a warning). Precision is undefined
when nothing is predicted as c, recall when c never occurs, F when both hold.

Averages over the classes c in `labels` (default: every label seen):
- average=None: one value per class.
- "macro": the plain mean over classes (every class counts the same).
- "weighted": the mean weighted by the support T_c.
- "micro": pool the counts first, sum TP / sum P etc.; with all classes this is
  accuracy, for precision, recall and F alike.
- "binary" (the default): only the class pos_label, for two-class problems.

Algorithm
---------
1. Check the labels: same length, 1-D, discrete, one type; collect the sorted labels seen.
2. For each class in `labels`, count TP_c, P_c and T_c with one comparison matrix.
3. For "micro", sum the counts over classes; then divide, replacing 0/0 by zero_division.
4. Average per class as asked (weights T_c for "weighted").

References: C. D. Manning, P. Raghavan, H. Schuetze, Introduction to Information Retrieval, 2008,
ch. 8.3 (precision, recall, F); C. J. van Rijsbergen, Information Retrieval, 2nd ed., 1979, ch. 7.
Difficulty: 1 of 3, about 30 minutes.
Run: python 03-model-evaluation/ex04_classification_metrics.py
"""

# %%
import warnings

import numpy as np

from utils import plotting
from utils.label_checks import check_1d_pair, check_targets
from utils.validation import as_float_array, check_option


class UndefinedMetricWarning(UserWarning):
    """A metric was 0/0 and replaced by zero_division (scikit-learn has a warning of this name)."""


AVERAGES = (None, "binary", "micro", "macro", "weighted")

# %% [markdown]
# ## Implementation


# %%
def accuracy_score(y_true, y_pred, normalize=True):
    """The fraction (normalize=True) or the number of samples whose label is predicted exactly."""
    y_true, y_pred, _ = check_targets(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: Count the matches; divide by n only when normalize is true.
    # HINT 2: correct = sum(y_true == y_pred); correct / n or correct
    correct = np.sum(y_true == y_pred)
    return float(correct / len(y_true)) if normalize else float(correct)
    # END SOLUTION


def per_class_counts(y_true, y_pred, labels):
    """TP_c, P_c (predicted as c) and T_c (really c) for each c in labels: three arrays of shape (n_labels,)."""
    y_true, y_pred = check_1d_pair(y_true, y_pred)  # (n_samples, 1) against (n_samples,) would compare every pair
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of shape (n_labels,); got shape {labels.shape}")
    # BEGIN SOLUTION
    # HINT 1: Compare every sample with every label at once using broadcasting: two (n, n_labels) masks.
    # HINT 2: is_true = y_true[:, None] == labels[None, :]; tp = sum(is_true & is_pred, axis=0)
    # HINT 3: is_true, is_pred as above; tp = np.sum(is_true & is_pred, axis=0)
    # HINT 3: return tp, is_pred.sum(axis=0), is_true.sum(axis=0)
    is_true = y_true[:, None] == labels[None, :]  # (n_samples, n_labels): sample i really is label c
    is_pred = y_pred[:, None] == labels[None, :]  # (n_samples, n_labels): sample i is predicted as c
    tp = np.sum(is_true & is_pred, axis=0)  # (n_labels,)
    return tp, is_pred.sum(axis=0), is_true.sum(axis=0)
    # END SOLUTION


def safe_divide(numerator, denominator, zero_division, what):
    """numerator / denominator element-wise, with zero_division where the denominator is 0.

    With zero_division="warn" the value is 0 and an UndefinedMetricWarning names `what`.
    """
    numerator = as_float_array(numerator, "numerator")
    denominator = as_float_array(denominator, "denominator")
    # BEGIN SOLUTION
    # HINT 1: Divide only where the denominator is non-zero; fill the rest with zero_division (0 and a warning for "warn").
    # HINT 2: result = np.divide(num, den, out=zeros_like(num), where=den != 0); result[den == 0] = fill
    undefined = denominator == 0
    # Divide only where it is defined: a 0/0 never happens, so no RuntimeWarning either.
    result = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=~undefined)
    if np.any(undefined):
        result[undefined] = 0.0 if zero_division == "warn" else float(zero_division)
        if zero_division == "warn":
            warnings.warn(f"{what} is ill-defined and set to 0.0 for {int(undefined.sum())} label(s); choose zero_division to silence this", UndefinedMetricWarning, stacklevel=3)
    return result
    # END SOLUTION


def precision_recall_fscore_support(y_true, y_pred, beta=1.0, labels=None, pos_label=1, average=None, zero_division="warn", warn_for=("precision", "recall", "f-score")):
    """(precision, recall, fscore, support) with scikit-learn's semantics.

    y_true, y_pred: labels (n_samples,) of any one type; beta >= 0: how many times more recall counts;
    labels: the classes to report or average over (default: every label seen, sorted); pos_label:
    the class of average="binary"; zero_division: "warn" (0 and a warning), 0 or 1. Returns floats
    and support None, or arrays of shape (n_labels,) (support: T_c) for average=None.
    """
    y_true, y_pred, present = check_targets(y_true, y_pred)
    check_option(average, "average", AVERAGES)
    check_option(zero_division, "zero_division", ("warn", 0, 1))
    if not np.isscalar(beta) or not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0; got {beta!r}")
    if average == "binary":
        if len(present) > 2:
            raise ValueError(f"the targets have {len(present)} classes but average='binary'; choose average from {AVERAGES[2:]} or None")
        if pos_label not in present.tolist() and (len(present) == 2 or isinstance(pos_label, str) != (present.dtype.kind in "USO")):
            raise ValueError(f"pos_label={pos_label!r} is not a valid label; it should be one of {present.tolist()}")
        labels = np.array([pos_label])
    elif labels is None:
        labels = present
    labels = np.asarray(labels)
    # BEGIN SOLUTION
    # HINT 1: Everything follows from per-class TP, predicted and true counts; micro pools
    # HINT 1: the counts first, macro/weighted average the per-class metrics afterwards.
    # HINT 2: precision = TP / P; recall = TP / T; F_beta = (1 + b^2) TP / (b^2 T + P)
    # HINT 3: tp, pred, true = per_class_counts(y_true, y_pred, labels); micro: sum them (keepdims)
    # HINT 3: precision, recall, fscore = safe_divide(...), each with its zero_division setting
    # HINT 3: average None: return the arrays and true; else weights = true (weighted) or ones; 3 averages, None
    tp, pred, true = per_class_counts(y_true, y_pred, labels)  # (n_labels,) each
    if average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    zd = {m: zero_division if (zero_division != "warn" or m in warn_for) else 0 for m in ("precision", "recall", "f-score")}
    precision = safe_divide(tp, pred, zd["precision"], "precision (no predicted samples)")
    recall = safe_divide(tp, true, zd["recall"], "recall (no true samples)")
    b2 = beta**2
    # (1 + b^2) TP / (b^2 T + P): zero only when the class is neither true nor predicted.
    fscore = safe_divide((1 + b2) * tp, b2 * true + pred, zd["f-score"], "F-score (no true nor predicted samples)")
    if average is None:
        return precision, recall, fscore, true
    weights = true.astype(float) if average == "weighted" else np.ones(len(tp))  # (n_labels,)
    if weights.sum() == 0:  # no true samples of any listed label: fall back to the plain mean
        weights = np.ones(len(tp))
    return tuple(float(np.average(m, weights=weights)) for m in (precision, recall, fscore)) + (None,)
    # END SOLUTION


def precision_score(y_true, y_pred, labels=None, pos_label=1, average="binary", zero_division="warn"):
    """TP / (TP + FP): of the samples we called positive, the fraction that are."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division, warn_for=("precision",))[0]


def recall_score(y_true, y_pred, labels=None, pos_label=1, average="binary", zero_division="warn"):
    """TP / (TP + FN): of the truly positive samples, the fraction we found."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division, warn_for=("recall",))[1]


def fbeta_score(y_true, y_pred, beta, labels=None, pos_label=1, average="binary", zero_division="warn"):
    """The F-beta score: recall counts beta times as much as precision."""
    return precision_recall_fscore_support(y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division, warn_for=("f-score",))[2]


def f1_score(y_true, y_pred, labels=None, pos_label=1, average="binary", zero_division="warn"):
    """The harmonic mean of precision and recall, 2 TP / (2 TP + FP + FN)."""
    return fbeta_score(y_true, y_pred, 1.0, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)


def balanced_accuracy_score(y_true, y_pred):
    """The mean recall over the classes that occur in y_true (chance level: 1 / n_classes)."""
    y_true, y_pred, _ = check_targets(y_true, y_pred)
    # BEGIN SOLUTION
    # HINT 1: The mean of the per-class recalls.
    # HINT 2: tp, _, true = per_class_counts(y_true, y_pred, unique(y_true)); mean(tp / true)
    tp, _, true = per_class_counts(y_true, y_pred, np.unique(y_true))
    return float(np.mean(tp / true))  # every class here occurs, so true > 0
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def labels_with_rates(n_pos, n_neg, tpr, fpr):
    """y_true and y_pred with exactly round(tpr n_pos) true and round(fpr n_neg) false positives."""
    tp, fp = int(round(tpr * n_pos)), int(round(fpr * n_neg))
    y_true = np.repeat([1, 1, 0, 0], [tp, n_pos - tp, fp, n_neg - fp])  # (n_pos + n_neg,)
    y_pred = np.repeat([1, 0, 1, 0], [tp, n_pos - tp, fp, n_neg - fp])
    return y_true, y_pred


def metric_table(y_true, y_pred):
    """The metrics of one prediction, as (name, value) pairs (positive class 1)."""
    zd = dict(zero_division=0)
    return [("accuracy", accuracy_score(y_true, y_pred)), ("balanced accuracy", balanced_accuracy_score(y_true, y_pred)),
            ("precision (class 1)", precision_score(y_true, y_pred, **zd)), ("recall (class 1)", recall_score(y_true, y_pred, **zd)),
            ("F1 (class 1)", f1_score(y_true, y_pred, **zd)), ("F2 (class 1)", fbeta_score(y_true, y_pred, 2.0, **zd))] + [
            (f"F1 {average}", f1_score(y_true, y_pred, average=average, **zd)) for average in ("micro", "macro", "weighted")]


def main():
    # 1. 1000 samples, 5% positives: "always predict 0" against a real screening test.
    majority = labels_with_rates(50, 950, tpr=0.0, fpr=0.0)  # "always 0" calls nothing positive
    screening = labels_with_rates(50, 950, tpr=0.8, fpr=0.1)
    print(f"1000 samples, 50 positives (zero_division=0)\n{'metric':<22}{'always 0':>10}{'TPR .8, FPR .1':>16}")
    for (name, a), (_, b) in zip(metric_table(*majority), metric_table(*screening)):
        print(f"{name:<22}{a:>10.3f}{b:>16.3f}")
    print("-> accuracy, micro F1 and weighted F1 reward ignoring the rare class;\n   recall, F1 of class 1, macro F1 and balanced accuracy expose it.")

    # 2. Three classes of different sizes: per-class scores and the three averages.
    y_true = np.repeat(["cat", "dog", "emu"], [60, 30, 10])
    y_pred = y_true.copy()
    y_pred[:6], y_pred[60:63], y_pred[90:95] = "dog", "cat", "cat"  # 6 cats called dogs, 3 dogs and half the emus cats
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred)
    rows = [(f"{c} ({n})", *prf) for c, n, *prf in zip(np.unique(y_true), s, p, r, f)]  # class (support)
    rows += [(average, *precision_recall_fscore_support(y_true, y_pred, average=average)[:3]) for average in ("micro", "macro", "weighted")]
    print(f"\n{'class':<10}{'precision':>10}{'recall':>8}{'F1':>7}")
    for name, p, r, f in rows:
        print(f"{name:<10}{p:>10.3f}{r:>8.3f}{f:>7.3f}")
    print(f"accuracy {accuracy_score(y_true, y_pred):.3f} (= micro average)")

    # 3. The figure: the same two classifiers as the positives become rarer.
    rates = np.geomspace(0.005, 0.5, 30)
    curves = {"always 0": {}, "TPR 0.8, FPR 0.1": {}}
    for n_pos in np.round(rates * 10_000).astype(int):
        for name, tpr, fpr in [("always 0", 0.0, 0.0), ("TPR 0.8, FPR 0.1", 0.8, 0.1)]:  # always 0: TPR = FPR = 0
            for metric, value in metric_table(*labels_with_rates(n_pos, 10_000 - n_pos, tpr, fpr)):
                curves[name].setdefault(metric, []).append(value)
    shown = ["accuracy", "balanced accuracy", "precision (class 1)", "recall (class 1)", "F1 (class 1)", "F1 macro", "F1 weighted"]
    fig, axes = plotting.new_figure(1, 2, width=5.3, height=4.2, sharey=True)
    for ax, (name, values) in zip(axes, curves.items()):
        for i, metric in enumerate(shown):
            color = plotting.COLORS[[0, 1, 2, 3, 4, 5, 7][i]]  # skip the pale yellow
            ax.plot(rates, values[metric], color=color, linestyle="-" if i < 4 else "--", linewidth=2, label=metric)
        ax.set(xscale="log", xlabel="share of positives in the data (log scale)", title=f"Classifier: {name}", ylim=(-0.03, 1.03))
    axes[0].set_ylabel("metric value")
    axes[0].text(0.006, 0.04, "precision, recall and F1 of class 1: all 0", fontsize=8)
    axes[1].legend(loc="lower right", fontsize=8)
    plotting.show_or_save(fig, "ex04_classification_metrics")


if __name__ == "__main__":
    main()
