"""Tests for ex08_tile_coding_mountain_car: tile indices by hand, generalisation, the semi-gradient step, learning."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("08-reinforcement-learning/ex08_tile_coding_mountain_car.py")


def test_single_tiling_indices_by_hand():
    # Check by hand with one 8x8 tiling (9 x 9 cells, no offset): the corners are cells (0, 0) and (8, 8),
    # the point (-0.3, 0) is 4 tile widths along both axes -> 4 * 9 + 4 = 40.
    assert ex.tile_indices((-1.2, -0.07), n_tilings=1).tolist() == [0]
    assert ex.tile_indices((0.6, 0.07), n_tilings=1).tolist() == [80]
    assert ex.tile_indices((-0.3, 0.0), n_tilings=1).tolist() == [40]


def test_offsets_by_hand():
    # Check the (1, 3) / n offsets: at the low corner tiling i gives cell (0, 0) of block i (index 81 i); a point
    # 0.9 tile widths along the position axis stays in cell 0 for tiling 0 but moves to cell 1 for tiling 1
    # (offset 1/8), index 81 + 9 = 90. Along velocity, tiling 1 is shifted 3/8: 0.7 tile widths becomes
    # 1.075, cell 1, index 82 (a symmetric 1/8 shift would leave it in cell 0).
    np.testing.assert_array_equal(ex.tile_indices((-1.2, -0.07)), 81 * np.arange(8))
    indices = ex.tile_indices((-1.2 + 0.9 / 8 * 1.8, -0.07))
    assert indices[0] == 0 and indices[1] == 90
    indices = ex.tile_indices((-1.2, -0.07 + 0.7 / 8 * 0.14))
    assert indices[0] == 0 and indices[1] == 82


def test_one_tile_per_tiling_and_generalisation(rng):
    # Check that every state switches on exactly one tile in each tiling's block, that very close states share
    # most tiles and that states far apart share none.
    for _ in range(200):
        state = rng.uniform(ex.LOW, ex.HIGH)
        idx = ex.tile_indices(state)
        assert idx.shape == (8,) and np.all(idx // 81 == np.arange(8))
        close = ex.tile_indices(np.clip(state + (ex.HIGH - ex.LOW) * 0.01, ex.LOW, ex.HIGH))
        assert len(set(idx) & set(close)) >= 5
    assert not set(ex.tile_indices((-1.1, -0.06))) & set(ex.tile_indices((0.5, 0.06)))


def test_semi_gradient_step_by_hand():
    # Check by hand: w = 0, two active tiles, reward -1, next value 0, alpha 0.5: delta = -1, each active weight
    # of the action taken moves by 0.5 / 2 * -1 = -0.25, so q(S, A) moves by alpha * delta = -0.5; others stay.
    w = np.zeros((3, 10))
    ex.sarsa_update(w, np.array([1, 5]), 2, -1.0, 0.0, 0.5)
    assert w[2, 1] == -0.25 and w[2, 5] == -0.25 and np.count_nonzero(w) == 2
    np.testing.assert_allclose(ex.q_values(w, np.array([1, 5])), [0.0, 0.0, -0.5])
    ex.sarsa_update(w, np.array([1, 5]), 2, -1.0, -0.5, 0.5)  # delta = -1 - 0.5 + 0.5 = -1
    np.testing.assert_allclose(ex.q_values(w, np.array([1, 5]))[2], -1.0)


def test_sarsa_learns_to_climb_faster():
    # Check Figure 10.2's first drop: after a few episodes the car reaches the goal in far fewer steps.
    _, steps = ex.run(10, alpha=0.5, seed=0)
    assert steps[-3:].mean() < 0.5 * steps[0]


def test_bad_arguments_get_clear_errors():
    # Check the messages for a bad number of episodes and a NaN action value.
    with pytest.raises(ValueError, match="n_episodes"):
        ex.run(0)
    with pytest.raises(ValueError, match="q must hold numbers, not NaN"):
        ex.greedy(np.array([np.nan, 0.0, 0.0]), np.random.default_rng(0))
