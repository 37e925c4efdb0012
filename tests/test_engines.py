from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

import docvlm
from docvlm import EngineCapabilities, EngineReply, EngineUnavailableError, FoundRecord
from docvlm.engines import base
from tests.conftest import SALES


class OneCellEngine:
    name = "one-cell"
    capabilities = EngineCapabilities(
        returns_records=True, needs_image=False, reads_whole_page=True
    )

    def __init__(self, text: str = "x") -> None:
        self.text = text

    def run(self, request):
        return EngineReply(records=[FoundRecord({"rows": [[self.text]]})])


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(base, "_REGISTRY", {})


def test_registered_engine_is_used_by_name_with_options(clean_registry, fixtures):
    docvlm.register_engine("one-cell", OneCellEngine)
    assert "one-cell" in docvlm.available_engines() and "native" in docvlm.available_engines()
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine="one-cell", engine_options={"text": "hello"}
    )
    assert result.records[0].rows == [["hello"]]
    assert result.provenance[0].engine == "one-cell"


def test_native_is_built_in_even_without_entry_points(clean_registry, monkeypatch, fixtures):
    monkeypatch.setattr(base, "entry_points", lambda group: [])
    engine = docvlm.get_engine("native")
    assert engine.name == "native" and engine.capabilities.returns_records
    assert docvlm.extract(fixtures / "sales_table.pdf", engine=engine).records[0].rows == SALES


def test_entry_point_plugins_load_and_broken_ones_say_why(clean_registry, monkeypatch):
    good = EntryPoint("plug", "tests.test_engines:OneCellEngine", base.ENTRY_POINT_GROUP)
    broken = EntryPoint("broken", "no_such_module:Engine", base.ENTRY_POINT_GROUP)
    monkeypatch.setattr(base, "entry_points", lambda group: [good, broken])
    assert docvlm.get_engine("plug").name == "one-cell"
    with pytest.raises(EngineUnavailableError, match=r"engine 'broken' .* failed to load"):
        docvlm.get_engine("broken")


def test_installed_package_declares_the_native_entry_point():
    from importlib.metadata import entry_points

    names = {e.name: e.value for e in entry_points(group="docvlm.engines")}
    assert names.get("native") == "docvlm.engines.native:NativeEngine"


def test_engines_satisfy_the_protocol():
    assert isinstance(docvlm.get_engine("native"), docvlm.Engine)
    assert isinstance(OneCellEngine(), docvlm.Engine)
