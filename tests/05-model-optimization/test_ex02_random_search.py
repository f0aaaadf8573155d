"""Tests for ex02_random_search: the log-uniform sampler, RandomizedSearchCV and the budget comparison."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import log_loss

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("05-model-optimization/ex02_random_search.py")

KS_ALPHA = 0.01  # a correct sampler fails a seeded KS test with this probability at most
ATOL = 1e-12


def test_loguniform_ppf_by_hand():
    # Check F^-1(0) = low, F^-1(1) = high and F^-1(1/2) = sqrt(low * high), the geometric mean;
    # for [1, 1000] the quarter points are 10^0.75 and 10^2.25.
    dist = ex.loguniform(1.0, 1000.0)
    np.testing.assert_allclose(dist.ppf([0.0, 0.25, 0.5, 0.75, 1.0]), 10.0 ** np.array([0, 0.75, 1.5, 2.25, 3]), rtol=1e-12)


def test_loguniform_log_is_uniform(rng):
    # Check with a Kolmogorov-Smirnov test: (log X - log low) / log(high / low) is Uniform(0, 1),
    # and X itself follows scipy's log-uniform distribution.
    low, high = 1e-4, 1e2
    samples = ex.loguniform(low, high).rvs(size=4000, random_state=rng)
    scaled = (np.log(samples) - np.log(low)) / np.log(high / low)
    assert stats.kstest(scaled, "uniform").pvalue > KS_ALPHA
    assert stats.kstest(samples, stats.loguniform(low, high).cdf).pvalue > KS_ALPHA
    # A plain uniform sampler on [low, high] would put about 99% of the samples in the top decade.
    assert 0.1 < np.mean(samples < 1e-3) < 0.2


def test_loguniform_stays_within_bounds(rng):
    # Check every sample lies in [low, high], for narrow, wide and extreme ranges.
    for low, high in [(0.5, 0.6), (1e-8, 1e8), (3.0, 3.0 + 1e-9)]:
        samples = ex.loguniform(low, high).rvs(size=2000, random_state=rng)
        assert samples.min() >= low and samples.max() <= high


def test_loguniform_is_reproducible_by_seed():
    # Check the same seed gives the same samples and another seed gives different ones.
    dist = ex.loguniform(1e-3, 1e3)
    np.testing.assert_array_equal(dist.rvs(size=10, random_state=7), dist.rvs(size=10, random_state=7))
    assert not np.array_equal(dist.rvs(size=10, random_state=7), dist.rvs(size=10, random_state=8))
    assert np.ndim(dist.rvs(random_state=0)) == 0  # size=None gives one number


def test_integer_loguniform_gives_integers_in_range(rng):
    # Check the integer option: whole numbers within [low, high], small ones the most frequent.
    samples = ex.loguniform(1, 100, integer=True).rvs(size=3000, random_state=rng)
    assert np.issubdtype(samples.dtype, np.integer)
    assert samples.min() >= 1 and samples.max() <= 100
    assert np.mean(samples <= 10) > 0.4  # half of the log range lies below 10


def test_uniform_ppf_and_samples(rng):
    # Check the uniform quantile function by hand and the samples with a KS test.
    dist = ex.uniform(2.0, 6.0)
    np.testing.assert_allclose(dist.ppf([0.0, 0.25, 1.0]), [2.0, 3.0, 6.0], atol=ATOL)
    assert stats.kstest(dist.rvs(size=2000, random_state=rng), stats.uniform(2.0, 4.0).cdf).pvalue > KS_ALPHA


def test_sample_parameters_draws_from_lists_and_distributions():
    # Check n_iter dicts with sorted keys, list entries drawn from the list, and reproducibility.
    space = {"kernel": ["rbf", "poly"], "C": ex.loguniform(0.1, 10.0)}
    candidates = ex.sample_parameters(space, n_iter=50, random_state=3)
    assert len(candidates) == 50
    assert all(list(c) == ["C", "kernel"] for c in candidates)
    assert {c["kernel"] for c in candidates} == {"rbf", "poly"}
    assert all(0.1 <= c["C"] <= 10.0 for c in candidates)
    assert candidates == ex.sample_parameters(space, n_iter=50, random_state=3)


class CountingEstimator:
    """Scores -|log10(a) - 0.3|: only a matters. Counts every fit, across clones."""

    fits = 0

    def __init__(self, a=1.0, b=0.0):
        self.a = a
        self.b = b

    def fit(self, X, y):
        CountingEstimator.fits += 1
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -abs(np.log10(self.a) - 0.3)


def test_random_search_evaluates_exactly_n_iter_candidates():
    # Check n_iter candidates in cv_results_, the ones sample_parameters draws with the same
    # seed, and exactly n_iter * n_folds + 1 fits (the +1 is the refit on all the data).
    X, y = np.zeros((12, 1)), np.zeros(12)
    space = {"a": ex.loguniform(1e-2, 1e2), "b": ex.uniform(0.0, 1.0)}
    CountingEstimator.fits = 0
    search = ex.RandomizedSearchCV(CountingEstimator(), space, n_iter=7, cv=3, random_state=5).fit(X, y)
    assert len(search.cv_results_["params"]) == 7
    assert search.cv_results_["params"] == ex.sample_parameters(space, 7, random_state=5)
    assert CountingEstimator.fits == 7 * 3 + 1
    assert search.best_params_ == max(search.cv_results_["params"], key=lambda p: -abs(np.log10(p["a"]) - 0.3))


def test_grid_for_budget_by_hand():
    # Check by hand: a budget of 9 over two hyperparameters buys 3 values each, at the cell
    # centres 1/6, 1/2, 5/6 (log-uniform on [1, 1000]: 10^0.5, 10^1.5, 10^2.5); offset 0 starts at low.
    space = {"a": ex.loguniform(1.0, 1000.0), "b": ex.uniform(0.0, 3.0)}
    grid = ex.grid_for_budget(space, 9)
    np.testing.assert_allclose(grid["a"], 10.0 ** np.array([0.5, 1.5, 2.5]), rtol=1e-12)
    np.testing.assert_allclose(grid["b"], [0.5, 1.5, 2.5], atol=ATOL)
    np.testing.assert_allclose(ex.grid_for_budget(space, 9, offset=0.0)["b"], [0.0, 1.0, 2.0], atol=ATOL)
    with pytest.raises(ValueError, match="perfect power"):
        ex.grid_for_budget(space, 10)


def test_random_search_beats_the_grid_when_one_hyperparameter_does_not_matter():
    # Check Bergstra & Bengio's argument on a score that depends on a only: with the same
    # budget of 9, the grid tries 3 distinct values of a and random search 9, and over many
    # repeats the random search's best a lies closer to the optimum on average.
    # (Expected distances: about 1/12 of the log range for the grid, about 1/20 for random.)
    X, y = np.zeros((4, 1)), np.zeros(4)
    space = {"a": ex.loguniform(1e-2, 1e2), "b": ex.uniform(0.0, 1.0)}
    results = ex.compare_grid_and_random(CountingEstimator(), space, X, y, budget=9, n_repeats=100, cv=2, random_state=0)
    assert all(len({c["a"] for c in tried}) == 3 for tried in results["grid"]["tried"])
    assert all(len({c["a"] for c in tried}) == 9 for tried in results["random"]["tried"])
    grid_distance, random_distance = -results["grid"]["best_score"], -results["random"]["best_score"]
    assert grid_distance.max() <= 4.0 / 6 + 1e-9  # a shifted grid is never more than half a cell away
    assert random_distance.mean() < 0.8 * grid_distance.mean()


def test_logistic_gd_one_step_by_hand_and_log_loss_matches_scikit_learn(rng):
    # Check one gradient step from zero by hand: z = 0, sigmoid = 1/2, so
    # w = -lr X^T (1/2 - y) / n and b = -lr sum(1/2 - y) / n; and the scorer equals -log_loss.
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, 20)
    model = ex.LogisticRegressionGD(lr=0.5, alpha=0.1, n_steps=1).fit(X, y)
    np.testing.assert_allclose(model.coef_, -0.5 * X.T @ (0.5 - y) / 20, atol=ATOL)
    assert model.intercept_ == pytest.approx(-0.5 * np.sum(0.5 - y) / 20)
    model = ex.LogisticRegressionGD(lr=0.5, n_steps=30).fit(X, y)
    proba = 1 / (1 + np.exp(-model.decision_function(X)))
    assert ex.neg_log_loss(model, X, y) == pytest.approx(-log_loss(y, proba))


def test_bad_input_gets_clear_errors():
    # Check the messages for impossible ranges, probabilities outside [0, 1] and a zero budget.
    with pytest.raises(ValueError, match="0 < low < high"):
        ex.loguniform(0.0, 1.0)
    with pytest.raises(ValueError, match="0 < low < high"):
        ex.loguniform(2.0, 1.0)
    with pytest.raises(ValueError, match=r"q in \[0, 1\]"):
        ex.loguniform(1.0, 2.0).ppf(1.5)
    with pytest.raises(ValueError, match="n_iter"):
        ex.sample_parameters({"a": [1, 2]}, n_iter=0)
    with pytest.raises(ValueError, match="rvs method or be a non-empty list"):
        ex.sample_parameters({"a": 3.0}, n_iter=2)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.LogisticRegressionGD().predict(np.ones((2, 2)))
