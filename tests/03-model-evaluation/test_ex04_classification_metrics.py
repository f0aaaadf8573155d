"""Tests for ex04_classification_metrics: every metric against scikit-learn, plus the undefined cases."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

import utils

ex = utils.load_exercise("03-model-evaluation/ex04_classification_metrics.py")

N_CASES = 50
RTOL = 1e-12
ATOL = 1e-12
BETAS = [0.0, 0.5, 1.0, 2.0]


def _random_case(rng, case):
    """Random y_true, y_pred: 1-4 classes, ints or strings, often a class never predicted or never true."""
    n = int(rng.integers(1, 30))
    alphabet = np.array(["ant", "bee", "cow", "doe"]) if case % 2 else np.array([0, 1, 2, 3])
    k_true = int(rng.integers(1, 5))
    y_true = alphabet[rng.integers(0, k_true, n)]
    pred_pool = rng.choice(4, size=int(rng.integers(1, 4)), replace=False)  # may miss classes, add others
    y_pred = alphabet[rng.choice(pred_pool, n)]
    keep = rng.random(n) < 0.4  # some predictions right, so scores are not all 0
    y_pred[keep] = y_true[keep]
    if case % 10 == 3:  # a single class in y_true, predicted perfectly or as another single class
        y_true = np.full(n, alphabet[0])
        y_pred = y_true.copy() if case % 20 == 3 else np.full(n, alphabet[1])
    return y_true, y_pred, alphabet


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ex.UndefinedMetricWarning)
        return function(*args, **kwargs)


def test_metrics_by_hand():
    # Check by hand: y_true = 1 1 1 0 0, y_pred = 1 0 1 1 0 has TP=2, FP=1, FN=1, TN=1:
    # precision 2/3, recall 2/3, F1 2/3, accuracy 3/5, F2 = 5*2 / (5*2 + 4*1 + 1) = 10/15.
    y_true, y_pred = [1, 1, 1, 0, 0], [1, 0, 1, 1, 0]
    assert ex.precision_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert ex.recall_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert ex.f1_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert ex.fbeta_score(y_true, y_pred, 2.0) == pytest.approx(10 / 15)
    assert ex.accuracy_score(y_true, y_pred) == pytest.approx(0.6)
    assert ex.accuracy_score(y_true, y_pred, normalize=False) == 3
    # class 0 as positive: TP=1, FP=1, FN=1 -> precision = recall = 1/2
    assert ex.precision_score(y_true, y_pred, pos_label=0) == pytest.approx(0.5)


def test_precision_recall_fscore_match_scikit_learn_on_random_cases(rng):
    # Check precision, recall, F-beta and support for every average against scikit-learn on 50 random
    # cases (single classes, never-predicted classes, string labels). zero_division and beta rotate over
    # the cases; our default 'warn' must give what scikit-learn gives for zero_division=0.
    for case in range(N_CASES):
        y_true, y_pred, _ = _random_case(rng, case)
        n_present = len(np.union1d(y_true, y_pred))
        averages = [None, "micro", "macro", "weighted"] + (["binary"] if n_present <= 2 else [])
        for i, average in enumerate(averages):
            pos_label = np.union1d(y_true, y_pred)[-1] if average == "binary" else 1
            zero_division = ["warn", 0, 1][(case + i) % 3]
            beta = BETAS[(case + i) % len(BETAS)]
            kw = dict(beta=beta, average=average, pos_label=pos_label)
            ours = _quiet(ex.precision_recall_fscore_support, y_true, y_pred, zero_division=zero_division, **kw)
            theirs = skm.precision_recall_fscore_support(y_true, y_pred, zero_division=0 if zero_division == "warn" else zero_division, **kw)
            for a, b in zip(ours[:3], theirs[:3]):
                np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"case {case}: {average}, beta={beta}, zero_division={zero_division}")
            if average is None:
                np.testing.assert_array_equal(ours[3], theirs[3])
        assert ex.accuracy_score(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred), rel=RTOL)
        assert ex.accuracy_score(y_true, y_pred, normalize=False) == skm.accuracy_score(y_true, y_pred, normalize=False)


def test_score_functions_match_scikit_learn(rng):
    # Check that precision_score, recall_score, f1_score and fbeta_score pick the right entry
    # (scikit-learn as reference, the average rotating over the cases).
    pairs = [(ex.precision_score, skm.precision_score), (ex.recall_score, skm.recall_score), (ex.f1_score, skm.f1_score)]
    for case in range(12):
        y_true, y_pred, _ = _random_case(rng, case)
        average = ["micro", "macro", "weighted", None][case % 4]
        for ours_fn, sk_fn in pairs:
            np.testing.assert_allclose(ours_fn(y_true, y_pred, average=average, zero_division=1), sk_fn(y_true, y_pred, average=average, zero_division=1), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(
            ex.fbeta_score(y_true, y_pred, 0.5, average=average, zero_division=1), skm.fbeta_score(y_true, y_pred, beta=0.5, average=average, zero_division=1), rtol=RTOL, atol=ATOL
        )


def test_labels_argument_matches_scikit_learn(rng):
    # Check a chosen subset of labels, including ones that never occur, for every average.
    for case in range(N_CASES):
        y_true, y_pred, alphabet = _random_case(rng, case)
        labels = list(rng.choice(alphabet, size=int(rng.integers(1, 4)), replace=False))
        average = [None, "micro", "macro", "weighted"][case % 4]
        zero_division = case // 4 % 2
        ours = ex.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=zero_division)
        theirs = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=zero_division)
        for a, b in zip(ours[:3], theirs[:3]):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"labels={labels}, {average}")


def test_balanced_accuracy_matches_scikit_learn(rng):
    # Check the mean per-class recall against scikit-learn (predicted labels drawn from the true classes).
    for _ in range(N_CASES):
        y_true = rng.integers(0, 3, int(rng.integers(2, 40)))
        y_pred = np.where(rng.random(len(y_true)) < 0.6, y_true, rng.choice(np.unique(y_true), len(y_true)))
        assert ex.balanced_accuracy_score(y_true, y_pred) == pytest.approx(skm.balanced_accuracy_score(y_true, y_pred), rel=RTOL)


def test_micro_average_equals_accuracy(rng):
    # Check the property: with all classes, micro precision = micro recall = micro F1 = accuracy.
    y_true, y_pred = rng.integers(0, 4, 100), rng.integers(0, 4, 100)
    p, r, f, _ = ex.precision_recall_fscore_support(y_true, y_pred, average="micro")
    np.testing.assert_allclose([p, r, f], ex.accuracy_score(y_true, y_pred), rtol=RTOL)


def test_zero_division_values_for_a_class_never_predicted():
    # Check by hand: class 1 is never predicted and never true, so precision, recall and F1 are 0/0;
    # zero_division=1 gives 1, zero_division=0 gives 0, and the default 'warn' gives 0 with a warning.
    y_true, y_pred = [0, 0, 0], [0, 0, 0]
    for value in [0, 1]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an explicit zero_division must not warn
            assert ex.precision_score(y_true, y_pred, zero_division=value) == value
            assert ex.recall_score(y_true, y_pred, zero_division=value) == value
            assert ex.f1_score(y_true, y_pred, zero_division=value) == value
    with pytest.warns(ex.UndefinedMetricWarning, match="precision"):
        assert ex.precision_score(y_true, y_pred) == 0.0
    # Never predicted but present: precision 0/0, recall 0/2 = 0, F1 = 0 / (2 + 0) = 0 (defined).
    assert ex.precision_score([1, 1, 0], [0, 0, 0], zero_division=1) == 1.0
    assert ex.recall_score([1, 1, 0], [0, 0, 0], zero_division=1) == 0.0
    assert ex.f1_score([1, 1, 0], [0, 0, 0], zero_division=1) == 0.0


def test_warning_only_when_undefined(rng):
    # Check that the default emits no warning when every ratio is defined.
    y_true, y_pred = np.array([0, 1, 1, 0, 1]), np.array([0, 1, 0, 1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.precision_recall_fscore_support(y_true, y_pred, average="macro")


def test_single_class_and_string_labels():
    # Check a single class everywhere and string labels with pos_label against scikit-learn.
    y = np.array(["spam"] * 4)
    assert ex.accuracy_score(y, y) == 1.0
    assert ex.f1_score(y, y, pos_label="spam") == skm.f1_score(y, y, pos_label="spam")
    y_true = np.array(["spam", "ham", "spam", "ham", "spam"])
    y_pred = np.array(["spam", "spam", "ham", "ham", "spam"])
    for pos_label in ["spam", "ham"]:
        assert ex.precision_score(y_true, y_pred, pos_label=pos_label) == pytest.approx(skm.precision_score(y_true, y_pred, pos_label=pos_label))
        assert ex.recall_score(y_true, y_pred, pos_label=pos_label) == pytest.approx(skm.recall_score(y_true, y_pred, pos_label=pos_label))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ex.accuracy_score([0, 1, 1], [0, 1]), "same length"),
        (lambda: ex.f1_score([0, 1, 1], [0.2, 0.9, 0.7]), "discrete labels"),
        (lambda: ex.f1_score(["a", "b"], [0, 1]), "one type"),
        (lambda: ex.f1_score([0, 1, 2], [0, 1, 1]), "average='binary'"),
        (lambda: ex.f1_score(["a", "b"], ["a", "a"]), "pos_label=1 is not a valid label"),
        (lambda: ex.f1_score([0, 1], [0, 1], average="mean"), "average must be"),
        (lambda: ex.f1_score([0, 1], [0, 1], zero_division=2), "zero_division"),
        (lambda: ex.accuracy_score([], []), "empty"),
        (lambda: ex.fbeta_score([0, 1], [0, 1], beta=-1.0), "beta"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    # Check mismatched lengths, probabilities instead of labels, mixed types, bad options.
    with pytest.raises(ValueError, match=match):
        call()
