# %% [markdown]
# # Exploration 06: C and gamma of an RBF support vector machine
#
# The RBF kernel k(x, z) = exp(-gamma |x - z|^2) lets the SVM draw curved
# boundaries. gamma sets how far one training point's influence reaches: small
# gamma, nearly linear; large gamma, a bubble around every point. C prices each
# margin violation: small C accepts mistakes for a wide margin (many support
# vectors, circled), large C bends the boundary to classify every point.
#
# Built in: `02-fundamentals-of-machine-learning/ex12_kernel_svm_smo.py` (`SVC`, trained by SMO).

# %%
import ipywidgets as widgets
import numpy as np

from utils import data, explore, plotting

svm = explore.load("02-fundamentals-of-machine-learning/ex12_kernel_svm_smo.py")

X, y = data.make_moons(n_samples=120, noise=0.25, random_state=1)


# %%
def draw(C=1.0, gamma=1.0):
    model = svm.SVC(C=C, kernel="rbf", gamma=gamma).fit(X, y)
    fig, ax = plotting.new_figure(width=6, height=4.5)
    plotting.plot_decision_boundary(ax, model.predict, X, y, resolution=120)
    sv = model.support_vectors_
    ax.scatter(sv[:, 0], sv[:, 1], s=90, facecolors="none", edgecolors="k", linewidths=1, label="support vectors")
    accuracy = np.mean(model.predict(X) == y)
    ax.set_title(f"C = {C:.3g}, gamma = {gamma:.3g}: {len(sv)} support vectors, training accuracy {accuracy:.0%}")
    ax.legend(loc="lower left")
    return fig


# %%
explore.interactive(
    draw,
    C=widgets.FloatLogSlider(1.0, base=10, min=-2, max=3, step=0.25, description="C", continuous_update=False),
    gamma=widgets.FloatLogSlider(1.0, base=10, min=-2, max=2, step=0.25, description="gamma", continuous_update=False),
)
