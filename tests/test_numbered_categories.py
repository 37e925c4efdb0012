"""Bars over numbered categories whose every other tick label went unread."""

from __future__ import annotations

import pytest

from docvlm.engines.native.axes import NumericAxis, lattice_categories

BLACK, GRAY = (0.0, 0.0, 0.0), (0.4, 0.4, 0.4)


def _axis_of_half_labels() -> NumericAxis:
    """Ticks 2.5, 3, 3.5, ... 50 points apart, of which only 2.5, 3.5, 4.5 and 5.5 were
    read (value = x / 100 + 2)."""
    labels = tuple((v, f"{v:g}") for v in (2.5, 3.5, 4.5, 5.5))
    return NumericAxis("x", 1 / 100, 2.0, False, 2.5, 5.5, 3, 1.0, labels)


def test_pairs_of_bars_on_every_half_step_are_its_categories():
    """A pair of bars over every tick, the labelled ones and those between them: the
    categories are the half steps, named as printed where read."""
    spans = []
    for tick in range(50, 400, 50):
        spans += [(tick - 10, tick, BLACK), (tick, tick + 10, GRAY)]
    axis = lattice_categories(_axis_of_half_labels(), spans)
    assert axis is not None
    assert list(axis.labels) == ["2.5", "3.0", "3.5", "4.0", "4.5", "5.0", "5.5"]
    assert list(axis.centers) == pytest.approx(list(range(50, 400, 50)))


def test_bars_only_between_the_labelled_steps_are_no_categories():
    """Bars centred only between the labelled ticks (a histogram's bins) stay on their
    numeric scale."""
    spans = [(tick - 10, tick + 10, BLACK) for tick in (100, 200, 300)]
    assert lattice_categories(_axis_of_half_labels(), spans) is None


def test_one_bar_between_two_labelled_steps_stays_on_its_scale():
    """Bars at 2.5, 3 and 3.5 on a quantitative scale labelled only at whole steps: one
    bar between two labelled ticks is too little to take the half steps for categories."""
    spans = [(tick - 10, tick + 10, BLACK) for tick in (50, 100, 150)]
    assert lattice_categories(_axis_of_half_labels(), spans) is None
