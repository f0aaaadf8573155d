# %% [markdown]
# # Exploration 03: where floating point loses digits
#
# (1 - cos x) / x^2 tends to 1/2 as x goes to 0, yet computed as written it
# falls apart: cos x rounds to a number within one ulp of 1, and the subtraction
# keeps only the rounding error (catastrophic cancellation). The rewrite
# (1/2) (sin(x/2) / (x/2))^2 has no subtraction and stays exact. Choose the
# precision and move the marker to read the relative error at one x.
#
# Built in: `01-python-for-ml/ex09_floating_point.py` (`one_minus_cos_naive`,
# `one_minus_cos_stable`, `machine_epsilon`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

fp = explore.load("01-python-for-ml/ex09_floating_point.py")


# %%
def relative_error(values, exact):
    return np.abs(values.astype(float) - exact) / np.abs(exact)


def draw(precision="float64", log10_x=-4.0):
    dtype = np.dtype(precision).type
    x = np.logspace(-10, 0, 400).astype(dtype)  # (400,)
    exact = fp.one_minus_cos_stable(x.astype(np.float64))  # the float64 rewrite is exact to ~1e-16
    with np.errstate(all="ignore"):  # float32 inputs are computed in float32 on purpose here
        naive = ((dtype(1) - np.cos(x)) / (x * x)).astype(float)
        stable = (dtype(0.5) * (np.sin(x / dtype(2)) / (x / dtype(2))) ** 2).astype(float)
    eps = fp.machine_epsilon(dtype)

    fig, ax = plotting.new_figure(width=7, height=4)
    floor = 1e-18  # an exact zero error still has to appear on a log axis
    ax.loglog(x, np.maximum(relative_error(naive, exact), floor), label="as written: (1 - cos x) / x^2")
    ax.loglog(x, np.maximum(relative_error(stable, exact), floor), label="rewritten: (1/2)(sin(x/2)/(x/2))^2")
    ax.axhline(eps, color="0.5", ls="--", label=f"machine epsilon of {precision} = {eps:.1e}")
    point = dtype(10.0**log10_x)
    with np.errstate(all="ignore"):
        value = float((dtype(1) - np.cos(point)) / (point * point))
    ax.axvline(float(point), color="C3", lw=1)
    ax.set(xlabel="x", ylabel="relative error", ylim=(1e-18, 1e2),
           title=f"x = {float(point):.1e}: the formula as written gives {value:.6g} (exact 0.5)")
    ax.legend(loc="upper right")
    return fig


# %%
explore.interactive(
    draw,
    precision=widgets.Dropdown(options=["float64", "float32"], value="float64", description="precision"),
    log10_x=widgets.FloatSlider(-4.0, min=-10.0, max=0.0, step=0.25, description="log10 x", continuous_update=False),
)
