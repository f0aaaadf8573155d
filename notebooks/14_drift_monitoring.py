# %% [markdown]
# # Exploration 14: when does a shifted stream raise the alarm?
#
# A model was trained on a feature distributed as N(0, 1) (the reference). In
# production a window of n new values arrives from N(shift, scale^2). The
# population stability index compares the two over the reference's quantile bins
# (left); the Kolmogorov-Smirnov test compares their empirical CDFs (right). Move
# the shift and the scale and see which one notices first; then set the shift to
# 0 and shrink the window: small windows give PSI values above the 0.25 alarm
# with no drift at all, which is why the window size is a design decision.
#
# Built in: `09-mlops-basics/ex07_monitoring_drift.py` (`quantile_edges`,
# `bin_fractions`, `psi_from_fractions`, `ks_2samp`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

drift = explore.load("09-mlops-basics/ex07_monitoring_drift.py")

reference = np.random.default_rng(0).standard_normal(5000)  # (5000,)


# %%
def draw(shift=0.3, scale=1.0, window=500, n_bins=10):
    current = shift + scale * np.random.default_rng(1).standard_normal(window)  # (window,)
    edges = drift.quantile_edges(reference, n_bins)
    expected, actual = drift.bin_fractions(reference, edges), drift.bin_fractions(current, edges)
    psi = drift.psi_from_fractions(expected, actual)
    D, p_value = drift.ks_2samp(reference, current)

    fig, (bins, cdfs) = plotting.new_figure(1, 2, width=4.6, height=3.6)
    positions = np.arange(len(expected))
    bins.bar(positions - 0.2, expected, width=0.4, label="reference")
    bins.bar(positions + 0.2, actual, width=0.4, label="current window")
    bins.set(xlabel="quantile bin of the reference", ylabel="fraction",
             title=f"PSI = {psi:.3f}" + ("  ALERT (> 0.25)" if psi > 0.25 else ""))
    bins.legend()
    for sample, name in [(reference, "reference"), (current, "current window")]:
        ordered = np.sort(sample)
        cdfs.step(ordered, np.arange(1, len(ordered) + 1) / len(ordered), where="post", label=name)
    cdfs.set(xlim=(-4, 4), xlabel="value", ylabel="empirical CDF", title=f"KS D = {D:.3f}, p = {p_value:.2g}")
    cdfs.legend(loc="upper left")
    return fig


# %%
explore.interactive(
    draw,
    shift=widgets.FloatSlider(0.3, min=-2.0, max=2.0, step=0.05, description="shift", continuous_update=False),
    scale=widgets.FloatSlider(1.0, min=0.3, max=3.0, step=0.05, description="scale", continuous_update=False),
    window=widgets.IntSlider(500, min=20, max=5000, step=20, description="window", continuous_update=False),
    n_bins=widgets.IntSlider(10, min=2, max=30, description="bins", continuous_update=False),
)
