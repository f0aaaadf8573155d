"""
Exercise 01: the train/test split, and why the test set is touched once

Learning goals
--------------
- Split data into a training and a test part with shuffling, a seed and stratification (every
  class's share within one sample of exact, by largest remainders), as scikit-learn does.
- See, with numbers, why the test set may be used only once: choosing a hyperparameter by
  its test score makes that test score optimistic.

The math
--------
n samples are split into n_test = ceil(test_size * n) test samples (test_size a
fraction in (0, 1); an int is a count) and n_train = n - n_test training samples.

Stratification: class c has n_c samples. Its exact share of the test part is
    e_c = n_test * n_c / n    (usually not a whole number).
Largest remainders: give each class floor(e_c), then hand the leftover n_test - sum_c floor(e_c)
samples, one each, to the classes with the largest fractional parts e_c - floor(e_c). Every class
then has floor(e_c) or ceil(e_c) test samples, and its training count is within one of exact too.

Why the test set is touched once: a test score is an unbiased estimate of the accuracy of ONE
model fixed before we looked at the test set. Keep the best of m models by test score, and we keep
the maximum of m noisy estimates: E[max_j (a_j + noise_j)] >= max_j a_j, biased upward. Choose on
a validation set (or by cross-validation, ex02) and touch the test set once, at the very end.

Algorithm
---------
1. n_test from test_size, n_train = n - n_test; both must be at least 1.
2. No shuffle: the first n_train samples train; shuffle: one permutation, its first n_test test.
3. Stratified: each class's test count by largest remainders, taken from its shuffled indices.
4. Index every array with the same train and test indices.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed.,
2009, ch. 7.2 and 7.10; G. C. Cawley, N. L. C. Talbot, "On over-fitting in model selection and
subsequent selection bias in performance evaluation", JMLR 11, 2010.
Difficulty: 2 of 3, about 30 minutes.
Run: python 03-model-evaluation/ex01_train_test_split.py
"""

# %%
import numpy as np

from utils import data, plotting, quick_mode

# %% [markdown]
# ## Implementation: the split


