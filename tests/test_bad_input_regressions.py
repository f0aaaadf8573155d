"""The findings of issue 15 for public functions, one test each, and the array checks of utils.validation.

The automatic sweep (test_public_functions_bad_input.py) covers every function with sampled
arguments; these tests pin the specific cases the issue reported, with hand-made inputs. A finding
now pinned in its exercise's own test file (the calibrators' NaN scores, 03.09 and 03.10) is not repeated here.
"""

import multiprocessing

import numpy as np
import pytest

import utils
from utils import validation

HANG_LIMIT = 20.0  # seconds; lstsq_fit used to spin forever inside LAPACK on an inf

linalg = utils.load_exercise("01-python-for-ml/ex06_numpy_linear_algebra.py")
backprop = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py")
correlation = utils.load_exercise("00-math-fundamentals/probability-statistics/ex28_covariance_correlation.py")
information = utils.load_exercise("00-math-fundamentals/probability-statistics/ex30_entropy_kl.py")
spread = utils.load_exercise("00-math-fundamentals/probability-statistics/ex21_centre_and_spread.py")
selection = utils.load_exercise("04-feature-engineering/ex13_feature_selection.py")
roc = utils.load_exercise("03-model-evaluation/ex07_roc_auc.py")
qr = utils.load_exercise("00-math-fundamentals/linear-algebra/ex07_qr_decomposition.py")
pca = utils.load_exercise("00-math-fundamentals/linear-algebra/ex12_pca_covariance.py")
stable = utils.load_exercise("01-python-for-ml/ex10_stable_softmax.py")


def _lstsq_with_inf(queue):
    X = np.ones((5, 2))
    X[0, 0] = np.inf
    try:
        linalg.lstsq_fit(X, np.ones(5))
        queue.put("returned")
    except ValueError as error:
        queue.put(str(error))


def test_lstsq_fit_refuses_inf_instead_of_hanging():
    # Check that lstsq_fit answers an inf in X with a ValueError naming X, within the time limit (it used to hang).
    queue = multiprocessing.get_context("fork").Queue()
    worker = multiprocessing.get_context("fork").Process(target=_lstsq_with_inf, args=(queue,))
    worker.start()
    worker.join(HANG_LIMIT)
    if worker.is_alive():
        worker.kill()
        pytest.fail(f"lstsq_fit did not return within {HANG_LIMIT:g} s")
    assert "X must contain only finite numbers" in queue.get(timeout=1)


def test_binary_cross_entropy_refuses_a_column_of_logits(rng):
    # Check that (N, 1) logits against (N,) labels are refused instead of broadcasting to an (N, N) loss.
    z, y = rng.normal(size=6), (np.arange(6) % 2).astype(float)
    with pytest.raises(ValueError, match="logits and y must have the same shape"):
        backprop.binary_cross_entropy(z[:, None], y)


