"""Colour maths of the chart image reader."""

import numpy as np
import pytest

from docvlm.engines.native.colours import colour_counts, to_lab
from docvlm.engines.native.stroke_palette import _strongest


@pytest.mark.parametrize("step", [3.0, 4.0])
def test_colour_counts_are_the_rounded_colours_counted(step):
    rng = np.random.default_rng(7)
    # A few flat colours (with negative a and b among them) and anti-aliased noise.
    flat = rng.integers(0, 256, (6, 3), dtype=np.uint8)
    rgb = np.concatenate([np.repeat(flat, 500, axis=0), rng.integers(0, 256, (3000, 3))])
    lab = to_lab(rgb.astype(np.uint8).reshape(1, -1, 3)).reshape(-1, 3)

    values, counts = colour_counts(lab, step)

    expected_values, expected_counts = np.unique(np.round(lab / step), axis=0, return_counts=True)
    assert values.dtype == expected_values.dtype
    np.testing.assert_array_equal(values, expected_values)
    np.testing.assert_array_equal(counts, expected_counts)
    assert counts.sum() == len(lab)
    assert (values[:, 1] < 0).any() and (values[:, 2] < 0).any()


def test_every_stroke_bit_gives_its_strongest_third_and_a_small_bit_one_pixel():
    """Bits of 1, 2, 3 and 6 pixels (group 0 is none): one pixel each of the small ones,
    the strongest of them, and the two strongest of six."""
    groups = np.array([0, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4])
    strength = np.array([99, 5, 1, 7, 2, 9, 3, 10, 60, 20, 50, 30, 40], float)
    chosen = sorted(_strongest(groups, strength, 5).tolist())
    assert chosen == [1, 3, 5, 8, 10]
