"""Grounding: values looked up among page words, with status, box and confidence."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from docvlm import KeyValues, Menu, Table
from docvlm.document import Word
from docvlm.geometry import BBox
from docvlm.grounding import WordIndex, ground_record, normalise
from docvlm.provenance import combine, field_confidence, leaf_values
from docvlm.text import canonical_number


def line(y: float, *texts: str, x: float = 50.0) -> list[Word]:
    """Words on one line, 40 points apart."""
    return [Word(t, BBox(x + 40 * i, y, x + 40 * i + 30, y + 10)) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.5"),
        ("1.234,50", "1234.5"),
        ("€ 1234.5", "1234.5"),
        ("12,5", "12.5"),
        ("40%", "40"),
        ("-3", "-3"),
        ("1 234", "1234"),
        ("(12.50)", "12.5"),
        ("\uff34\uff4f\uff54\uff41\uff4c", "total"),  # full-width letters
        ("  Grand   Total ", "grandtotal"),
    ],
)
def test_normalised_forms(text, expected):
    assert normalise(text) == expected


def test_canonical_numbers():
    assert canonical_number("1.234") == "1234"  # three digits after a lone mark: thousands
    assert canonical_number("1.23") == "1.23"
    assert canonical_number("abc") is None


def test_exact_normalised_fuzzy_and_not_found():
    words = line(100, "Minestrone", "€4,50") + line(120, "Grilled", "salmon", "12.00")
    index = WordIndex(words)
    exact = index.find("a", "Grilled salmon")
    assert (exact.status, exact.bbox) == ("exact", BBox(50, 120, 120, 130))
    normalised = index.find("b", 4.5)
    assert (normalised.status, normalised.bbox) == ("normalised", BBox(90, 100, 120, 110))
    fuzzy = index.find("c", "Minestrome")
    assert fuzzy.status == "fuzzy" and fuzzy.bbox == BBox(50, 100, 80, 110)
    assert 0.8 <= fuzzy.similarity < 1
    missing = index.find("d", "Tiramisu")
    assert (missing.status, missing.bbox) == ("not_found", None)


def test_a_hallucinated_number_is_not_found_not_fuzzy():
    index = WordIndex(line(100, "Total", "12.50", "125.00"))
    assert index.find("x", 12.5).status == "normalised"
    assert index.find("y", 12.8).status == "not_found"
    assert index.find("z", "1250").status == "not_found"


def test_a_value_split_differently_from_the_words():
    index = WordIndex(line(100, "TOTAL", "DUE:", "$1,200.00"))
    match = index.find("t", "Total due")
    assert match.status == "normalised" and match.bbox == BBox(50, 100, 120, 110)
    amount = index.find("a", "1 200")
    assert amount.status == "normalised" and amount.bbox == BBox(130, 100, 160, 110)


def test_repeated_words_ground_in_reading_order_once_each():
    """A column of equal values: each cell gets the word on its own row."""
    words = line(100, "A", "-", "1") + line(120, "B", "-", "-") + line(140, "C", "2", "-")
    table = Table(rows=[["A", "-", "1"], ["B", "-", "-"], ["C", "2", "-"]])
    matches = {m.path: m for m in ground_record(table, WordIndex(words))}
    for r, y in enumerate((100, 120, 140)):
        for c in range(3):
            box = matches[f"rows.{r}.{c}"].bbox
            assert box is not None and (box.y0, box.x0) == (y, 50 + 40 * c)


def test_leaf_paths_skip_empty_and_derived_fields():
    table = Table(rows=[["a", ""], ["1", "2"]], header_rows=1)
    assert list(leaf_values(table)) == [("rows.0.0", "a"), ("rows.1.0", "1"), ("rows.1.1", "2")]
    menu = Menu.model_validate(
        {
            "sections": [
                {"name": "Soups", "items": [{"name": "Soup", "price": 4.5, "currency": "EUR"}]}
            ]
        }
    )
    assert [p for p, _ in leaf_values(menu)] == [
        "sections.0.name",
        "sections.0.items.0.name",
        "sections.0.items.0.price",
    ]


def test_measured_chart_numbers_are_grounded_by_geometry():
    class Reading(BaseModel):
        label: str
        value: float

    box = BBox(0, 0, 100, 100)
    matches = ground_record(
        Reading(label="North", value=12.34),
        WordIndex(line(110, "North")),
        measured=True,
        record_box=box,
    )
    assert [(m.status, m.bbox) for m in matches] == [
        ("exact", BBox(50, 110, 80, 120)),
        ("geometry", box),
    ]


def test_confidence_is_monotone_and_bounded():
    order = ["exact", "normalised", "geometry", "not_found"]
    values = [field_confidence(s) for s in order]
    assert values == sorted(values, reverse=True) and all(0 <= v <= 1 for v in values)
    assert (
        field_confidence("normalised")
        > field_confidence("fuzzy", 0.99)
        > field_confidence("not_found")
    )
    assert field_confidence("exact", probability=0.2) < field_confidence("exact", probability=0.9)
    assert combine([0.2, 0.2]) == pytest.approx(0.36) and combine([0.9]) == 0.9


def test_keyvalues_ground_labels_and_values():
    words = line(100, "Invoice", "no:", "A-17") + line(120, "Date:", "2024-03-01")
    record = KeyValues.model_validate(
        {"pairs": [{"label": "Invoice no", "value": "A-17"}, {"label": "Due", "value": "x"}]}
    )
    statuses = {m.path: m.status for m in ground_record(record, WordIndex(words))}
    assert statuses == {
        "pairs.0.label": "normalised",
        "pairs.0.value": "exact",
        "pairs.1.label": "not_found",
        "pairs.1.value": "not_found",
    }


def test_an_ocr_chart_image_is_grounded_in_the_reading_of_its_labels(fixtures, monkeypatch):
    """The chart's labels read once: grounding reuses the engine's reading of the image."""
    import docvlm
    from docvlm import ocr

    pages_read = []
    read_page = ocr._ocr_page

    def counted(page, backend, dpi, labels):
        pages_read.append(labels)
        return read_page(page, backend, dpi, labels)

    monkeypatch.setattr(ocr, "_ocr_page", counted)
    monkeypatch.setattr(ocr, "_cache", type(ocr._cache)())  # no reading from earlier tests
    result = docvlm.extract(fixtures / "chart_bar.png", schema="chart")

    assert pages_read == [True]
    statuses = {f.path: f.status for p in result.provenance for f in p.fields}
    labels = [path for path in statuses if path.endswith((".name", ".x"))]
    assert len(labels) == 10 and {statuses[path] for path in labels} == {"exact"}
    assert statuses["series.0.points.0.y"] == "geometry"