def test_spearman_refuses_nan_like_pearson():
    # Check that a NaN is refused by Spearman's correlation, with the argument named, as Pearson's does.
    x, y = [1.0, np.nan, 3.0, 4.0], [2.0, 1.0, 4.0, 3.0]
    for function in (correlation.pearson_correlation, correlation.spearman_correlation):
        with pytest.raises(ValueError, match="x must contain only finite numbers"):
            function(x, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_mutual_info_scores_refuses_non_finite(bad):
    # Check that NaN and inf in X are refused (np.unique would count every NaN as a category of its own).
    X = np.array([[0.0, 1.0], [1.0, 1.0], [bad, 0.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        selection.mutual_info_scores(X, [0, 1, 0, 1])


def test_mutual_info_scores_refuses_text():
    # Check that text in X gets a TypeError that names X.
    with pytest.raises(TypeError, match="X must hold numbers"):
        selection.mutual_info_scores([["a", "b"], ["c", "d"]], [0, 1])


def test_roc_auc_score_of_nothing_is_a_clear_error():
    # Check that roc_auc_score([], []) raises a ValueError that names y_true (it used to be an IndexError).
    with pytest.raises(ValueError, match="y_true and y_score are empty"):
        roc.roc_auc_score([], [])


def test_entropy_accepts_float32_probabilities():
    # Check that a float32 distribution (which sums to 1 only within float32 precision) is accepted.
    p = np.float32([0.1, 0.2, 0.3, 0.4])
    expected = -np.sum(np.float64(p) * np.log(np.float64(p)))  # the definition, in float64
    np.testing.assert_allclose(information.entropy(p), expected, rtol=1e-6)


def test_lstsq_qr_on_huge_values_says_why():
    # Check that entries whose squares overflow get a message about overflow, not "must be finite".
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]]) * 1e300
    with pytest.raises(ValueError, match="overflow"):
        qr.lstsq_qr(A, np.ones(3))


def test_layer_functions_take_lists():
    # Check that affine_forward takes nested lists and gives the same output as for arrays (x @ w + b by hand).
    out, _ = backprop.affine_forward([[1.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], [0.5, -0.5])
    np.testing.assert_allclose(out, [[1.5, 1.5]])


@pytest.mark.parametrize("scale", [1e150, 1e300])
def test_stability_functions_stay_finite_up_to_1e300(scale):
    # Check that std, standardize, softmax, sigmoid and logsumexp give finite, scale-consistent results.
    x = np.array([1.0, -2.0, 3.0, 0.5])
    np.testing.assert_allclose(spread.std(x * scale), np.std(x) * scale, rtol=1e-12)
    Z, _, scale_ = pca.standardize(np.column_stack([x, x[::-1]]) * scale)
    np.testing.assert_allclose(Z, pca.standardize(np.column_stack([x, x[::-1]]))[0], atol=1e-12)
    assert np.all(np.isfinite(scale_))
    assert np.all(np.isfinite(stable.softmax(x * scale)))
    assert np.all(np.isfinite(stable.sigmoid(x * scale)))
    np.testing.assert_allclose(stable.logsumexp(x * scale), 3.0 * scale, rtol=1e-12)  # the max dominates


# %% The array checks of utils.validation


def test_as_float_array_converts_and_names():
    # Check conversion of lists and ints, and errors naming the argument for text, ndim, emptiness and NaN.
    np.testing.assert_array_equal(validation.as_float_array([1, 2], "x"), [1.0, 2.0])
    assert validation.as_float_array(np.arange(3), "x").dtype == np.float64
    with pytest.raises(TypeError, match=r"scores must hold numbers; got strings such as '1x'"):
        validation.as_float_array(["1x", "2"], "scores")
    with pytest.raises(ValueError, match=r"w must be a 1-D array; got shape \(2, 2\)"):
        validation.as_float_array(np.ones((2, 2)), "w", ndim=1)
    with pytest.raises(ValueError, match="x must be non-empty"):
        validation.as_float_array([], "x", allow_empty=False)
    with pytest.raises(ValueError, match="1 NaN and 1 infinite"):
        validation.as_float_array([np.nan, np.inf, 1.0], "x", finite=True)


def test_shape_and_length_checks():
    # Check that a column against a vector, different lengths and wrong gradient shapes are refused by name.
    with pytest.raises(ValueError, match=r"logits and y must have the same shape; got \(3, 1\) and \(3,\)"):
        validation.check_same_shape(np.ones((3, 1)), np.ones(3), ("logits", "y"))
    with pytest.raises(ValueError, match="x and y must have the same length"):
        validation.check_same_length([1, 2], [1], ("x", "y"))
    with pytest.raises(ValueError, match=r"dout must have the shape of the layer's output \(3,\)"):
        validation.check_grad_shape(np.ones((3, 1)), (3,))
    with pytest.raises(ValueError, match="Q and X must have the same number"):
        validation.check_paired_features(np.ones((2, 3)), np.ones((4, 2)), ("Q", "X"))


def test_check_linear_model():
    # Check the accepted shapes, and that (n, 1) targets, mismatched w and a 2-D w for one output are refused.
    X, y = np.ones((4, 2)), np.zeros(4)
    w, b, X_, y_ = validation.check_linear_model([1, 2], 0.5, X, y)
    assert w.shape == (2,) and b.shape == () and X_.shape == (4, 2) and y_.shape == (4,)
    with pytest.raises(ValueError, match="y must be a 1-D array"):
        validation.check_linear_model([1, 2], 0.0, X, y[:, None])
    with pytest.raises(ValueError, match="w must have one row per feature"):
        validation.check_linear_model([1, 2, 3], 0.0, X, y)
    with pytest.raises(ValueError, match="w must be a 1-D array"):
        validation.check_linear_model(np.ones((2, 1)), 0.0, X, y)
    W, b, _, _ = validation.check_linear_model(np.ones((2, 3)), np.zeros(3), X, np.arange(4) % 3, labels=True, multi_output=True)
    assert W.shape == (2, 3) and b.shape == (3,)


def test_numbers_and_overflow():
    # Check positive numbers (bools and NaN refused) and the overflow guard at the float64 limit.
    assert validation.check_positive_number(2, "C") == 2.0
    assert validation.check_positive_number(0.0, "alpha", allow_zero=True) == 0.0
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="C must be a finite number > 0"):
            validation.check_positive_number(bad, "C")
    with pytest.raises(ValueError, match="C must be a finite number > 0"):
        validation.check_positive_number(True, "C")
    validation.check_no_overflow(np.full(10, 1e150), "X")  # 10 squares of 1e150 sum to 1e301: fine
    with pytest.raises(ValueError, match="X has values up to 1e"):
        validation.check_no_overflow(np.full(10, 1e300), "X")
