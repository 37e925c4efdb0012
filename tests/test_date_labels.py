"""Category labels that are dates at an even step: the few OCR misread are printed again
from the step their neighbours keep, and the axis's calibration says which."""

from __future__ import annotations

import pytest

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import chart_from_marks
from docvlm.engines.native.date_labels import dates_along, restored_dates, with_unread_dates
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

PLACES = (100.0, 180.0, 260.0, 340.0, 420.0)


@pytest.mark.parametrize(
    ("read", "restored"),
    [
        # Two weeks apart; a day and month run together, a space lost.
        (
            ("15 Sep 2020", "29 Sep 2020", "120d2020", "27Ox2020", "10 Nov 2020"),
            ("15 Sep 2020", "29 Sep 2020", "13 Oct 2020", "27 Oct 2020", "10 Nov 2020"),
        ),
        # Quarters; spaces lost, a month cut short.
        (
            ("Ju2014", "Oct2014", "Jan 2015", "Apr2015", "J2015"),
            ("Jul 2014", "Oct 2014", "Jan 2015", "Apr 2015", "Jul 2015"),
        ),
        # Months, the last one's year cut off at the image's edge.
        (
            ("Feb 2016", "Mar 2016", "Apr 2016", "May 2016", "Jun"),
            ("Feb 2016", "Mar 2016", "Apr 2016", "May 2016", "Jun 2016"),
        ),
    ],
)
def test_misread_dates_are_printed_again_from_the_step(
    read: tuple[str, ...], restored: tuple[str, ...]
) -> None:
    labels, changes = restored_dates(read, PLACES)
    assert labels == restored
    assert changes == tuple((a, b) for a, b in zip(read, restored, strict=True) if a != b)


@pytest.mark.parametrize(
    "read",
    [
        # Not at one step: nothing to print a misread one from.
        ("Jan 2020", "Feb 2020", "Jul 2020", "Aug 2020", "Sep2020x"),
        # A label that is no date at all stays as it is.
        ("Jan 2020", "Feb 2020", "Mar 2020", "Apr 2020", "Total"),
        # Too few dates to tell a step by.
        ("Jan 2020", "Fob2O2O", "Mxr 2020", "Apr 2020", "Mai"),
        # Words, not dates.
        ("Apples", "Pears", "Plums", "Figs", "Kiwis"),
    ],
)
def test_labels_are_left_as_read_without_an_even_step_of_dates(read: tuple[str, ...]) -> None:
    assert restored_dates(read, PLACES) == (read, ())


def test_days_lost_from_turned_dates_are_printed_again_from_the_step() -> None:
    read = ("Feb 2023", "19 Feb 2023", "05 Mar 2023", "Mar 2023", "Apr 2023")
    labels, changes = restored_dates(read, PLACES)
    assert labels == ("05 Feb 2023", "19 Feb 2023", "05 Mar 2023", "19 Mar 2023", "02 Apr 2023")
    assert ("Feb 2023", "05 Feb 2023") in changes
    # A month the step does not give at its place: left as read.
    odd = ("Feb 2023", "19 Feb 2023", "05 Mar 2023", "Mar 2023", "May 2023")
    assert restored_dates(odd, PLACES)[0] == odd


def test_labels_standing_unevenly_are_left_as_read() -> None:
    read = ("Jan 2020", "Feb 2020", "Mar 2020", "Apr 2020", "Ma2020")
    assert restored_dates(read, (100.0, 180.0, 260.0, 300.0, 420.0)) == (read, ())


