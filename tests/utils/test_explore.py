"""utils.explore: the controls of an exploration are driven to their extremes and redraw."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from utils import explore


@pytest.fixture(autouse=True)
def no_explorations(monkeypatch):
    monkeypatch.setattr(explore, "EXPLORATIONS", [])


def test_extreme_values_cover_ranges_options_and_switches():
    # Check the values a test tries: both ends of a slider, every option, both states, short and long text.
    assert explore.extreme_values(widgets.IntSlider(3, min=1, max=9)) == [1, 9]
    assert explore.extreme_values(widgets.Dropdown(options=[("one", 1), ("two", 2)], value=1)) == [1, 2]
    assert explore.extreme_values(widgets.Checkbox(True)) == [False, True]
    assert explore.extreme_values(widgets.Text("abc")) == ["a", "abcabcabc"]


def test_drive_all_calls_the_callback_at_each_extreme_and_restores_the_default():
    # Check that every extreme value reaches draw() through the control, then the default comes back.
    seen = []

    def draw(k=3, flag=False):
        seen.append((k, flag))
        return plt.figure()

    k, flag = widgets.IntSlider(3, min=1, max=9), widgets.Checkbox(False)
    explore.interactive(draw, k=k, flag=flag)
    assert explore.drive_all() == 6  # (1, 9, back to 3) + (True, False, back to False)
    assert {(1, False), (9, False), (3, True)} <= set(seen)
    assert (k.value, flag.value) == (3, False)


def test_drive_all_reports_a_draw_that_fails():
    # Check that an error at an extreme value is not swallowed.
    def draw(k=3):
        if k == 9:
            raise ValueError("k too large")
        return plt.figure()

    explore.interactive(draw, k=widgets.IntSlider(3, min=1, max=9))
    with pytest.raises(ValueError, match="k too large"):
        explore.drive_all()
