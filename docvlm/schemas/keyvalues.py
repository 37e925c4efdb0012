"""KeyValues: label/value pairs, as on forms, invoices and receipts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from docvlm.schemas.base import MergeAs, NativeReader, Record

if TYPE_CHECKING:  # pandas is imported when a frame is made, not with the schemas
    import pandas as pd


class KeyValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(max_length=300, description="The label as printed")
    value: str = Field(max_length=2000, description="The value as printed")


class KeyValues(Record):
    """Label/value pairs in reading order."""

    schema_name: ClassVar[str] = "keyvalues"
    merge_as: ClassVar[MergeAs] = "list"
    list_field: ClassVar[str] = "pairs"
    entry_keys: ClassVar[tuple[str, str]] = ("label", "value")
    native_reader: ClassVar[NativeReader | None] = "keyvalues"
    task: ClassVar[str] = "Extract every label/value pair (form fields, totals, dates, ids)."

    pairs: list[KeyValue] = Field(default_factory=list, max_length=1000)

    def row_paths(self) -> list[str]:
        return [f"pairs.{i}" for i in range(len(self.pairs))]

    def typed_frame(self) -> pd.DataFrame:
        """Each value as a number or a date when it is one."""
        import pandas as pd

        from docvlm.frames import typed_value

        frame = self.to_dataframe()
        frame["value"] = pd.Series([typed_value(v) for v in frame["value"]], dtype=object)
        return frame

    def to_dataframe(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([p.model_dump() for p in self.pairs], columns=["label", "value"])
