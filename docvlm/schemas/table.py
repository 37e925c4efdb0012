"""Table: the full cell grid, header rows first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field, model_validator

from docvlm.schemas.base import MergeAs, NativeReader, Record

if TYPE_CHECKING:  # pandas is imported when a frame is made, not with the schemas
    import pandas as pd

# A model's cell is held to 1,000 characters by the JSON Schema it is given (a runaway
# answer stays short); a cell the native reader takes from the page's own text is kept
# whole (a clause of a contract, a description column), up to a sanity bound.
CELL_LIMIT = 1000
Cell = Annotated[str, Field(max_length=100_000, json_schema_extra={"maxLength": CELL_LIMIT})]


class Table(Record):
    """A table as a rectangular grid of cell texts.

    ``rows`` holds every row, header rows first; a cell spanning several columns or rows
    has its text in its first (top-left) position and empty strings in the others.
    """

    schema_name: ClassVar[str] = "table"
    merge_as: ClassVar[MergeAs] = "table"
    native_reader: ClassVar[NativeReader | None] = "table"
    task: ClassVar[str] = (
        "Extract the table: every row as a list of cell texts, header rows first, "
        "a spanning cell's text in its first position and empty strings in the rest."
    )
    derived_fields: ClassVar[frozenset[str]] = frozenset({"header_rows"})

    title: str | None = Field(default=None, max_length=300, description="The table's caption")
    header_rows: int = Field(
        default=0, ge=0, le=20, description="How many leading rows are headers"
    )
    rows: list[Annotated[list[Cell], Field(max_length=200)]] = Field(
        default_factory=list, max_length=5000, description="All rows, header rows first"
    )

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        width = max((len(row) for row in self.rows), default=0)
        for row in self.rows:
            row.extend([""] * (width - len(row)))
        # A count past the last row says "all rows are headers"; JSON Schema cannot relate
        # the two fields, so a constrained answer may overshoot.
        self.header_rows = min(self.header_rows, len(self.rows))
        return self

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def header(self) -> list[list[str]]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[list[str]]:
        return self.rows[self.header_rows :]

    def row_paths(self) -> list[str]:
        return [f"rows.{r}" for r in range(self.header_rows, len(self.rows))]

    def value_path(self, row_path: str, column: int, label: str) -> str:
        return f"{row_path}.{column}"  # labels are header text, not field names

    def typed_frame(self) -> pd.DataFrame:
        """The body's columns as numbers or dates where every cell is one."""
        from docvlm.frames import type_columns

        return type_columns(self.to_dataframe())

    def to_dataframe(self) -> pd.DataFrame:
        """The body as a DataFrame; header rows become the column labels.

        One header row gives plain labels, several give a MultiIndex whose upper levels carry
        a spanning header's text over the columns it spans. Blank or repeated labels in the
        last header row are made unique (``column_3``, ``Total.1``).
        """
        import pandas as pd

        if self.header_rows == 0:
            columns: list[str] | pd.MultiIndex = [f"column_{i + 1}" for i in range(self.n_cols)]
        else:
            # Upper header rows name groups of columns; the last row names each column.
            levels = [_fill_spans(row) for row in self.header[:-1]]
            last = _unique(self.header[-1])
            columns = pd.MultiIndex.from_arrays([*levels, last]) if levels else last
        return pd.DataFrame(self.body, columns=columns)


def _fill_spans(row: list[str]) -> list[str]:
    """Carry a header's text rightwards over the blank slots of its span."""
    out, last = [], ""
    for i, cell in enumerate(row):
        last = cell if cell or i == 0 else last
        out.append(last)
    return out


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, label in enumerate(labels):
        label = label or f"column_{i + 1}"
        if label in seen:
            seen[label] += 1
            label = f"{label}.{seen[label]}"
        else:
            seen[label] = 0
        out.append(label)
    return out
