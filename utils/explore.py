"""Interactive explorations (``notebooks/``): controls that redraw a figure.

A notebook in ``notebooks/`` writes a ``draw(**values) -> Figure`` function and hands
it to ``interactive`` with one ipywidgets control per argument:

    tree = explore.load("02-fundamentals-of-machine-learning/ex08_decision_tree.py")
    def draw(max_depth=3):
        ...
        return fig
    explore.interactive(draw, max_depth=widgets.IntSlider(3, min=1, max=12))

The figure is shown as an ordinary image (so a saved notebook shows it on the web)
and replaced in place whenever a control moves. ``load`` imports the learner's
practice copy of an exercise when it exists and has passed its tests (``study check``),
and the reference otherwise, and says which one is in use.

``drive_all()`` moves every control of every exploration shown so far to its extreme
values and redraws: the test suite calls it after running each notebook.
"""

import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
from threadpoolctl import threadpool_limits  # installed with scikit-learn

import utils

# The explorations multiply small matrices; extra BLAS threads only wait for each other
# (and, on a busy machine, for a core): one thread, as for the scripts (utils/threads.py).
_ONE_BLAS_THREAD = threadpool_limits(limits=1, user_api="blas")

__all__ = ["load", "interactive", "drive_all", "extreme_values"]


@dataclass
class Exploration:
    """One ``draw`` function, its controls and the redraw they trigger."""

    draw: object
    controls: dict
    redraw: object
    redraws: int = 0


EXPLORATIONS = []


def _passed_practice(path):
    """True when the learner's practice copy exists and its last `study check` passed."""
    if not utils.exercise_path(path, practice=True).is_file():
        return False
    from utils import study  # the progress file is the study command's

    return study.status_of(study.load_progress(), path) == "passed"


def load(path):
    """The exercise as a module: your practice copy once it passes its tests, else the reference."""
    if os.environ.get("MLSC_NOTEBOOK_REFERENCE") != "1" and _passed_practice(path):
        print(f"Using YOUR practice copy of {path} (it passes its tests).")
        return utils.load_exercise(path, practice=True)
    print(f"Using the reference {path}.")
    return utils.load_exercise(path, practice=False)


def _values(controls):
    return {name: control.value for name, control in controls.items()}


def _render(draw, values):
    """draw(**values) as a finished figure, closed so the inline backend does not show it twice."""
    fig = draw(**values)
    fig.set_dpi(72)  # the saved notebooks stay small
    plt.close(fig)
    return fig


def interactive(draw, **controls):
    """Show ``draw(**values)`` under its controls; redraw whenever one changes."""
    import ipywidgets as widgets
    from IPython.display import display

    display(widgets.VBox(list(controls.values())))
    handle = display(_render(draw, _values(controls)), display_id=True)

    def redraw(change=None):
        figure = _render(draw, _values(controls))
        if handle is not None:  # None outside a notebook (plain Python, tests)
            handle.update(figure)
        exploration.redraws += 1

    exploration = Exploration(draw, controls, redraw)
    for control in controls.values():
        control.observe(redraw, names="value")
    EXPLORATIONS.append(exploration)


def extreme_values(control):
    """The values a test should try for a control: both ends of a range, every option, both states."""
    if hasattr(control, "options") and control.options:
        labels = control.options
        return [option[1] if isinstance(option, tuple) else option for option in labels]
    if hasattr(control, "min") and hasattr(control, "max"):
        return [control.min, control.max]
    if isinstance(control.value, bool):
        return [not control.value, control.value]
    if isinstance(control.value, str):  # free text: the shortest and a long edit
        return [control.value[:1], control.value * 3]
    raise TypeError(f"no extreme values known for a {type(control).__name__}")


def drive_all():
    """Move each control of each exploration to its extremes (the others at their defaults).

    Every move goes through the control itself, so it runs the same callback a click
    does. Returns the number of redraws; an error in a ``draw`` function propagates.
    """
    total = 0
    for exploration in EXPLORATIONS:
        for control in exploration.controls.values():
            default = control.value
            for value in extreme_values(control) + [default]:
                before = exploration.redraws
                if control.value == value:
                    exploration.redraw()  # no change event for the value it already has
                else:
                    control.value = value
                if exploration.redraws != before + 1:
                    raise RuntimeError(f"moving {control.description or control} to {value!r} did not redraw")
                total += 1
    return total
