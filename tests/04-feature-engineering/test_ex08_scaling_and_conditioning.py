"""Tests for ex08_scaling_and_conditioning: the condition number and gradient descent, raw and scaled."""

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

import utils

ex = utils.load_exercise("04-feature-engineering/ex08_scaling_and_conditioning.py")

RTOL = 1e-8  # eigenvalues of A^T A vs np.linalg.cond's singular values


def test_condition_number_matches_numpy(rng):
    # Check kappa against np.linalg.cond of A^T A (2-norm: ratio of extreme singular values).
    X = rng.normal(size=(40, 3)) * [1.0, 10.0, 0.1]
    A = np.column_stack([X, np.ones(40)])
    np.testing.assert_allclose(ex.condition_number(X), np.linalg.cond(A.T @ A), rtol=RTOL)


def test_condition_number_by_hand():
    # Check by hand: X = [-1, 1] gives A^T A = [[2, 0], [0, 2]], so kappa = 1; a constant column
    # duplicates the intercept, so A^T A is singular and kappa is infinite.
    np.testing.assert_allclose(ex.condition_number([[-1.0], [1.0]]), 1.0)
    assert ex.condition_number([[3.0], [3.0], [3.0]]) == np.inf


def test_condition_number_bad_input():
    # Check a clear error for 1-D input.
    with pytest.raises(ValueError, match="2-D"):
        ex.condition_number([1.0, 2.0])


def test_scaling_speeds_up_gradient_descent(rng):
    # Check the lesson's claim: the loss never rises with step 1/L, and standardised features converge
    # in far fewer steps than features in units 100x apart.
    X = np.column_stack([rng.uniform(1, 6, 100), rng.uniform(30, 250, 100)])
    y = X @ [20.0, 3.0] + rng.normal(0, 5, 100)
    raw_steps, raw_gaps = ex.gd_steps_to_converge(X, y, max_iter=3000)
    std_steps, std_gaps = ex.gd_steps_to_converge(StandardScaler().fit_transform(X), y, max_iter=3000)
    assert np.all(np.diff(raw_gaps) <= 1e-9 * raw_gaps[0]) and np.all(np.diff(std_gaps) <= 1e-9 * std_gaps[0])
    assert std_steps < 200 and raw_steps == 3000
    assert std_gaps[-1] < 1e-8 * std_gaps[0]
