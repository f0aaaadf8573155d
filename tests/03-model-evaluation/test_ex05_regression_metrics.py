"""Tests for ex05_regression_metrics: MSE, RMSE, MAE, R^2 and MAPE against scikit-learn."""

import numpy as np
import pytest
from sklearn import metrics as skm

import utils

ex = utils.load_exercise("03-model-evaluation/ex05_regression_metrics.py")

N_CASES = 50
RTOL = 1e-12
PAIRS = [
    (ex.mean_squared_error, skm.mean_squared_error),
    (ex.root_mean_squared_error, skm.root_mean_squared_error),
    (ex.mean_absolute_error, skm.mean_absolute_error),
    (ex.r2_score, skm.r2_score),
    (ex.mean_absolute_percentage_error, skm.mean_absolute_percentage_error),
]


def test_metrics_by_hand():
    # Check by hand: y = (1, 2, 3), y_hat = (1, 2, 5): errors (0, 0, -2), so MSE = 4/3, MAE = 2/3,
    # SS_tot = 2 and R^2 = 1 - 4/2 = -1, MAPE = (2/3) / 3 = 2/9.
    y, y_hat = [1.0, 2.0, 3.0], [1.0, 2.0, 5.0]
    assert ex.mean_squared_error(y, y_hat) == pytest.approx(4 / 3)
    assert ex.root_mean_squared_error(y, y_hat) == pytest.approx(np.sqrt(4 / 3))
    assert ex.mean_absolute_error(y, y_hat) == pytest.approx(2 / 3)
    assert ex.r2_score(y, y_hat) == pytest.approx(-1.0)
    assert ex.mean_absolute_percentage_error(y, y_hat) == pytest.approx(2 / 9)


def test_metrics_match_scikit_learn_on_random_cases(rng):
    # Check all five metrics against scikit-learn on 50 random cases: sizes 2..40, scales from
    # 1e-3 to 1e3, ties, some zero targets, some exact predictions.
    for case in range(N_CASES):
        n = int(rng.integers(2, 41))
        scale = 10.0 ** rng.uniform(-3, 3)
        y = scale * rng.standard_normal(n)
        if case % 5 == 0:
            y = np.round(y / scale) * scale  # ties and exact zeros
        y_hat = y + scale * rng.standard_normal(n) * rng.uniform(0, 2)
        if case % 7 == 0:
            y_hat[: n // 2] = y[: n // 2]  # half predicted exactly
        for ours, theirs in PAIRS:
            np.testing.assert_allclose(ours(y, y_hat), theirs(y, y_hat), rtol=RTOL, err_msg=f"{ours.__name__}, case {case}")


def test_r2_of_a_constant_target_follows_scikit_learn():
    # Check SS_tot = 0: a perfect prediction scores 1.0, any other 0.0 (scikit-learn's force_finite rule).
    y = np.full(5, 3.0)
    assert ex.r2_score(y, y) == skm.r2_score(y, y) == 1.0
    assert ex.r2_score(y, y + 0.1) == skm.r2_score(y, y + 0.1) == 0.0


def test_r2_properties(rng):
    # Check that predicting the mean gives R^2 = 0 and that R^2 = 1 - MSE / Var(y) (population variance).
    y, y_hat = rng.standard_normal(30), rng.standard_normal(30)
    assert ex.r2_score(y, np.full(30, y.mean())) == pytest.approx(0.0, abs=1e-12)
    assert ex.r2_score(y, y_hat) == pytest.approx(1 - ex.mean_squared_error(y, y_hat) / y.var())


def test_mape_uses_machine_epsilon_for_zero_targets():
    # Check scikit-learn's convention: a zero target divides by eps = 2.22e-16, a large but finite term.
    y, y_hat = np.array([0.0, 2.0]), np.array([1.0, 2.0])
    eps = np.finfo(np.float64).eps
    assert ex.mean_absolute_percentage_error(y, y_hat) == pytest.approx(0.5 / eps)
    assert ex.mean_absolute_percentage_error(y, y_hat) == pytest.approx(skm.mean_absolute_percentage_error(y, y_hat))


def test_one_outlier_moves_each_metric_as_predicted(rng):
    # Check the scaling laws on a perfect fit with one error d added: MSE = d^2 / n, RMSE = |d| / sqrt(n),
    # MAE = |d| / n (squares grow with d^2, absolute values with d).
    n = 20
    y = rng.uniform(1, 2, n)
    for d in [0.5, 10.0, 300.0]:
        y_hat = y.copy()
        y_hat[3] += d
        assert ex.mean_squared_error(y, y_hat) == pytest.approx(d**2 / n)
        assert ex.root_mean_squared_error(y, y_hat) == pytest.approx(d / np.sqrt(n))
        assert ex.mean_absolute_error(y, y_hat) == pytest.approx(d / n)


def test_metrics_are_symmetric_where_expected(rng):
    # Check that swapping y and y_hat leaves MSE and MAE unchanged but not R^2 or MAPE.
    y, y_hat = rng.standard_normal(10), rng.standard_normal(10)
    assert ex.mean_squared_error(y, y_hat) == pytest.approx(ex.mean_squared_error(y_hat, y))
    assert ex.mean_absolute_error(y, y_hat) == pytest.approx(ex.mean_absolute_error(y_hat, y))
    assert ex.r2_score(y, y_hat) != pytest.approx(ex.r2_score(y_hat, y))


@pytest.mark.parametrize(
    "y, y_hat, match",
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], "same length"),
        ([[1.0, 2.0]], [[1.0, 2.0]], "1-D"),
        ([1.0, np.nan], [1.0, 2.0], "finite"),
        ([], [], "empty"),
    ],
)
def test_bad_input_gets_a_clear_error(y, y_hat, match):
    # Check mismatched lengths, 2-D input, NaN and empty arrays, for every metric.
    for ours, _ in PAIRS:
        with pytest.raises(ValueError, match=match):
            ours(y, y_hat)


def test_r2_needs_two_samples():
    # Check that R^2 of one sample (undefined spread) is refused; scikit-learn returns nan with a warning.
    with pytest.raises(ValueError, match="two samples"):
        ex.r2_score([1.0], [1.0])