# %%
def split_sizes(n_samples, test_size=None):
    """(n_train, n_test); test_size is a fraction (the test part rounds up, as scikit-learn), a count or None (0.25)."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"need at least 2 samples to split; got n_samples={n_samples!r}")
    test_size = 0.25 if test_size is None else test_size
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float, np.integer, np.floating)):
        raise TypeError(f"test_size must be a float in (0, 1) or an int count; got {type(test_size).__name__}")
    fraction = isinstance(test_size, (float, np.floating))
    if (fraction and not 0.0 < test_size < 1.0) or (not fraction and not 1 <= test_size < n_samples):
        raise ValueError(f"test_size must be a fraction in (0, 1) or a count in 1..n_samples - 1 = {n_samples - 1}; got {test_size}")
    # BEGIN SOLUTION
    # HINT 1: A float is a fraction of n_samples (round the test part up); an int is a count.
    # HINT 2: n_test = ceil(test_size * n_samples) for a float, else int(test_size); n_train = n - n_test
    n_test = int(np.ceil(test_size * n_samples)) if fraction else int(test_size)
    n_train = n_samples - n_test
    # END SOLUTION
    if n_train < 1 or n_test < 1:
        raise ValueError(f"test_size={test_size} with n_samples={n_samples} leaves an empty part (n_train={n_train}, n_test={n_test})")
    return n_train, n_test


def stratified_allocation(class_counts, n_test, rng):
    """How many test samples each class gets, shape (n_classes,): floor or ceil of n_test * n_c / n, summing
    to n_test. class_counts (n_classes,) holds the n_c; rng breaks ties between equal fractional parts."""
    class_counts = np.asarray(class_counts)
    n = class_counts.sum()
    # BEGIN SOLUTION
    # HINT 1: Each class gets the floor of its exact share; the leftover slots go to the largest fractional parts.
    # HINT 2: exact_c = n_test * class_counts_c / n; counts = floor(exact); leftover = n_test - sum(counts)
    # HINT 3: exact, counts as above; order = rng.permutation(n_classes)
    # HINT 3: order = order[np.argsort(-(exact - counts)[order], kind="stable")]
    # HINT 3: counts[order[:leftover]] += 1; return counts
    exact = n_test * class_counts / n  # (n_classes,), the exact shares e_c
    counts = np.floor(exact).astype(int)  # (n_classes,)
    leftover = n_test - counts.sum()  # 0 <= leftover < n_classes
    # Largest fractional parts first; a random order before the stable sort breaks ties fairly.
    order = rng.permutation(len(class_counts))  # (n_classes,)
    order = order[np.argsort(-(exact - counts)[order], kind="stable")]
    counts[order[:leftover]] += 1
    return counts
    # END SOLUTION


def train_test_indices(n_samples, test_size=None, random_state=None, shuffle=True, stratify=None):
    """(train_idx, test_idx) of shapes (n_train,) and (n_test,): disjoint, together 0..n_samples-1.

    test_size: a float in (0, 1), an int count or None (0.25). shuffle=False keeps the order (the
    first n_train samples train). stratify: None, or class labels (n_samples,) whose shares both parts keep.
    """
    n_train, n_test = split_sizes(n_samples, test_size)
    if stratify is not None:
        if not shuffle:
            raise ValueError("stratify needs shuffle=True: a stratified split without shuffling is not defined")
        stratify = np.asarray(stratify)
        if stratify.shape != (n_samples,):
            raise ValueError(f"stratify must have shape (n_samples,) = ({n_samples},); got {stratify.shape}")
        classes, y_idx = np.unique(stratify, return_inverse=True)
        counts = np.bincount(y_idx)  # (n_classes,)
        if counts.min() < 2:
            raise ValueError(f"the least populated class, {classes[counts.argmin()]!r}, has only 1 member; stratification needs at least 2 per class")
        if min(n_train, n_test) < len(classes):
            raise ValueError(f"n_train={n_train} and n_test={n_test} must each be at least the number of classes, {len(classes)}")
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: No shuffle: the last n_test rows are the test set. Shuffle: one permutation. Stratified:
    # HINT 1: allocate test counts per class, split each class's shuffled members, shuffle the parts.
    # HINT 2: stratified: test_counts = stratified_allocation(counts, n_test, rng); per class c,
    # HINT 2: members = rng.permutation(flatnonzero(y_idx == c)); test = members[:n_c_test]
    # HINT 3: no shuffle: arange(n_train), arange(n_train, n); no stratify: perm = rng.permutation(n); perm[n_test:], perm[:n_test]
    # HINT 3: stratified: return rng.permutation(concat(train parts)), rng.permutation(concat(test parts))
    if not shuffle:
        return np.arange(n_train), np.arange(n_train, n_samples)
    if stratify is None:
        permutation = rng.permutation(n_samples)  # (n_samples,)
        return permutation[n_test:], permutation[:n_test]
    test_counts = stratified_allocation(counts, n_test, rng)  # (n_classes,)
    train_parts, test_parts = [], []
    for c, n_c_test in enumerate(test_counts):
        members = rng.permutation(np.flatnonzero(y_idx == c))  # (n_c,), class c in random order
        test_parts.append(members[:n_c_test])
        train_parts.append(members[n_c_test:])
    # Shuffle each part so the classes are interleaved, not in blocks.
    return rng.permutation(np.concatenate(train_parts)), rng.permutation(np.concatenate(test_parts))
    # END SOLUTION


def train_test_split(*arrays, test_size=None, random_state=None, shuffle=True, stratify=None):
    """Split arrays with the same first dimension: [a_train, a_test, b_train, b_test, ...]."""
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    arrays = [np.asarray(a) for a in arrays]
    lengths = [len(a) if a.ndim else None for a in arrays]
    if None in lengths or len(set(lengths)) != 1:
        raise ValueError(f"all arrays must have the same number of samples (first dimension); got lengths {lengths}")
    train, test = train_test_indices(lengths[0], test_size, random_state, shuffle, stratify)
    # BEGIN SOLUTION
    # HINT 1: Index every array with the same train and test indices, in the order (a_train, a_test, ...).
    # HINT 2: [part for a in arrays for part in (a[train], a[test])]
    return [part for a in arrays for part in (a[train], a[test])]
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def accuracy_for_each_k(neighbors, y_train, y_eval, ks):
    """Accuracy (len(ks),) of k-NN majority votes for every k in ks, from one neighbour search.

    neighbors (n_eval, k_max): training indices, nearest first; y_train (n_train,); y_eval (n_eval,),
    the true labels; each k <= k_max. A tied vote goes to the smallest label."""
    classes, codes = np.unique(y_train, return_inverse=True)  # labels -> 0..n_classes-1
    one_hot = codes[neighbors][:, :, None] == np.arange(len(classes))  # (n_eval, k_max, n_classes)
    votes = np.cumsum(one_hot, axis=1)  # (n_eval, k_max, n_classes): votes among the first k
    predictions = classes[votes[:, np.asarray(ks) - 1, :].argmax(axis=2)]  # (n_eval, len(ks))
    return (predictions == np.asarray(y_eval)[:, None]).mean(axis=0)


def main():
    # The model we tune: k-nearest neighbours (built in module 02; scikit-learn's here).
    from sklearn.neighbors import KNeighborsClassifier

    # 1. Stratification on imbalanced labels: 10% positives, 100 samples, 20% test.
    y_imb = np.repeat([0, 1], [90, 10])  # (100,)
    n_rep = 300 if quick_mode() else 1000
    print(f"Positive share in a 20-sample test set (true share 0.10), {n_rep} seeds\n{'split':<15}{'mean':>7}{'min':>7}{'max':>7}")
    for name, strata in [("stratified", y_imb), ("plain shuffle", None)]:
        shares = [y_imb[train_test_indices(100, 0.2, random_state=seed, stratify=strata)[1]].mean() for seed in range(n_rep)]
        print(f"{name:<15}{np.mean(shares):>7.3f}{np.min(shares):>7.2f}{np.max(shares):>7.2f}")

    # 2. The optimism of choosing k on the test set. Each repetition: train 150,
    #    test 50, and a fresh hold-out of 200 that plays "the future".
    X, y = data.make_moons(n_samples=400, noise=0.35, random_state=0)
    ks = np.arange(1, 60, 2)  # odd k: no tied votes between two classes
    fixed_k = 15  # chosen before looking at any data
    n_rep = 60 if quick_mode() else 200
    tuned, fixed = [], []  # (test accuracy, hold-out accuracy) pairs
    for seed in range(n_rep):
        X_rest, X_hold, y_rest, y_hold = train_test_split(X, y, test_size=0.5, random_state=seed, stratify=y)
        X_tr, X_te, y_tr, y_te = train_test_split(X_rest, y_rest, test_size=0.25, random_state=seed, stratify=y_rest)
        model = KNeighborsClassifier(n_neighbors=ks.max()).fit(X_tr, y_tr)
        test_acc = accuracy_for_each_k(model.kneighbors(X_te, return_distance=False), y_tr, y_te, ks)  # (len(ks),)
        hold_acc = accuracy_for_each_k(model.kneighbors(X_hold, return_distance=False), y_tr, y_hold, ks)
        best = np.argmax(test_acc)  # the k that looks best on the test set
        tuned.append((test_acc[best], hold_acc[best]))
        fixed.append((test_acc[ks == fixed_k][0], hold_acc[ks == fixed_k][0]))
    print(f"\nk-NN on noisy moons, {n_rep} random splits (train 150 / test 50 / fresh hold-out 200)\n"
          f"{'how k was chosen':<26}{'test acc':>10}{'hold-out acc':>14}{'optimism':>10}")

    fig, ax = plotting.new_figure(1, 1, width=6.0, height=4.2)
    for i, (name, pairs) in enumerate([(f"fixed in advance (k={fixed_k})", np.array(fixed)), ("best test score", np.array(tuned))]):
        gap = pairs[:, 0] - pairs[:, 1]  # (n_rep,): test accuracy minus hold-out accuracy
        print(f"{name:<26}{pairs[:, 0].mean():>10.3f}{pairs[:, 1].mean():>14.3f}{gap.mean():>+10.3f}")
        ax.hist(gap, bins=np.linspace(-0.2, 0.25, 19), alpha=0.6, color=plotting.COLORS[i + 2], label=f"k {name}: mean {gap.mean():+.3f}")
    ax.axvline(0.0, color="black", linestyle="--")
    ax.set_ylim(top=1.3 * ax.get_ylim()[1])  # head room for the legend
    ax.set(xlabel="test accuracy - fresh hold-out accuracy", ylabel="number of splits", title="Tuning on the test set inflates its score")
    ax.legend(loc="upper left", frameon=True, framealpha=0.9, edgecolor="white")
    plotting.show_or_save(fig, "ex01_train_test_split")


if __name__ == "__main__":
    main()
