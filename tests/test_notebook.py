"""What an analyst gets in a notebook: typed frames, charts redrawn to check, rich display."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys

import pandas as pd
import pytest
from pydantic import BaseModel

import docvlm
from docvlm.frames import typed_column, typed_value
from docvlm.schemas import Chart, KeyValue, KeyValues, Point, Series, Table
from tests.conftest import CORPUS, LEDGER, SALES, STAFF

# Typed frames


def test_sales_quarters_are_numeric(sales):
    frame = sales.to_pandas()
    assert frame["Region"].tolist() == [row[0] for row in SALES[1:]]
    for j, quarter in enumerate(SALES[0][1:], 1):
        assert frame[quarter].dtype == "float64"
        assert frame[quarter].tolist() == [float(row[j]) for row in SALES[1:]]
    assert frame["Q4"].sum() == pytest.approx(2 * 58.5)


def test_types_false_gives_the_printed_text_and_provenance_still_comes(sales):
    assert sales.to_pandas(types=False).values.tolist() == SALES[1:]
    frame = sales.to_pandas(provenance=True)
    assert list(frame.columns) == [*SALES[0], "page", "bbox", "status", "confidence"]
    assert frame["Q1"].dtype == "float64" and frame["page"].tolist() == [1] * 5
    assert set(frame["status"]) == {"exact"}


def test_ledger_dates_and_amounts(fixtures):
    frame = docvlm.extract(fixtures / "ledger_3pages.pdf").to_pandas()
    assert frame["Date"].dtype == "datetime64[ns]"
    assert frame["Date"].iloc[0] == pd.Timestamp(2024, 1, 1)
    assert frame["Amount"].dtype == "float64"
    assert frame["Amount"].tolist() == [float(r[3].replace(",", "")) for r in LEDGER[1:]]
    assert frame["Invoice"].tolist()[:2] == ["INV-1001", "INV-1002"]  # codes stay text


def test_each_record_frame_is_typed(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf")
    staff = result.frames()[1]
    assert staff.dtypes.astype(str).tolist()[1:] == ["int64", "int64", "float64"]
    assert staff.values.tolist() == [
        ["Finance", 42, 3150, 2.1],
        ["Research", 118, 12400, 6.8],
        ["Operations", 305, 21075, -1.4],
        ["Legal", 17, 1980, 0.5],
    ]
    assert result.frames(types=False)[1].values.tolist() == STAFF[1:]


@pytest.mark.parametrize(
    ("cells", "dtype", "values"),
    [
        (["1,234.50", "12", ""], "float64", [1234.5, 12.0, math.nan]),
        (["1.234,50", "12,5"], "float64", [1234.5, 12.5]),  # decimal commas
        (["$30", "25,000 €", "(5)"], "int64", [30, 25000, -5]),  # currency, negatives
        (["40%", "-1.5%"], "float64", [40.0, -1.5]),
        (["12345678901234567890", "1"], "float64", [1.2345678901234567e19, 1.0]),
        (["2024-03-12", "", "12.03.2024"], "datetime64[ns]", ["2024-03-12", None, "2024-03-12"]),
    ],
)
def test_columns_of_numbers_or_dates_are_typed(cells, dtype, values):
    column = typed_column(cells)
    assert column is not None and column.dtype == dtype
    if dtype.startswith("datetime"):
        assert column.tolist() == [pd.Timestamp(v) if v else pd.NaT for v in values]
    else:
        assert column.fillna(-999).tolist() == [-999 if math.isnan(v) else v for v in values]


@pytest.mark.parametrize(
    "cells",
    [["12", "n/a"], ["007", "012"], ["", ""], ["12", "3 pcs"], ["12", "2024-03-12"]],
)
def test_a_column_with_other_text_stays_text(cells):
    assert typed_column(cells) is None
    frame = Table(header_rows=1, rows=[["a", "b"], *([c, "x"] for c in cells)]).to_pandas()
    assert frame["a"].tolist() == cells


def test_key_values_are_typed_one_by_one(fixtures):
    frame = docvlm.extract(fixtures / "invoice.pdf", schema="keyvalues").to_pandas()
    values = dict(zip(frame["label"], frame["value"], strict=True))
    assert values["Invoice number"] == "INV-2024-017"
    assert values["Date"] == pd.Timestamp(2024, 3, 12)
    assert values["Subtotal"] == 1100.0 and values["Total"] == 1320.0
    assert typed_value("1,100.00") == 1100.0 and typed_value("Northwind") == "Northwind"
    printed = KeyValues(pairs=[KeyValue(label="Total", value="1,320.00")]).to_pandas(types=False)
    assert printed["value"].tolist() == ["1,320.00"]


def test_user_model_fields_keep_their_python_types(fixtures):
    class Invoice(BaseModel):
        number: str | None = None
        issued: dt.date | None = None
        grand_total: float | None = None
        total: str | None = None

    result = docvlm.extract(fixtures / "invoice.pdf", schema=Invoice)
    frame = result.to_pandas()
    assert frame.iloc[0].tolist() == ["INV-2024-017", dt.date(2024, 3, 12), 1320.0, "1,320.00"]
    assert result.to_pandas(types=False)["issued"].tolist() == ["2024-03-12"]


# Charts


def test_chart_frame_keeps_the_drawn_order(bars):
    frame = bars.to_pandas()
    assert frame["x"].dtype == pd.CategoricalDtype(["North", "South", "East", "West"], True)
    assert frame["series"].cat.categories.tolist() == ["2023", "2024"]
    assert frame.sort_values("x")["x"].tolist()[:2] == ["North", "North"]
    assert bars.to_pandas(types=False)["x"].tolist()[:4] == ["North", "South", "East", "West"]


def test_chart_wide_form(bars):
    (chart,) = bars.records
    wide = chart.to_pandas()
    assert wide.index.tolist() == ["North", "South", "East", "West"]
    assert isinstance(wide.index, pd.CategoricalIndex) and wide.index.ordered
    assert wide.columns.tolist() == ["2023", "2024"]
    assert wide.loc["East"].tolist() == [20.3, 21.9]
    assert wide["2024"].tolist() == [14.0, 8.7, 21.9, 7.9]


def test_a_single_unnamed_series_is_named_after_the_chart():
    points = [Point(x="b", y=2.0), Point(x="a", y=1.0)]
    titled = Chart(title="Costs", series=[Series(points=points)])
    assert titled.to_pandas().columns.tolist() == ["Costs"]
    assert titled.to_pandas().index.tolist() == ["b", "a"]
    untitled = Chart(series=[Series(points=points)])
    long = docvlm.Result(source="x", schema_name="chart", items=[_item(untitled)]).to_pandas()
    assert long["series"].tolist() == ["value", "value"] and long["y"].tolist() == [2.0, 1.0]
    two = Chart(series=[Series(points=points), Series(name="B", points=points[:1])])
    wide = two.to_pandas()
    assert wide.columns.tolist() == ["series 1", "B"]
    assert wide["B"].fillna(-1).tolist() == [2.0, -1]


def _item(record):
    from docvlm.provenance import Provenance, Region
    from docvlm.result import ExtractedRecord

    provenance = Provenance(engine="native", regions=[Region(page=1, bbox=(10, 10, 200, 100))])
    return ExtractedRecord(record=record, provenance=provenance, schema_name="chart")


@pytest.mark.skipif(not (CORPUS / "vega-lite-charts").exists(), reason="corpus not present")
def test_vega_lite_bars_keep_their_drawn_order():
    result = docvlm.extract(CORPUS / "vega-lite-charts" / "bar.pdf", schema="chart")
    assert result.to_pandas()["x"].cat.categories.tolist() == list("ABCDEFGHI")
    assert result.records[0].to_pandas().index.tolist() == list("ABCDEFGHI")


def test_plot_redraws_the_chart(bars, fixtures):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    (chart,) = bars.records
    ax = chart.plot()
    assert ax.get_title() == "Sales by region" and ax.get_ylabel() == "kEUR"
    heights = [round(p.get_height(), 2) for p in ax.patches]
    assert heights == [12.5, 9.1, 20.3, 7.4, 14.0, 8.7, 21.9, 7.9]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["North", "South", "East", "West"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2023", "2024"]

    (line,) = docvlm.extract(fixtures / "chart_line.pdf", schema="chart").records
    ax = line.plot()
    assert [list(a.get_ydata()) for a in ax.get_lines()] == [
        [3.1, 4.5, 4.0, 5.2, 6.8],
        [2.0, 2.4, 3.1, 3.3, 3.9],
    ]
    (pie,) = docvlm.extract(fixtures / "chart_pie.pdf", schema="chart").records
    ax = pie.plot()
    assert [t.get_text() for t in ax.texts if not t.get_text().endswith("%")] == [
        "Rent",
        "Staff",
        "Energy",
        "Other",
    ]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_compare_shows_the_page_beside_the_redrawn_chart(bars):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = bars.compare()
    assert isinstance(figure, Figure)
    page, redrawn = figure.axes
    image = page.get_images()[0].get_array()
    assert 100 < image.shape[0] < 1000 and image.shape[2] == 3
    assert redrawn.get_title() == "Sales by region" and len(redrawn.patches) == 8


def test_plot_says_what_is_missing_without_matplotlib(bars, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        bars.records[0].plot()


# Rich display


def _png_sizes(page_html: str) -> list[tuple[int, int]]:
    import base64
    import io
    import re

    from PIL import Image

    found = re.findall(r'data:image/png;base64,([^"]+)"', page_html)
    return [Image.open(io.BytesIO(base64.b64decode(data))).size for data in found]


def test_result_html_shows_summary_values_with_provenance_and_page_pictures(sales):
    from docvlm.display import THUMBNAIL_PX

    page = sales._repr_html_()
    assert "<th>source</th><td>" in page and "sales_table.pdf" in page
    assert '<span class="dv-status-ok">ok</span>' in page
    assert "<th>records</th><td>1 table</td>" in page
    assert re.search(r"<th class=\"dv-exact\" data-path=\"rows.0.1\"[^>]*>Q1</th>", page)
    cell = re.search(r'<td class="dv-exact" data-path="rows.1.1" title="([^"]+)">12.5</td>', page)
    assert cell is not None
    assert cell.group(1).startswith("page 1 · bbox (") and "exact · confidence 1.00" in cell.group(
        1
    )
    (size,) = _png_sizes(page)
    assert max(size) == THUMBNAIL_PX


def test_html_escapes_everything_and_marks_doubtful_values():
    from docvlm.provenance import FieldProvenance, Provenance, Region
    from docvlm.result import ExtractedRecord, PageWarning

    table = Table(
        header_rows=1, rows=[["<b>Name</b>", "Amount"], ['<script>"x"</script>', "5 & 6"]]
    )
    fields = [
        FieldProvenance(path="rows.1.0", page=1, bbox=(1, 2, 3, 4), status="fuzzy", confidence=0.5),
        FieldProvenance(path="rows.1.1", page=1, status="not_found", confidence=0.0),
    ]
    item = ExtractedRecord(
        table, Provenance(engine="native", regions=[Region(page=1)], fields=fields), "table"
    )
    warning = PageWarning(source="<a>.pdf", page=1, stage="ground", kind="doubtful", message="<i>")
    result = docvlm.Result(source="<a>.pdf", schema_name="table", items=[item], warnings=[warning])
    page = result._repr_html_()
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in page and "5 &amp; 6" in page
    assert "<th>&lt;b&gt;Name&lt;/b&gt;</th>" in page and "&lt;a&gt;.pdf" in page
    assert 'class="dv-fuzzy dv-low"' in page and 'class="dv-not_found dv-low"' in page
    assert "<th>warnings</th><td>1</td>" in page and "doubtful: &lt;a&gt;.pdf" in page
    assert "data:image/png" not in page  # no document to picture
    assert "&lt;script&gt;" in item._repr_html_() and "dv-fuzzy" in item._repr_html_()


def test_records_display_themselves(bars, fixtures):
    plain = Table(header_rows=1, rows=[["a", "b"], ["1", "x<y"]])._repr_html_()
    assert "<th>a</th><th>b</th>" in plain and "<td>x&lt;y</td>" in plain
    chart = bars.records[0]._repr_html_()
    assert "<th>series</th><th>x</th><th>y</th>" in chart and "<td>Sales by region</td>" in chart
    assert "<td>2023</td><td>North</td><td>12.5</td>" in chart
    menu = docvlm.extract(fixtures / "menu.pdf", schema="menu")
    assert "<th>section</th><th>name</th>" in menu.records[0]._repr_html_()
    assert re.search(r'data-path="sections.0.name"[^>]*>Starters</td>', menu._repr_html_())


def test_html_stays_small(fixtures):
    from docvlm import display

    result = docvlm.extract(fixtures / "ledger_3pages.pdf")
    long = Table(header_rows=1, rows=[["n"], *([str(i)] for i in range(display.MAX_ROWS + 7))])
    result.items[0] = type(result.items[0])(long, result.items[0].provenance, "table")
    page = result._repr_html_()
    assert page.count("<tr>") < display.MAX_ROWS + 20 and "… 7 more rows not shown" in page
    assert len(_png_sizes(page)) == 3 and len(page) < 500_000


# Overlays


def test_overlays_draw_nothing_over_the_content(sales, fixtures):
    from docvlm.overlay import RECORD_COLOUR, RECORD_PAD, STATUS_COLOURS

    image = sales.show(1, dpi=144)
    scale = 2.0
    x0, y0, x1, y1 = (round(v * scale) for v in sales.provenance[0].bbox.as_tuple())
    pixels = image.load()
    inside = {pixels[x, y] for x in range(x0, x1) for y in range(y0, y1)}
    assert RECORD_COLOUR not in inside  # no frame line, no label over the table
    gap = round(RECORD_PAD * scale)
    assert pixels[x0 - gap - 1, (y0 + y1) // 2] == RECORD_COLOUR
    # The label sits above the frame, on its tab, between the paragraph and the table.
    above = {pixels[x, y] for x in range(x0 - gap - 4, x0 + 60) for y in range(y0 - 30, y0 - gap)}
    assert RECORD_COLOUR in above
    # A value's box lies outside its glyphs: the cell 'North' keeps its first dark pixels.
    cell = sales.items[0].provenance.field("rows.1.0")
    assert cell is not None and cell.bbox is not None
    cx0, cy0, cx1, cy1 = (round(v * scale) for v in cell.bbox)
    box = {pixels[x, y] for x in range(cx0 + 1, cx1 - 1) for y in range(cy0 + 1, cy1 - 1)}
    assert STATUS_COLOURS["exact"] not in box


def test_a_chart_frame_holds_its_title_and_labels(bars):
    from docvlm.overlay import RECORD_COLOUR

    image = bars.show(1, dpi=72)
    pixels = image.load()
    for path in ("title", "series.0.points.0.x", "series.1.name"):
        label = bars.items[0].provenance.field(path)
        assert label is not None and label.bbox is not None
        x0, y0, x1, y1 = (round(v) for v in label.bbox)
        assert RECORD_COLOUR not in {pixels[x, y] for x in range(x0, x1) for y in range(y0, y1)}


def test_stacked_charts_keep_their_categories_in_order(bars, fixtures):
    pie = docvlm.extract(fixtures / "chart_pie.pdf", schema="chart")
    both = docvlm.Result(source="two", schema_name="chart", items=[*bars.items, *pie.items])
    frame = both.to_pandas()
    assert frame["x"].cat.ordered
    assert frame["x"].cat.categories.tolist() == [
        *["North", "South", "East", "West"],
        *["Rent", "Staff", "Energy", "Other"],
    ]
    assert frame["series"].cat.categories.tolist() == ["2023", "2024", "Costs"]
    assert frame["record"].tolist() == [0] * 8 + [1] * 4