def _line_under(labels: list[str]):
    """A line through five points, over ``labels`` at PLACES, read."""
    foot = 250.0
    words = [Word(str(v), BBox(20, foot - 2 * v - 5, 44, foot - 2 * v + 5)) for v in (0, 50, 100)]
    words += [
        Word(t, BBox(x - 25, foot + 8, x + 25, foot + 18))
        for t, x in zip(labels, PLACES, strict=True)
    ]
    vertices = [(x, foot - 2 * v) for x, v in zip(PLACES, (10, 60, 45, 95, 55), strict=True)]
    line = Mark(
        "line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), (0.2, 0.3, 0.8), vertices
    )
    axes = (
        Drawing(BBox(90, foot, 430, foot), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(90, 40, 90, foot), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )
    return chart_from_marks([line], words, axes)[0]


def test_a_line_over_misread_dates_is_read_at_the_restored_ones() -> None:
    found = _line_under(["15 Sep 2020", "29 Sep 2020", "120d2020", "27 Oct 2020", "10 Nov 2020"])
    points = [(p.x, round(p.y)) for p in found.chart.series[0].points]
    assert points[2] == ("13 Oct 2020", 45)
    assert "'120d2020' read as '13 Oct 2020'" in found.calibration


def test_dates_printed_with_minus_signs_for_hyphens_read_as_typed() -> None:
    days = ["2018-09-12", "2018-09-19", "2018-09-26", "2018-10-03", "2018-10-10"]
    found = _line_under([d.replace("-", "\u2212") for d in days])  # a font's minus glyph
    assert [p.x for p in found.chart.series[0].points] == days


def _monthly_line(labels: list[str]) -> tuple[list[Mark], list[Word], tuple[Drawing, ...]]:
    """A line through twelve monthly points, 80 points a quarter, under ``labels`` set a
    quarter apart from its first point."""
    foot = 250.0
    words = [Word(str(v), BBox(20, foot - 2 * v - 5, 44, foot - 2 * v + 5)) for v in (0, 50, 100)]
    words += [
        Word(t, BBox(x - 22, foot + 8, x + 22, foot + 18))
        for t, x in zip(labels, PLACES, strict=False)
    ]
    vertices = [(100 + 80 * i / 3, foot - 2 * v) for i, v in enumerate(MONTHLY)]
    line = Mark(
        "line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), (0.2, 0.3, 0.8), vertices
    )
    axes = (
        Drawing(BBox(90, foot, 430, foot), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(90, 40, 90, foot), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )
    return [line], words, axes


MONTHLY = [10, 60, 45, 95, 55, 30, 20, 70, 85, 40, 65, 50]


def test_a_line_of_monthly_points_under_quarterly_dates_is_read_at_every_month() -> None:
    found = chart_from_marks(*_monthly_line(["Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024"]))[0]
    points = [(p.x, round(p.y)) for p in found.chart.series[0].points]
    assert points == [(f"2024-{m:02d}-01", v) for m, v in enumerate(MONTHLY, start=1)]
    assert not found.gaps


def test_a_line_under_year_less_dates_is_read_at_them_and_says_what_it_missed() -> None:
    """'Jan 05' is the fifth of January or January 2005: no date is made up between."""
    found = chart_from_marks(*_monthly_line(["Jan 05", "Apr 05", "Jul 05", "Oct 05"]))[0]
    points = [(p.x, round(p.y)) for p in found.chart.series[0].points]
    assert points == [("Jan 05", 10), ("Apr 05", 95), ("Jul 05", 20), ("Oct 05", 40)]
    assert found.gaps == (
        "a line through 12 points read at 4 labelled place(s): "
        "the points between the labels were not read",
    )


def test_points_that_cut_no_whole_step_are_dated_by_days_in_proportion() -> None:
    """Points a third of a month apart under monthly labels: no month cuts in thirds, so a
    point between two labels takes the days between their dates in its share."""
    at = dates_along(("Jan 2024", "Feb 2024", "Mar 2024"), (0.0, 60.0, 120.0), 20.0)
    assert at is not None
    assert [at(x).isoformat() for x in (0.0, 20.0, 40.0, 60.0, 100.0)] == [
        "2024-01-01",
        "2024-01-11",
        "2024-01-22",
        "2024-02-01",
        "2024-02-20",
    ]


def test_points_no_closer_than_the_date_labels_get_no_dates_between_them() -> None:
    assert dates_along(("Jan 2024", "Feb 2024", "Mar 2024"), (0.0, 60.0, 120.0), 50.0) is None


@pytest.mark.parametrize(
    ("read", "restored"),
    [
        (
            ("Oct", "Jan 2024", "Apr", "Jul", "Oct", "Jan 2025"),
            ("Oct 2023", "Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025"),
        ),
        (
            ("November 2019", "December", "January", "February"),
            ("November 2019", "December 2019", "January 2020", "February 2020"),
        ),
    ],
)
def test_a_concise_axis_s_bare_months_take_the_year_printed_before_them(
    read: tuple[str, ...], restored: tuple[str, ...]
) -> None:
    centres = tuple(100.0 + 80 * i for i in range(len(read)))
    labels, changes = restored_dates(read, centres)
    assert labels == restored
    assert changes == tuple((a, b) for a, b in zip(read, restored, strict=True) if a != b)


def test_months_with_no_year_printed_or_other_words_among_them_are_left_as_read() -> None:
    for read in (("Jan", "Apr", "Jul", "Oct"), ("Jan 2024", "Apr", "Total", "Oct")):
        assert restored_dates(read, PLACES[: len(read)]) == (read, ())


def test_a_line_under_a_concise_time_axis_is_read_at_every_month() -> None:
    found = chart_from_marks(*_monthly_line(["Jan 2024", "Apr", "Jul", "Oct"]))[0]
    points = [(p.x, round(p.y)) for p in found.chart.series[0].points]
    assert points == [(f"2024-{m:02d}-01", v) for m, v in enumerate(MONTHLY, start=1)]
    assert "'Apr' read as 'Apr 2024'" in found.calibration


def test_a_month_ocr_passed_over_is_put_in_its_place():
    """Turned month names under columns, 'Jul' not read at all (and 'Jun' read 'jun'):
    its columns were taken for 'jun''s. The gap in the even row gets the month the step
    gives there, and the calibration says it was not read."""
    read = ("Feb", "Mar", "Apr", "May", "jun", "Aug", "Sep", "Oct", "Nov")
    centres = (141.6, 185.8, 231.1, 274.4, 319.9, 408.0, 452.4, 497.1, 540.5)
    labels, changes = restored_dates(read, centres)
    labels, placed, added = with_unread_dates(labels, centres)
    assert labels == ("Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov")
    assert changes == (("jun", "Jun"),) and added == ("Jul",)
    assert placed[5] == pytest.approx(364.0, abs=1.0)


@pytest.mark.parametrize(
    ("read", "centres"),
    [
        # Months in no order (sorted by value), one place empty: no step to give it.
        (("Mar", "Jan", "Apr", "Feb", "Jun"), (100.0, 140.0, 180.0, 220.0, 300.0)),
        # Five places empty among seven labels: too few read to say what stood there.
        (("Feb", "Mar", "Apr", "Oct", "Nov", "Dec", "Jan"), (0, 40, 80, 320, 360, 400, 440)),
    ],
)
def test_rows_that_keep_no_step_of_months_get_no_label_added(read, centres):
    assert with_unread_dates(read, centres) == (read, centres, ())
