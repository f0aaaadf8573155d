# %% [markdown]
# # Exploration 09: the polynomial degree against bias and variance
#
# Draw many training sets from the same noisy curve, fit a polynomial of degree p
# to each, and look at all the fits at once. Low p: every fit is alike and all
# are wrong the same way (bias). High p: each fit chases its own noise (variance).
# The bars add up bias², variance and noise to the expected test error, and the
# best degree sits where their sum is smallest. More noise, or fewer points,
# moves that degree down.
#
# Built in: `05-model-optimization/ex03_bias_variance.py` (`bias_variance`, `true_function`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

bv = explore.load("05-model-optimization/ex03_bias_variance.py")


# %%
def draw(degree=3, noise=0.3, n_train=25):
    degree = min(degree, n_train - 1)  # a degree-p polynomial needs p + 1 points
    x = np.linspace(0, 1, 101)
    result = bv.bias_variance(degree, n_datasets=200, n_train=n_train, noise=noise, x_test=x, random_state=0)

    fig, (fits, bars) = plotting.new_figure(1, 2, width=4.5, height=3.8, gridspec_kw={"width_ratios": [1.6, 1]})
    fits.plot(x, result["predictions"][:20].T, color="C0", alpha=0.25, lw=1)
    fits.plot(x, result["predictions"].mean(axis=0), color="C1", lw=2, label="average fit")
    fits.plot(x, bv.true_function(x), color="k", ls="--", label="true f")
    fits.set(ylim=(-2, 2), xlabel="x", title=f"20 of 200 fits, degree {degree}")
    fits.legend(loc="lower left")
    parts = [result["bias2"], result["variance"], result["noise"]]
    bars.bar(["bias²", "variance", "noise"], parts, color=["C1", "C0", "0.6"])
    bars.axhline(result["error"], color="C3", label=f"test error {result['error']:.3f}")
    bars.set(yscale="log", ylim=(1e-4, 10), title="expected squared error")
    bars.legend(loc="upper right")
    return fig


# %%
explore.interactive(
    draw,
    degree=widgets.IntSlider(3, min=0, max=15, description="degree", continuous_update=False),
    noise=widgets.FloatSlider(0.3, min=0.05, max=1.0, step=0.05, description="noise", continuous_update=False),
    n_train=widgets.IntSlider(25, min=10, max=100, step=5, description="points", continuous_update=False),
)
