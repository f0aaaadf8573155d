# %% [markdown]
# # Exploration 07: one threshold, three pictures
#
# A classifier's score becomes a decision only once we pick a threshold t:
# predict positive when score >= t. Every t is one point on the ROC curve, one
# point on the precision-recall curve and one confusion matrix. Slide t and
# watch all three move together; make the positives rarer and watch the ROC
# curve stay put while precision collapses, which is why PR curves matter for
# rare events.
#
# Built in: `03-model-evaluation/ex07_roc_auc.py` (`roc_curve`, `roc_auc_score`,
# `precision_recall_curve`) and `ex06_confusion_matrix.py` (`confusion_matrix`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

roc = explore.load("03-model-evaluation/ex07_roc_auc.py")
cm = explore.load("03-model-evaluation/ex06_confusion_matrix.py")


# %%
def scores(positive_share, separation, n=2000, seed=0):
    """Scores of a model: negatives ~ N(0, 1), positives ~ N(separation, 1)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < positive_share).astype(int)  # (n,)
    y[:2] = [0, 1]  # both classes always present
    return y, rng.standard_normal(n) + separation * y


def draw(threshold=0.5, positive_share=0.3, separation=1.5):
    y, s = scores(positive_share, separation)
    predicted = (s >= threshold).astype(int)
    matrix = cm.confusion_matrix(y, predicted, labels=[0, 1])
    (tn, fp), (fn, tp) = matrix
    fpr, tpr, _ = roc.roc_curve(y, s)
    precision, recall, _ = roc.precision_recall_curve(y, s)

    fig, (ax_roc, ax_pr, ax_cm) = plotting.new_figure(1, 3, width=3.6, height=3.4)
    plotting.plot_roc_curve(ax_roc, fpr, tpr, auc=roc.roc_auc_score(y, s))
    ax_roc.plot(fp / (fp + tn), tp / (tp + fn), "o", color="C3", ms=9)
    ax_pr.plot(recall, precision)
    point_precision = tp / (tp + fp) if tp + fp else 1.0
    ax_pr.plot(tp / (tp + fn), point_precision, "o", color="C3", ms=9)
    ax_pr.axhline(y.mean(), color="0.5", ls="--", lw=1, label="chance")
    ax_pr.set(xlabel="recall", ylabel="precision", ylim=(0, 1.02), title="precision-recall")
    ax_pr.legend(loc="lower left")
    plotting.plot_confusion_matrix(ax_cm, matrix, labels=["neg", "pos"], title=f"threshold {threshold:.2f}")
    return fig


# %%
explore.interactive(
    draw,
    threshold=widgets.FloatSlider(0.5, min=-3.0, max=4.0, step=0.1, description="threshold", continuous_update=False),
    positive_share=widgets.FloatSlider(0.3, min=0.02, max=0.5, step=0.02, description="positives", continuous_update=False),
    separation=widgets.FloatSlider(1.5, min=0.0, max=4.0, step=0.25, description="separation", continuous_update=False),
)
