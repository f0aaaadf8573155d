"""Tests for ex07_monitoring_drift: PSI and the two-sample KS test against SciPy, and the alert rule."""

import numpy as np
import pytest
from scipy import stats
from scipy.special import rel_entr

import utils

ex = utils.load_exercise("09-mlops-basics/ex07_monitoring_drift.py")

RTOL = 1e-10
KS_SF_ATOL = 1e-12
ASYMP_ATOL = 0.03  # our Kolmogorov limit vs SciPy's finite-n asymptotic (kstwo with n = n m / (n + m))


def test_bin_fractions_by_hand():
    # Check by hand: edges [1, 2], values 0, 1, 1.5, 2, 3 -> bins (<1) 1, [1, 2) 2, (>=2) 2.
    np.testing.assert_allclose(ex.bin_fractions([0.0, 1.0, 1.5, 2.0, 3.0], np.array([1.0, 2.0])), [0.2, 0.4, 0.4])


def test_quantile_edges_split_the_reference_evenly_and_drop_repeats(rng):
    # Check that 10 quantile bins hold a tenth of a continuous reference each, and that a mostly-zero
    # feature keeps each repeated edge once.
    x = rng.standard_normal(10_000)
    edges = ex.quantile_edges(x, 10)
    assert edges.shape == (9,)
    np.testing.assert_allclose(ex.bin_fractions(x, edges), 0.1, atol=1e-3)
    # By hand: 80 zeros then 1..20; the q-quantile sits at position q * 99 (linear interpolation), so
    # q = 0.1..0.7 all give 0 (kept once), q = 0.8 gives 0.2 (79.2) and q = 0.9 gives 10.1 (89.1).
    zeros = np.r_[np.zeros(80), np.arange(1.0, 21.0)]
    np.testing.assert_allclose(ex.quantile_edges(zeros, 10), [0.0, 0.2, 10.1], rtol=RTOL)


def test_psi_by_hand():
    # Check the hand-worked two-bin case: e = (0.5, 0.5), a = (0.9, 0.1):
    # PSI = 0.4 ln 1.8 + (-0.4) ln 0.2 = 0.8789...
    assert ex.psi_from_fractions([0.5, 0.5], [0.9, 0.1]) == pytest.approx(0.4 * np.log(1.8) - 0.4 * np.log(0.2), rel=RTOL)
    assert ex.psi_from_fractions([0.3, 0.7], [0.3, 0.7]) == 0.0


def test_psi_equals_symmetric_kl_from_scipy(rng):
    # Check PSI = KL(a || e) + KL(e || a), computed with scipy.special.rel_entr on the same bins.
    reference, current = rng.normal(size=3000), rng.normal(0.4, 1.3, size=800)
    edges = ex.quantile_edges(reference, 10)
    e, a = ex.bin_fractions(reference, edges), ex.bin_fractions(current, edges)
    assert np.all(e > 0) and np.all(a > 0)  # no clipping in this case, so the identity is exact
    expected = np.sum(rel_entr(a, e)) + np.sum(rel_entr(e, a))
    assert ex.psi(reference, current) == pytest.approx(expected, rel=RTOL)


def test_psi_with_an_empty_bin_is_finite():
    # Check the eps clipping: a window with nothing in a bin gives a large but finite PSI, and no warning.
    value = ex.psi_from_fractions([0.5, 0.5], [1.0, 0.0])
    e, a = np.array([0.5, 0.5]), np.array([1.0, ex.EPS])
    assert value == pytest.approx(np.sum((a - e) * np.log(a / e)), rel=RTOL) and np.isfinite(value)


def test_prediction_psi_counts_each_class():
    # Check one bin per class: the same label mix gives 0, a changed mix equals the two-bin hand case.
    ref = np.array([0, 1] * 50)
    assert ex.prediction_psi(ref, ref[::-1], classes=[0, 1]) == 0.0
    now = np.array([0] * 90 + [1] * 10)
    assert ex.prediction_psi(ref, now, classes=[0, 1]) == pytest.approx(0.4 * np.log(1.8) - 0.4 * np.log(0.2))


def test_kolmogorov_sf_matches_scipy_kstwobign_everywhere():
    # Check both series (small and large x) against scipy.stats.kstwobign.sf, including 0 and far tails.
    x = np.r_[0.0, 1e-4, np.linspace(0.05, 3.0, 60), 5.0, 8.0]
    np.testing.assert_allclose(ex.kolmogorov_sf(x), stats.kstwobign.sf(x), atol=KS_SF_ATOL, rtol=1e-9)


@pytest.mark.parametrize("n, m, shift", [(200, 300, 0.0), (500, 500, 0.2), (40, 1000, 0.5), (1000, 60, -0.3)])
def test_ks_statistic_matches_scipy(rng, n, m, shift):
    # Check D exactly against scipy.stats.ks_2samp, and the p-value against the Kolmogorov limit (same D) and,
    # loosely, SciPy's own asymptotic p-value.
    x, y = rng.normal(size=n), rng.normal(shift, size=m)
    D, p = ex.ks_2samp(x, y)
    reference = stats.ks_2samp(x, y, method="asymp")
    assert D == pytest.approx(reference.statistic, rel=RTOL)
    assert p == pytest.approx(stats.kstwobign.sf(np.sqrt(n * m / (n + m)) * reference.statistic), rel=1e-9, abs=1e-15)
    assert abs(p - reference.pvalue) < ASYMP_ATOL


def test_ks_with_ties_matches_scipy(rng):
    # Check discrete data with many ties (pixel-like values in sixteenths), where the CDF jumps are shared.
    x, y = rng.integers(0, 17, 300) / 16, rng.integers(0, 14, 250) / 16
    assert ex.ks_2samp(x, y)[0] == pytest.approx(stats.ks_2samp(x, y).statistic, rel=RTOL)
    assert ex.ks_2samp(x, x) == (0.0, 1.0)


def test_ks_refuses_an_empty_sample():
    # Check the messages for an empty sample and a NaN.
    with pytest.raises(ValueError, match="non-empty"):
        ex.ks_2samp([], [1.0, 2.0])
    with pytest.raises(ValueError, match="y must contain only finite"):  # a NaN would sort last and shift the CDF
        ex.ks_2samp([1.0, 2.0], [1.0, np.nan])


def test_alert_fires_on_a_shift_and_stays_quiet_without_one(rng):
    # Check the alert rule on synthetic features: same distribution (20 windows) never alerts;
    # a shifted mean in one feature, or a changed label mix, does.
    X_ref = rng.normal(size=(4000, 5))
    pred_ref = rng.integers(0, 3, 4000)
    for _ in range(20):
        X_now = rng.normal(size=(500, 5))
        assert not ex.drift_report(X_ref, pred_ref, X_now, rng.integers(0, 3, 500), classes=[0, 1, 2])["alert"]
    X_now = rng.normal(size=(500, 5))
    X_now[:, 3] += 1.0
    report = ex.drift_report(X_ref, pred_ref, X_now, rng.integers(0, 3, 500), classes=[0, 1, 2])
    assert report["alert"] and report["ks_rejected"] == 1 and report["max_feature_psi"] > ex.PSI_ALERT
    report = ex.drift_report(X_ref, pred_ref, rng.normal(size=(500, 5)), np.zeros(500, int), classes=[0, 1, 2])
    assert report["alert"] and report["prediction_psi"] > ex.PSI_ALERT and report["ks_rejected"] == 0
