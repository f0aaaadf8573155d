"""Tests for utils.digit_tasks, the sort / reverse digit-string data of 06.19."""

import numpy as np
import pytest

from utils import digit_tasks


def test_answers_are_the_sorted_or_reversed_prompt_after_the_separator():
    # Check the layout by its definition: k digits, the separator, then np.sort / the reversed digits.
    rng = np.random.default_rng(0)
    sequences = digit_tasks.make_digit_task(50, 4, rng)
    assert sequences.shape == (50, 9)
    np.testing.assert_array_equal(sequences[:, 4], digit_tasks.SEPARATOR)
    np.testing.assert_array_equal(sequences[:, 5:], np.sort(sequences[:, :4], axis=1))
    reversed_ = digit_tasks.make_digit_task(5, 3, rng, task="reverse")
    np.testing.assert_array_equal(reversed_[:, 4:], reversed_[:, 2::-1])
    with pytest.raises(ValueError, match="task"):
        digit_tasks.make_digit_task(2, 3, rng, task="shuffle")


def test_excluded_strings_never_appear_and_the_mask_covers_the_answer():
    # Check that held-out prompts are redrawn, and that the loss mask starts at the separator.
    rng = np.random.default_rng(1)
    banned = digit_tasks.make_digit_task(300, 2, rng)[:, :2]
    train = digit_tasks.make_digit_task(500, 2, rng, exclude=banned)[:, :2]
    assert not (set(map(tuple, train)) & set(map(tuple, banned)))
    inputs, targets, mask = digit_tasks.next_token_batch(digit_tasks.make_digit_task(3, 2, rng), 2)
    assert inputs.shape == targets.shape == mask.shape == (3, 4)
    np.testing.assert_array_equal(mask[0], [False, False, True, True])
