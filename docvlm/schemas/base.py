"""The base of built-in records: a Pydantic model that knows its DataFrame form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # pandas is imported when a frame is made, not with the schemas
    import pandas as pd

MergeAs = Literal["fields", "table", "list"]  # see Record.merge_as
NativeReader = Literal["table", "menu", "chart", "keyvalues"]  # see Record.native_reader


class Record(BaseModel):
    """A built-in record. User models need not inherit from it."""

    model_config = ConfigDict(extra="forbid")

    schema_name: ClassVar[str] = ""
    task: ClassVar[str] = ""  # one sentence telling an engine what to extract
    # Fields (by name, at any depth) whose values interpret the page rather than copy it
    # (a header row count, a chart type, a currency code read from a symbol): grounding
    # does not look them up among the words.
    derived_fields: ClassVar[frozenset[str]] = frozenset()

    # How records of this kind read by several tiles of a page become one (see
    # ``docvlm.merge``): ``fields``, each plain field resolved; ``table``, pieces stitched
    # by the places of their cells; ``list``, the entries of ``list_field`` joined one by
    # one, two being one entry when their ``entry_keys`` (key, value) agree. With
    # ``group_entries``, the list holds named groups (``name``) of entries under that field.
    # A subclass (``class Invoice(Table)``) merges as its base does.
    merge_as: ClassVar[MergeAs] = "fields"
    list_field: ClassVar[str] = ""
    group_entries: ClassVar[str | None] = None
    entry_keys: ClassVar[tuple[str, str]] = ("", "")
    # Which reader of the native engine fits (``table``, ``menu``, ``chart``,
    # ``keyvalues``); None: the record's fields are filled from the page's text.
    native_reader: ClassVar[NativeReader | None] = None
    # What the record asks that only a model can give (``questions``, for a question's
    # answer): engines that read the page without a model say so and refuse it.
    needs_model: ClassVar[str] = ""

    def row_paths(self) -> list[str]:
        """The field path behind each row of :meth:`to_dataframe` ('' for the whole
        record), so a row's provenance can be found."""
        return [""]

    def value_path(self, row_path: str, column: int, label: str) -> str:
        """The field path of the value in column ``column`` (labelled ``label``) of the
        :meth:`to_dataframe` row whose path is ``row_path``, so its provenance can be
        found."""
        return value_path(row_path, label)

    def to_dataframe(self) -> pd.DataFrame:
        """The record's frame with every value as printed."""
        return record_to_dataframe(self)

    def _repr_html_(self) -> str:
        """A notebook's display: the record as an HTML table (``ExtractedRecord`` and
        ``Result`` add each value's provenance)."""
        from docvlm.display import standalone_record_html

        return standalone_record_html(self)

    def to_pandas(self, types: bool = True) -> pd.DataFrame:
        """The record's frame, its values typed (numbers, dates; see :mod:`docvlm.frames`)
        unless ``types=False``."""
        return self.typed_frame() if types else self.to_dataframe()

    def typed_frame(self) -> pd.DataFrame:
        """The :meth:`to_dataframe` form with its values typed (see :mod:`docvlm.frames`):
        the form ``Result.to_pandas`` stacks. A record with typed columns overrides it."""
        return record_to_dataframe(self)

    def gaps(self) -> list[str]:
        """What the record lacks that it should hold (one line each), for
        ``Result.warnings``: a chart's unnamed series, its unread values."""
        return []


def value_path(row_path: str, label: str) -> str:
    """A value's path when its frame's column labels are its field names (``a.b`` for a
    nested one, as ``pandas.json_normalize`` names them)."""
    return f"{row_path}.{label}" if row_path else label


def typed_record_frame(record: BaseModel) -> pd.DataFrame:
    """A record's typed frame: a built-in record's :meth:`Record.typed_frame`, a user
    model's fields in their Python types (dates as dates)."""
    import pandas as pd

    if isinstance(record, Record):
        return record.typed_frame()
    return pd.json_normalize(record.model_dump())


def record_to_dataframe(record: BaseModel) -> pd.DataFrame:
    """One row of the record's fields, nested fields flattened as ``a.b`` columns."""
    import pandas as pd

    if isinstance(record, Record) and type(record).to_dataframe is not Record.to_dataframe:
        return record.to_dataframe()
    data: dict[str, Any] = record.model_dump(mode="json")
    return pd.json_normalize(data)
