# %% [markdown]
# # Exploration 10: alpha along the ridge and lasso paths
#
# Ten diabetes features, standardised, fitted with a penalty of strength alpha.
# Ridge (L2) shrinks every coefficient smoothly toward zero and never quite
# reaches it; lasso (L1) sets coefficients exactly to zero one after another, so
# it selects features. The vertical line is the alpha you choose; the bars show
# the coefficients there.
#
# Built in: `05-model-optimization/ex04_ridge.py` (`ridge_path`) and
# `ex05_lasso.py` (`enet_path`, `alpha_max`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import data, explore, plotting

ridge = explore.load("05-model-optimization/ex04_ridge.py")
lasso = explore.load("05-model-optimization/ex05_lasso.py")

X_raw, y = data.load_diabetes()
X = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
ridge_alphas = np.logspace(-2, 5, 60)
ridge_coefs, _ = ridge.ridge_path(X, y, ridge_alphas)  # (60, 10)
lasso_alphas = lasso.alpha_max(X, y) * np.logspace(0, -4, 60)
lasso_alphas, lasso_coefs = lasso.enet_path(X, y, lasso_alphas)  # (60,), (60, 10), largest alpha first


# %%
def draw(log10_ridge_alpha=1.0, lasso_fraction=-1.5):
    ridge_alpha, lasso_alpha = 10.0**log10_ridge_alpha, lasso.alpha_max(X, y) * 10.0**lasso_fraction
    at_ridge = ridge.ridge_path(X, y, [ridge_alpha])[0][0]  # (10,)
    at_lasso = lasso.enet_path(X, y, [lasso_alpha])[1][0]  # (10,)

    fig, axes = plotting.new_figure(2, 2, width=4.5, height=3.0)
    for row, (name, alphas, coefs, alpha, at) in enumerate([
            ("ridge", ridge_alphas, ridge_coefs, ridge_alpha, at_ridge),
            ("lasso", lasso_alphas, lasso_coefs, lasso_alpha, at_lasso)]):
        path, bars = axes[row]
        path.semilogx(alphas, coefs)
        path.axvline(alpha, color="k", lw=1)
        path.set(xlabel="alpha", ylabel="coefficient", title=f"{name} path")
        bars.bar(np.arange(10), at, color=[f"C{i % 8}" for i in range(10)])
        bars.set(ylim=(coefs.min() * 1.1, coefs.max() * 1.1), xlabel="feature",
                 title=f"alpha = {alpha:.3g}: {np.sum(np.abs(at) > 1e-10)} of 10 nonzero")
    fig.tight_layout()
    return fig


# %%
explore.interactive(
    draw,
    log10_ridge_alpha=widgets.FloatSlider(1.0, min=-2.0, max=5.0, step=0.25, description="log10 ridge alpha", continuous_update=False),
    lasso_fraction=widgets.FloatSlider(-1.5, min=-4.0, max=0.0, step=0.25, description="log10 lasso alpha / alpha_max", continuous_update=False),
)
