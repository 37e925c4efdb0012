"""Menu: sections of items with prices."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from docvlm.schemas.base import MergeAs, NativeReader, Record

if TYPE_CHECKING:  # pandas is imported when a frame is made, not with the schemas
    import pandas as pd


class MenuItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="The dish or product as printed")
    description: str | None = Field(default=None, max_length=500)
    price: float | None = Field(
        default=None, ge=0, le=1_000_000, description="The price as a number, without currency"
    )
    currency: str | None = Field(
        default=None, max_length=8, description="ISO 4217 code or symbol as printed, e.g. EUR or €"
    )


class MenuSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, description="Section heading")
    items: list[MenuItem] = Field(default_factory=list, max_length=500)


class Menu(Record):
    """A menu or price list: sections, each with items."""

    schema_name: ClassVar[str] = "menu"
    merge_as: ClassVar[MergeAs] = "list"
    list_field: ClassVar[str] = "sections"
    group_entries: ClassVar[str | None] = "items"
    entry_keys: ClassVar[tuple[str, str]] = ("name", "price")
    native_reader: ClassVar[NativeReader | None] = "menu"
    task: ClassVar[str] = (
        "Extract the menu: its sections in order, each item with its name, description, "
        "price as a number and currency."
    )
    derived_fields: ClassVar[frozenset[str]] = frozenset({"currency"})

    sections: list[MenuSection] = Field(default_factory=list, max_length=100)

    def row_paths(self) -> list[str]:
        return [
            f"sections.{s}.items.{i}"
            for s, section in enumerate(self.sections)
            for i in range(len(section.items))
        ]

    def value_path(self, row_path: str, column: int, label: str) -> str:
        if label == "section":  # an item's row carries its section's name
            return f"{row_path.partition('.items.')[0]}.name"
        return super().value_path(row_path, column, label)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per item, with its section as a column."""
        import pandas as pd

        rows = [
            {"section": section.name, **item.model_dump()}
            for section in self.sections
            for item in section.items
        ]
        return pd.DataFrame(rows, columns=["section", "name", "description", "price", "currency"])
