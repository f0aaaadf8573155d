"""
Exercise 06: the confusion matrix, counted and normalised

Learning goals
--------------
- Count a confusion matrix for any labels (ints, strings), in a chosen label
  order, and normalise it by row ("true"), by column ("pred") or overall ("all").
- Read it: the diagonal is what we got right, row i shows where the samples of
  class i went, column j shows what we called j. Recover per-class precision,
  recall and F1 from it.
- Find the pairs of classes a real model confuses (handwritten digits).

The math
--------
With the labels l_1..l_K, the confusion matrix C has shape (n_labels, n_labels) = (K, K) and
    C[i, j] = #{samples whose true label is l_i and predicted label is l_j}.
Row sums are the class supports T_i, column sums the prediction counts P_j,
the diagonal the true positives TP_i. So
    recall_i = C[i, i] / T_i,   precision_j = C[j, j] / P_j,   accuracy = trace(C) / sum(C).
normalize="true" divides each row by T_i (rows sum to 1: the diagonal is the
recall), "pred" each column by P_j (the diagonal is the precision), "all" the
whole matrix by n. An empty row or column stays 0 (scikit-learn's convention).

Algorithm
---------
1. Labels: the sorted labels seen in y_true or y_pred, or the given list (its order is the
   row order); samples whose true or predicted label is not listed are left out.
2. Turn each label into its index 0..K-1 (one sort and a binary search, no Python loop).
3. Count the pairs: bincount(K * true_index + pred_index) reshaped to (K, K).
4. Normalise with a division that skips zero sums.

References: T. Fawcett, "An introduction to ROC analysis", Pattern Recognition
Letters 27, 2006, sec. 2; scikit-learn user guide, "Confusion matrix".
Difficulty: 1 of 3, about 20 minutes.
Run: python 03-model-evaluation/ex06_confusion_matrix.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.label_checks import check_targets
from utils.validation import as_float_array, check_option

NORMALIZE = (None, "true", "pred", "all")

# %% [markdown]
# ## Implementation


# %%
def label_indices(values, labels):
    """The position of each value in `labels`, or -1 where it is not listed: shape (n_samples,)."""
    values, labels = np.asarray(values), np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or values.ndim != 1:
        raise ValueError(f"values and labels must be 1-D and labels non-empty; got shapes {values.shape} and {labels.shape}")
    order = np.argsort(labels, kind="stable")  # (n_labels,)
    sorted_labels = labels[order]
    # BEGIN SOLUTION
    # HINT 1: Binary search each value in the sorted labels; a value is found only if the
    # HINT 1: label at the insertion point equals it. Map back through the sorting order.
    # HINT 2: pos = searchsorted(sorted_labels, values) (clipped); found = sorted_labels[pos] == values
    # HINT 3: pos = np.searchsorted(sorted_labels, values); pos = np.minimum(pos, len(labels) - 1)
    # HINT 3: found = sorted_labels[pos] == values; return np.where(found, order[pos], -1)
    pos = np.searchsorted(sorted_labels, values)  # (n_samples,), where each value would be inserted
    pos = np.minimum(pos, len(labels) - 1)  # keep the index valid; the equality test below decides
    found = sorted_labels[pos] == values  # (n_samples,)
    return np.where(found, order[pos], -1)
    # END SOLUTION


def confusion_matrix(y_true, y_pred, labels=None, normalize=None):
    """C[i, j] = number of samples with true label labels[i] predicted as labels[j].

    Parameters
    ----------
    y_true, y_pred : arrays of shape (n_samples,), labels of one type
    labels : the row/column order (default: sorted labels seen in y_true or y_pred)
    normalize : None (counts), "true" (rows sum to 1), "pred" (columns sum to 1) or "all"

    Returns
    -------
    ndarray of shape (n_labels, n_labels): int counts, or floats when normalised
    """
    y_true, y_pred, present = check_targets(y_true, y_pred)
    check_option(normalize, "normalize", NORMALIZE)
    if labels is None:
        labels = present
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) == 0:
        raise ValueError(f"labels must be a non-empty 1-D list of labels; got {labels!r}")
    if len(np.unique(labels)) != len(labels):
        raise ValueError(f"labels must be unique; got {labels.tolist()}")
    if not np.any(np.isin(y_true, labels)):
        raise ValueError(f"at least one of labels={labels.tolist()} must occur in y_true")
    # BEGIN SOLUTION
    # HINT 1: Turn each (true, predicted) pair into one cell number and count all cells with
    # HINT 1: one bincount; normalise by row, column or total if asked (0 where a total is 0).
    # HINT 2: cm = bincount(K * t + p, minlength=K*K).reshape(K, K); "true": divide by row sums
    # HINT 3: t, p = label_indices(y_true, labels), label_indices(y_pred, labels); keep both >= 0
    # HINT 3: cm = np.bincount(K * t[keep] + p[keep], minlength=K * K).reshape(K, K)
    # HINT 3: if normalize: totals = row sums / column sums / grand total (broadcast to cm.shape)
    # HINT 3:   return np.divide(cm, totals, out=zeros, where=totals > 0)
    K = len(labels)
    t, p = label_indices(y_true, labels), label_indices(y_pred, labels)  # (n_samples,) each
    keep = (t >= 0) & (p >= 0)  # drop samples with an unlisted label
    cm = np.bincount(K * t[keep] + p[keep], minlength=K * K).reshape(K, K)  # (n_labels, n_labels)
    if normalize is None:
        return cm
    if normalize == "true":
        totals = cm.sum(axis=1, keepdims=True)  # (n_labels, 1), the supports
    elif normalize == "pred":
        totals = cm.sum(axis=0, keepdims=True)  # (1, n_labels), the prediction counts
    else:
        totals = np.array([[cm.sum()]])  # (1, 1)
    totals = np.broadcast_to(totals, cm.shape)
    # An empty row/column stays 0: divide only where the total is positive (no 0/0).
    return np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)
    # END SOLUTION


def metrics_from_confusion(cm):
    """Per-class precision, recall and F1 (0 where undefined) and the accuracy, from a count matrix.

    Returns
    -------
    precision, recall, f1 : ndarrays of shape (n_labels,)
    accuracy : float
    """
    cm = as_float_array(cm, "cm")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.sum() <= 0:
        raise ValueError(f"expected a square matrix of counts with a positive total; got shape {cm.shape}")
    # BEGIN SOLUTION
    # HINT 1: TP is the diagonal; column sums are predictions per class, row sums the true counts.
    # HINT 2: precision = diag / col sums; recall = diag / row sums; F1 = 2 TP / (P + T);
    # HINT 2:   acc = trace / total
    # HINT 3: tp = np.diag(cm); predicted, true = cm.sum(0), cm.sum(1)
    # HINT 3: each ratio via np.divide(..., out=zeros_like, where=denominator > 0)
    # HINT 3: return precision, recall, f1, float(tp.sum() / cm.sum())
    tp = np.diag(cm)  # (n_labels,)
    predicted, true = cm.sum(axis=0), cm.sum(axis=1)  # (n_labels,) column and row sums
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, true, out=np.zeros_like(tp), where=true > 0)
    f_denominator = predicted + true  # F1 = 2 TP / (P + T)
    f1 = np.divide(2 * tp, f_denominator, out=np.zeros_like(tp), where=f_denominator > 0)
    return precision, recall, f1, float(tp.sum() / cm.sum())
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # A 1-nearest-neighbour classifier (built in module 02; scikit-learn's here) that has seen 5 images of each digit.
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier

    X, y = data.load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=len(y) - 50, random_state=0, stratify=y)
    y_hat = KNeighborsClassifier(n_neighbors=1).fit(X_tr, y_tr).predict(X_te)
    cm = confusion_matrix(y_te, y_hat)
    precision, recall, f1, accuracy = metrics_from_confusion(cm)
    print(f"1-NN on digits, 50 training images, {len(y_te)} test images: accuracy {accuracy:.3f}")
    print(f"{'digit':<7}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    for d in range(10):
        print(f"{d:<7}{precision[d]:>10.3f}{recall[d]:>8.3f}{f1[d]:>7.3f}{cm[d].sum():>9d}")
    off = cm * (1 - np.eye(10, dtype=int))  # (10, 10), the mistakes only
    print("\nMost frequent confusions (true -> predicted):")
    for flat in np.argsort(off, axis=None)[::-1][:5]:
        i, j = np.unravel_index(flat, off.shape)
        print(f"  {i} -> {j}: {off[i, j]} times ({off[i, j] / cm[i].sum():.1%} of the {i}s)")

    fig, (ax_raw, ax_norm) = plotting.new_figure(1, 2, width=5.6, height=4.8)
    cm_true = confusion_matrix(y_te, y_hat, normalize="true")
    plotting.plot_confusion_matrix(ax_raw, cm, labels=range(10), title=f"Counts ({len(y_te)} test digits)")
    plotting.plot_confusion_matrix(ax_norm, cm_true, labels=range(10), normalized=True, title="Normalised by row: diagonal = recall")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex06_confusion_matrix")


if __name__ == "__main__":
    main()
