"""The digit-string tasks the transformer of 06.19 learns: sort (or reverse) k digits.

A sequence is "d_1 .. d_k | answer", token ids 0-9 for the digits and SEPARATOR = 10
for "|", so the vocabulary has VOCAB_SIZE = 11 symbols. Data plumbing, not a lesson:
the exercise imports it from here.

    sequences = make_digit_task(64, 6, rng)                  # (64, 13)
    inputs, targets, loss_mask = next_token_batch(sequences, 6)  # (64, 12) each
"""
import numpy as np

from utils.validation import check_option, check_positive_int

SEPARATOR = 10  # token ids 0-9 are the digits, 10 is "|"
VOCAB_SIZE = 11
TASKS = {"sort": lambda digits: np.sort(digits, axis=1), "reverse": lambda digits: digits[:, ::-1]}  # 3 1 3 0 | 0 1 3 3 or 0 3 1 3


def make_digit_task(n_sequences, n_digits, rng, task="sort", exclude=None):
    """Sequences "d_1 .. d_k | answer" (N, 2k + 1); digit strings in ``exclude`` (M, k), the held-out set, are redrawn."""
    n_sequences, n_digits = check_positive_int(n_sequences, "n_sequences"), check_positive_int(n_digits, "n_digits")
    check_option(task, "task", sorted(TASKS))
    digits = rng.integers(0, 10, size=(n_sequences, n_digits))  # (N, k)
    if exclude is not None:
        powers = 10 ** np.arange(n_digits)  # (k,): a string of digits as one integer
        banned = np.asarray(exclude) @ powers  # (M,)
        clash = np.isin(digits @ powers, banned)  # (N,)
        while clash.any():
            digits[clash] = rng.integers(0, 10, size=(clash.sum(), n_digits))
            clash = np.isin(digits @ powers, banned)
    separator = np.full((n_sequences, 1), SEPARATOR)  # (N, 1)
    return np.concatenate([digits, separator, TASKS[task](digits)], axis=1)  # (N, 2k + 1)


def next_token_batch(sequences, n_digits):
    """(inputs, targets, loss_mask), each (N, 2k): predict token i + 1 from tokens 0..i, score the answer only."""
    inputs, targets = sequences[:, :-1], sequences[:, 1:]  # (N, 2k) each
    loss_mask = np.zeros(inputs.shape, dtype=bool)
    loss_mask[:, n_digits:] = True  # from the separator on, every prediction is an answer digit
    return inputs, targets, loss_mask
